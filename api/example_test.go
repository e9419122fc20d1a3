package api_test

import (
	"errors"
	"fmt"

	"github.com/purectl/purectl/api"
)

func ExampleLabelSelector_Matches() {
	sel := &api.LabelSelector{
		MatchLabels: map[string]string{"app": "web"},
		MatchExpressions: []api.LabelRequirement{
			{Key: "tier", Operator: api.LabelOpNotIn, Values: []string{"canary"}},
		},
	}
	fmt.Println(sel.Matches(map[string]string{"app": "web", "tier": "front"}))
	fmt.Println(sel.Matches(map[string]string{"app": "web"})) // NotIn holds without the key
	fmt.Println(sel.Matches(map[string]string{"app": "web", "tier": "canary"}))

	var none *api.LabelSelector
	everything := &api.LabelSelector{}
	fmt.Println(none.Matches(map[string]string{"app": "web"}), everything.Matches(nil))
	// Output:
	// true
	// true
	// false
	// false true
}

func ExampleToleration_Tolerates() {
	gpu := api.Taint{Key: "dedicated", Value: "gpu", Effect: api.TaintEffectNoSchedule}
	tols := []api.Toleration{
		{Key: "dedicated", Operator: api.TolerationOpEqual, Value: "gpu"},
		{Key: "dedicated", Value: "cpu"}, // an empty operator is Equal
		{Key: "dedicated", Operator: api.TolerationOpExists, Effect: api.TaintEffectNoExecute},
		{Operator: api.TolerationOpExists}, // tolerates every taint
	}
	for _, tol := range tols {
		fmt.Println(tol.Tolerates(&gpu))
	}
	// Output:
	// true
	// false
	// false
	// true
}

func ExampleIntOrString() {
	for _, v := range []api.IntOrString{api.FromInt(2), api.FromString("25%"), api.FromString("25")} {
		up, err := v.Scaled(10, true)
		down, _ := v.Scaled(10, false)
		fmt.Printf("%s of 10: up %d, down %d, err %v\n", v, up, down, err)
	}
	// Output:
	// 2 of 10: up 2, down 2, err <nil>
	// 25% of 10: up 3, down 2, err <nil>
	// 25 of 10: up 0, down 0, err invalid value for IntOrString: invalid type: string is not a percentage
}

func ExampleNodeSelector() {
	// Nodes in zone a or b that are not control-plane nodes, or the node
	// named spare-1.
	sel := api.NodeSelector{Terms: []api.NodeSelectorTerm{
		{MatchExpressions: []api.NodeSelectorRequirement{
			{Key: "topology.kubernetes.io/zone", Operator: api.NodeOpIn, Values: []string{"a", "b"}},
			{Key: "node-role.kubernetes.io/control-plane", Operator: api.NodeOpDoesNotExist},
		}},
		{MatchFields: []api.NodeSelectorRequirement{
			{Key: api.FieldMetadataName, Operator: api.NodeOpIn, Values: []string{"spare-1"}},
		}},
	}}
	fmt.Println(len(sel.Terms), sel.Terms[1].MatchFields[0].Key)
	// Output:
	// 2 metadata.name
}

func ExampleFieldErrors() {
	var err error = &api.FieldErrors{List: []*api.FieldError{
		{Type: api.ErrorTypeInvalid, Field: "spec.replicas", BadValue: -1, Detail: "must be greater than or equal to 0"},
		{Type: api.ErrorTypeRequired, Field: "spec.selector"},
	}}
	fmt.Println(err)

	var fe *api.FieldError
	if errors.As(err, &fe) {
		fmt.Println(fe.Field, "|", fe.Body())
	}
	// Output:
	// [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.selector: Required value]
	// spec.replicas | Invalid value: -1: must be greater than or equal to 0
}

func ExampleRelease() {
	// The same question asked of three clusters: does a StatefulSet's
	// rollingUpdate.maxUnavailable take effect?
	gates, _ := api.ParseFeatureGates("MaxUnavailableStatefulSet=true")
	for _, r := range []api.Release{
		{Version: "1.34"},
		{Version: "1.35", FeatureGates: gates}, // beta, off unless turned on
		{},                                     // the newest release
	} {
		fmt.Println(r, r.Enabled(api.MaxUnavailableStatefulSet))
	}

	// A release refuses what its --feature-gates flag would refuse.
	locked := api.Release{Version: "1.36", FeatureGates: map[api.Gate]bool{api.JobManagedBy: false}}
	for _, e := range locked.Check("release") {
		fmt.Println(e)
	}
	// Output:
	// 1.34 false
	// 1.35 true
	// 1.37 true
	// release.featureGates[JobManagedBy]: Invalid value: false: cannot set feature gate JobManagedBy to false, feature is locked to true
}
