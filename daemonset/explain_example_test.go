package daemonset_test

import (
	"fmt"

	"github.com/purectl/purectl/daemonset"
)

// Which of three nodes get a pod of a DaemonSet that wants ssd nodes: one
// matches, one lacks the label, one has a taint the template does not
// tolerate: NoSchedule keeps new pods off but lets an existing one stay.
func ExampleExplainNodes() {
	nodes := []daemonset.Node{
		{Name: "a", Labels: map[string]string{"disk": "ssd"}},
		{Name: "b", Labels: map[string]string{"disk": "hdd"}},
		{Name: "c", Labels: map[string]string{"disk": "ssd"},
			Taints: []daemonset.Taint{{Key: "gpu", Effect: daemonset.TaintEffectNoSchedule}}},
	}
	ds := daemonset.DaemonSet{Name: "agent", Spec: daemonset.Spec{
		Selector: &daemonset.LabelSelector{MatchLabels: map[string]string{"app": "agent"}},
		Template: daemonset.PodTemplate{Labels: map[string]string{"app": "agent"}, NodeSelector: map[string]string{"disk": "ssd"}},
	}}
	for i, e := range daemonset.ExplainNodes(nodes, ds, daemonset.Options{}) {
		fmt.Println(nodes[i].Name, e.ShouldRun, e.ShouldContinueRunning, e.Reason)
	}
	// Output:
	// a true true Eligible
	// b false false NodeSelectorMismatch
	// c false true UntoleratedNoSchedule
}
