package difftest

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	k8sfield "k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/component-helpers/scheduling/corev1/nodeaffinity"
	"k8s.io/kubernetes/pkg/apis/apps"
	appsv1defaults "k8s.io/kubernetes/pkg/apis/apps/v1"
	appsvalidation "k8s.io/kubernetes/pkg/apis/apps/validation"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
	"github.com/purectl/purectl/internal/field"
)

// The taints the node lifecycle controller and users set, including those
// the DaemonSet controller tolerates on its own.
var dsTaints = []v1.Taint{
	{Key: "node.kubernetes.io/not-ready", Effect: v1.TaintEffectNoExecute},
	{Key: "node.kubernetes.io/unreachable", Effect: v1.TaintEffectNoExecute},
	{Key: "node.kubernetes.io/unschedulable", Effect: v1.TaintEffectNoSchedule},
	{Key: "node.kubernetes.io/disk-pressure", Effect: v1.TaintEffectNoSchedule},
	{Key: "node.kubernetes.io/network-unavailable", Effect: v1.TaintEffectNoSchedule},
	{Key: "dedicated", Value: "gpu", Effect: v1.TaintEffectNoSchedule},
	{Key: "dedicated", Value: "gpu", Effect: v1.TaintEffectNoExecute},
	{Key: "soft", Effect: v1.TaintEffectPreferNoSchedule},
	{Key: "example.com/sla", Value: "950", Effect: v1.TaintEffectNoSchedule},
	{Key: "example.com/sla", Value: "800", Effect: v1.TaintEffectNoExecute},
}

var dsTolerations = []v1.Toleration{
	{Key: "dedicated", Operator: v1.TolerationOpEqual, Value: "gpu", Effect: v1.TaintEffectNoSchedule},
	{Key: "dedicated", Operator: v1.TolerationOpExists},
	{Key: "node.kubernetes.io/network-unavailable", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoSchedule},
	{Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoExecute},
	{Key: "example.com/sla", Operator: "Gt", Value: "900"},
	{Key: "example.com/sla", Operator: "Lt", Value: "900", Effect: v1.TaintEffectNoExecute},
	{Key: "example.com/sla", Operator: "Gt", Value: "09"},
}

// kubernetesShouldRun is the DaemonSet controller's node check built from
// Kubernetes' helpers: the would-be pod carries the template's spec, the
// node name, and the tolerations the controller adds (network-unavailable
// only with hostNetwork); then required node affinity (with the
// nodeSelector) and the NoSchedule/NoExecute taints decide.
func kubernetesShouldRun(ds *appsv1.DaemonSet, node *v1.Node, cmpOps bool) (shouldRun, shouldContinue bool) {
	spec := ds.Spec.Template.Spec.DeepCopy()
	if spec.NodeName != "" && spec.NodeName != node.Name {
		return false, false
	}
	add := []v1.Toleration{
		{Key: "node.kubernetes.io/not-ready", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoExecute},
		{Key: "node.kubernetes.io/unreachable", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoExecute},
		{Key: "node.kubernetes.io/disk-pressure", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoSchedule},
		{Key: "node.kubernetes.io/memory-pressure", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoSchedule},
		{Key: "node.kubernetes.io/pid-pressure", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoSchedule},
		{Key: "node.kubernetes.io/unschedulable", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoSchedule},
	}
	if spec.HostNetwork {
		add = append(add, v1.Toleration{Key: "node.kubernetes.io/network-unavailable", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoSchedule})
	}
	spec.Tolerations = append(spec.Tolerations, add...)
	pod := &v1.Pod{Spec: *spec}
	pod.Spec.NodeName = node.Name
	if ok, _ := nodeaffinity.GetRequiredNodeAffinity(pod).Match(node); !ok {
		return false, false
	}
	untolerated := k8sUntolerated(node.Spec.Taints, pod.Spec.Tolerations, func(t *v1.Taint) bool {
		return t.Effect == v1.TaintEffectNoSchedule || t.Effect == v1.TaintEffectNoExecute
	}, cmpOps)
	if !untolerated {
		return true, true
	}
	evicting := k8sUntolerated(node.Spec.Taints, pod.Spec.Tolerations, func(t *v1.Taint) bool {
		return t.Effect == v1.TaintEffectNoExecute
	}, cmpOps)
	return false, !evicting
}

// daemonset.ExplainNode against the controller's check built from
// component-helpers, on random templates and nodes.
func TestDaemonSetEligibilityAgainstComponentHelpers(t *testing.T) {
	outcomes := map[[2]bool]int{}
	rapid.Check(t, func(t *rapid.T) {
		node := &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: pick(t, "node", []string{"n1", "n2"}), Labels: genLabels(t, "node")}}
		node.Spec.Taints = rapid.SliceOfNDistinct(rapid.SampledFrom(dsTaints), 0, 3, func(t v1.Taint) string { return t.Key + string(t.Effect) }).Draw(t, "taints")
		ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "ds", Namespace: "ns"}}
		ds.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "ds"}}
		ds.Spec.Template.Labels = map[string]string{"app": "ds"}
		tmpl := &ds.Spec.Template.Spec
		tmpl.Tolerations = rapid.SliceOfN(rapid.SampledFrom(dsTolerations), 0, 2).Draw(t, "tolerations")
		tmpl.HostNetwork = rapid.Bool().Draw(t, "hostNetwork")
		if rapid.IntRange(0, 5).Draw(t, "pinned") == 0 {
			tmpl.NodeName = pick(t, "nodeName", []string{"n1", "n2"})
		}
		if rapid.Bool().Draw(t, "hasNodeSelector") {
			tmpl.NodeSelector = genLabels(t, "nodeSelector")
		}
		if rapid.Bool().Draw(t, "hasAffinity") {
			sel, _ := genNodeSelector(t)
			tmpl.Affinity = &v1.Affinity{NodeAffinity: &v1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: sel}}
		}
		rel, cmpOps := drawComparisonGate(t)
		wantRun, wantContinue := kubernetesShouldRun(ds, node, cmpOps)
		got := daemonset.ExplainNode(adapt.Node(node), adapt.DaemonSet(ds), daemonset.Options{Release: rel})
		outcomes[[2]bool{got.ShouldRun, got.ShouldContinueRunning}]++
		if got.ShouldRun != wantRun || got.ShouldContinueRunning != wantContinue {
			t.Fatalf("node %s labels %v taints %v\ntemplate nodeName %q nodeSelector %v affinity %+v tolerations %v hostNetwork %v\n"+
				"purectl (%v, %v) %s; Kubernetes (%v, %v)", node.Name, node.Labels, node.Spec.Taints, tmpl.NodeName, tmpl.NodeSelector,
				tmpl.Affinity, tmpl.Tolerations, tmpl.HostNetwork, got.ShouldRun, got.ShouldContinueRunning, got.Message, wantRun, wantContinue)
		}
	})
	// All three verdicts must have come up, or agreement proves little.
	for _, v := range [][2]bool{{true, true}, {false, true}, {false, false}} {
		if outcomes[v] == 0 {
			t.Errorf("no case with (shouldRun, shouldContinueRunning) = %v: %v", v, outcomes)
		}
	}
}

// daemonset.Default against the API server's defaulting
// (SetObjectDefaults_DaemonSet), on the fields purectl models.
func TestDaemonSetDefaultAgainstAppsV1(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		raw := genDaemonSetSpec(t)
		defaulted := raw.DeepCopy()
		appsv1defaults.SetObjectDefaults_DaemonSet(defaulted)
		want := adapt.DaemonSet(defaulted)
		got := daemonset.Default(adapt.DaemonSet(raw), testmain.Release())
		// The hash is of the whole template, which the API server also
		// defaults in fields purectl does not model.
		got.Spec.CurrentHash, want.Spec.CurrentHash = "", ""
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("Default differs from SetObjectDefaults_DaemonSet (-apps/v1 +purectl):\n%s", diff)
		}
	})
}

// daemonset.Validate against the API server's validation of a defaulted
// object (ValidateDaemonSetSpec): the same errors, paths and details, in
// the same order. The generated templates are valid in every field purectl
// does not model (one well-formed container), so every error is one purectl
// must report.
func TestDaemonSetValidateAgainstAppsValidation(t *testing.T) {
	kinds := map[bool]int{}
	rapid.Check(t, func(t *rapid.T) {
		ds := genDaemonSetSpec(t)
		appsv1defaults.SetObjectDefaults_DaemonSet(ds)
		var internal apps.DaemonSet
		if err := appsv1defaults.Convert_v1_DaemonSet_To_apps_DaemonSet(ds, &internal, nil); err != nil {
			t.Fatal(err)
		}
		var want, got []string
		rel, cmpOps := drawComparisonGate(t)
		k8sErrs := appsvalidation.ValidateDaemonSetSpec(&internal.Spec, k8sfield.NewPath("spec"), podValidationOptions(cmpOps))
		ourErrs := field.AsList(daemonset.Validate(adapt.DaemonSet(ds).Spec, rel))
		for i, e := range k8sErrs {
			w := e.Error()
			var g string
			if i < len(ourErrs) {
				g = ourErrs[i].Error()
				// apimachinery's message for a percent string quotes its
				// regular expression; purectl's int-or-percent check says the
				// same rule in its own words. Compare those errors up to the
				// detail: path, type and value.
				if strings.Contains(e.Detail, "a valid percent string") {
					w = strings.TrimSuffix(w, e.Detail)
					g = strings.TrimSuffix(g, ourErrs[i].Detail)
				}
			}
			want, got = append(want, w), append(got, g)
		}
		for _, e := range ourErrs[min(len(ourErrs), len(k8sErrs)):] {
			got = append(got, e.Error())
		}
		kinds[len(want) > 0]++
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("Validate differs from ValidateDaemonSetSpec (-apps/validation +purectl):\n%s\nspec %+v", diff, ds.Spec)
		}
	})
	if kinds[true] == 0 || kinds[false] == 0 {
		t.Errorf("valid and invalid specs must both come up: %v", kinds)
	}
}

// genDaemonSetSpec draws a DaemonSet as a user might submit it: fields left
// for defaulting, and values validation rejects.
func genDaemonSetSpec(t *rapid.T) *appsv1.DaemonSet {
	ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "ds", Namespace: "ns"}}
	switch rapid.IntRange(0, 9).Draw(t, "selector") {
	case 0:
		ds.Spec.Selector = &metav1.LabelSelector{}
	case 1:
		ds.Spec.Selector = nil
	case 2:
		ds.Spec.Selector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: "Like"}}}
	case 3:
		ds.Spec.Selector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: metav1.LabelSelectorOpIn, Values: []string{"ds", "x"}}}}
	default:
		ds.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "ds"}}
	}
	ds.Spec.Template.Labels = map[string]string{"app": rapid.SampledFrom([]string{"ds", "ds", "ds", "other", "bad value!"}).Draw(t, "templateLabel")}
	s := &ds.Spec.Template.Spec
	s.Containers = []v1.Container{{Name: "c", Image: "img"}}
	s.RestartPolicy = rapid.SampledFrom([]v1.RestartPolicy{"", "", v1.RestartPolicyAlways, v1.RestartPolicyNever}).Draw(t, "restartPolicy")
	if rapid.IntRange(0, 5).Draw(t, "activeDeadline") == 0 {
		s.ActiveDeadlineSeconds = ptrTo(rapid.SampledFrom([]int64{30, 0, -5}).Draw(t, "activeDeadlineSeconds"))
	}
	s.NodeName = rapid.SampledFrom([]string{"", "", "n1", "Bad_Name"}).Draw(t, "nodeName")
	if rapid.IntRange(0, 3).Draw(t, "hasNodeSelector") == 0 {
		s.NodeSelector = map[string]string{rapid.SampledFrom([]string{"zone", "bad key!"}).Draw(t, "nodeSelectorKey"): "a"}
	}
	if rapid.IntRange(0, 3).Draw(t, "hasAffinity") == 0 {
		sel, _ := genNodeSelector(t)
		s.Affinity = &v1.Affinity{NodeAffinity: &v1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: sel}}
	}
	s.Tolerations = rapid.SliceOfN(rapid.SampledFrom(append(slices.Clone(dsTolerations),
		v1.Toleration{Operator: v1.TolerationOpEqual, Value: "x"}, v1.Toleration{Key: "k", Value: "bad value!"},
		v1.Toleration{Key: "k", Operator: "Lt", Value: "x"}, v1.Toleration{Key: "k", Operator: "Gt"})), 0, 2).Draw(t, "tolerations")

	ints := []intstr.IntOrString{intstr.FromInt32(0), intstr.FromInt32(1), intstr.FromInt32(-1), intstr.FromString("0%"),
		intstr.FromString("25%"), intstr.FromString("101%"), intstr.FromString("ten%"), intstr.FromString("50")}
	ds.Spec.UpdateStrategy.Type = rapid.SampledFrom([]appsv1.DaemonSetUpdateStrategyType{"", appsv1.RollingUpdateDaemonSetStrategyType,
		appsv1.RollingUpdateDaemonSetStrategyType, appsv1.OnDeleteDaemonSetStrategyType, "Recreate"}).Draw(t, "strategy")
	if rapid.Bool().Draw(t, "hasRollingUpdate") {
		ru := &appsv1.RollingUpdateDaemonSet{}
		if rapid.Bool().Draw(t, "hasMaxUnavailable") {
			ru.MaxUnavailable = ptrTo(rapid.SampledFrom(ints).Draw(t, "maxUnavailable"))
		}
		if rapid.Bool().Draw(t, "hasMaxSurge") {
			ru.MaxSurge = ptrTo(rapid.SampledFrom(ints).Draw(t, "maxSurge"))
		}
		ds.Spec.UpdateStrategy.RollingUpdate = ru
	}
	ds.Spec.MinReadySeconds = rapid.Int32Range(-1, 30).Draw(t, "minReadySeconds")
	if rapid.Bool().Draw(t, "hasHistoryLimit") {
		ds.Spec.RevisionHistoryLimit = ptrTo(rapid.Int32Range(-1, 3).Draw(t, "revisionHistoryLimit"))
	}
	return ds
}

func ptrTo[T any](v T) *T { return &v }

// drawComparisonGate is the suite's release with
// TaintTolerationComparisonOperators drawn on or off where the release has
// the gate, and the gate's value for the Kubernetes helpers, which take it
// as an argument.
func drawComparisonGate(t *rapid.T) (api.Release, bool) {
	rel := testmain.Release()
	if !comparisonOperatorsExist || !rapid.Bool().Draw(t, "comparisonOperators") {
		return rel, false
	}
	rel.FeatureGates = map[api.Gate]bool{api.TaintTolerationComparisonOperators: true}
	return rel, true
}
