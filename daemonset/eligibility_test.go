package daemonset

import (
	"strings"
	"testing"
)

func TestExplainNode(t *testing.T) {
	secs := int64(10)
	tmpl := func(m func(*PodTemplate)) DaemonSet {
		ds := testDS()
		m(&ds.Spec.Template)
		return ds
	}
	affinity := func(terms ...NodeSelectorTerm) func(*PodTemplate) {
		return func(pt *PodTemplate) { pt.RequiredNodeAffinity = &NodeSelector{Terms: terms} }
	}
	expr := func(key string, op string, vals ...string) NodeSelectorTerm {
		return NodeSelectorTerm{MatchExpressions: []NodeSelectorRequirement{{Key: key, Operator: NodeSelectorOperator(op), Values: vals}}}
	}
	none := func(*PodTemplate) {}
	labelled := Node{Name: "n1", Labels: map[string]string{"zone": "a", "cores": "16"}}
	taint := func(key string, e TaintEffect) Node {
		return Node{Name: "n1", Taints: []Taint{{Key: key, Effect: e}}}
	}
	cases := []struct {
		name      string
		node      Node
		ds        DaemonSet
		run, cont bool
		reason    Reason
		mentions  string
	}{
		{"E4 no constraints", labelled, tmpl(none), true, true, ReasonEligible, ""},
		{"E2 template nodeName pins another node", labelled, tmpl(func(pt *PodTemplate) { pt.NodeName = "n2" }), false, false, ReasonNodeNameMismatch, "n2"},
		{"E2 template nodeName is this node", labelled, tmpl(func(pt *PodTemplate) { pt.NodeName = "n1" }), true, true, ReasonEligible, ""},
		{"E3 nodeSelector pair missing", labelled, tmpl(func(pt *PodTemplate) { pt.NodeSelector = map[string]string{"zone": "a", "disk": "ssd"} }), false, false, ReasonNodeSelectorMismatch, "disk=ssd"},
		{"E3 nodeSelector value differs", labelled, tmpl(func(pt *PodTemplate) { pt.NodeSelector = map[string]string{"zone": "b"} }), false, false, ReasonNodeSelectorMismatch, "zone=a"},
		{"A4 In", labelled, tmpl(affinity(expr("zone", "In", "a", "b"))), true, true, ReasonEligible, ""},
		{"A4 NotIn on a missing key matches", labelled, tmpl(affinity(expr("rack", "NotIn", "r1"))), true, true, ReasonEligible, ""},
		{"A4 NotIn", labelled, tmpl(affinity(expr("zone", "NotIn", "a"))), false, false, ReasonNodeAffinityMismatch, "zone NotIn"},
		{"A4 Exists", labelled, tmpl(affinity(expr("zone", "Exists"))), true, true, ReasonEligible, ""},
		{"A4 DoesNotExist", labelled, tmpl(affinity(expr("zone", "DoesNotExist"))), false, false, ReasonNodeAffinityMismatch, "DoesNotExist"},
		{"A4 Gt is strict", labelled, tmpl(affinity(expr("cores", "Gt", "16"))), false, false, ReasonNodeAffinityMismatch, "cores Gt"},
		{"A4 Lt", labelled, tmpl(affinity(expr("cores", "Lt", "17"))), true, true, ReasonEligible, ""},
		{"A2 terms are ORed", labelled, tmpl(affinity(expr("zone", "In", "b"), expr("zone", "In", "a"))), true, true, ReasonEligible, ""},
		{"A3 requirements of a term are ANDed", labelled, tmpl(affinity(NodeSelectorTerm{MatchExpressions: []NodeSelectorRequirement{
			{Key: "zone", Operator: NodeOpIn, Values: []string{"a"}}, {Key: "cores", Operator: NodeOpLt, Values: []string{"8"}}}})),
			false, false, ReasonNodeAffinityMismatch, "term 0 fails on label cores Lt"},
		{"A2 no terms matches no node", labelled, tmpl(affinity()), false, false, ReasonNodeAffinityMismatch, "no terms"},
		{"A2 only empty terms match no node", labelled, tmpl(affinity(NodeSelectorTerm{})), false, false, ReasonNodeAffinityMismatch, "empty"},
		{"A5 a malformed term never matches, other terms still count", labelled,
			tmpl(affinity(expr("zone", "In"), expr("zone", "Exists"))), true, true, ReasonEligible, ""},
		{"A5 malformed Gt", labelled, tmpl(affinity(expr("cores", "Gt", "x"))), false, false, ReasonNodeAffinityMismatch, "malformed"},
		{"A6 matchFields metadata.name In", labelled, tmpl(affinity(NodeSelectorTerm{MatchFields: []NodeSelectorRequirement{
			{Key: FieldMetadataName, Operator: NodeOpIn, Values: []string{"n1"}}}})), true, true, ReasonEligible, ""},
		{"A6 matchFields metadata.name NotIn", labelled, tmpl(affinity(NodeSelectorTerm{MatchFields: []NodeSelectorRequirement{
			{Key: FieldMetadataName, Operator: NodeOpNotIn, Values: []string{"n1"}}}})), false, false, ReasonNodeAffinityMismatch, "field metadata.name NotIn"},
		{"E5 untolerated NoSchedule: no new pod, existing may stay", taint("k", TaintEffectNoSchedule), tmpl(none), false, true, ReasonUntoleratedNoSchedule, "k:NoSchedule"},
		{"E5 untolerated NoExecute: pods must go", taint("k", TaintEffectNoExecute), tmpl(none), false, false, ReasonUntoleratedNoExecute, "k:NoExecute"},
		{"E5 NoExecute decides over an earlier NoSchedule", Node{Name: "n1", Taints: []Taint{{Key: "a", Effect: TaintEffectNoSchedule}, {Key: "b", Effect: TaintEffectNoExecute}}},
			tmpl(none), false, false, ReasonUntoleratedNoExecute, "b:NoExecute"},
		{"E4 PreferNoSchedule is ignored", taint("k", TaintEffectPreferNoSchedule), tmpl(none), true, true, ReasonEligible, ""},
		{"E6 tolerationSeconds plays no part", taint("k", TaintEffectNoExecute),
			tmpl(func(pt *PodTemplate) {
				pt.Tolerations = []Toleration{{Key: "k", Operator: TolerationOpExists, Effect: TaintEffectNoExecute, TolerationSeconds: &secs}}
			}), true, true, ReasonEligible, ""},
		{"T3 Equal needs equal values", Node{Name: "n1", Taints: []Taint{{Key: "k", Value: "v2", Effect: TaintEffectNoSchedule}}},
			tmpl(func(pt *PodTemplate) {
				pt.Tolerations = []Toleration{{Key: "k", Value: "v1", Effect: TaintEffectNoSchedule}}
			}),
			false, true, ReasonUntoleratedNoSchedule, "k=v2"},
		{"T2 empty key with Exists tolerates everything", Node{Name: "n1", Taints: []Taint{{Key: "k", Effect: TaintEffectNoExecute}}},
			tmpl(func(pt *PodTemplate) { pt.Tolerations = []Toleration{{Operator: TolerationOpExists}} }), true, true, ReasonEligible, ""},
		{"E8 not-ready NoExecute is tolerated", taint(TaintNodeNotReady, TaintEffectNoExecute), tmpl(none), true, true, ReasonEligible, ""},
		{"E8 unreachable NoExecute is tolerated", taint(TaintNodeUnreachable, TaintEffectNoExecute), tmpl(none), true, true, ReasonEligible, ""},
		{"E8 not-ready NoSchedule is not", taint(TaintNodeNotReady, TaintEffectNoSchedule), tmpl(none), false, true, ReasonUntoleratedNoSchedule, ""},
		{"E8 disk pressure", taint(TaintNodeDiskPressure, TaintEffectNoSchedule), tmpl(none), true, true, ReasonEligible, ""},
		{"E8 memory pressure", taint(TaintNodeMemoryPressure, TaintEffectNoSchedule), tmpl(none), true, true, ReasonEligible, ""},
		{"E8 pid pressure", taint(TaintNodePIDPressure, TaintEffectNoSchedule), tmpl(none), true, true, ReasonEligible, ""},
		{"E8 unschedulable (cordoned)", taint(TaintNodeUnschedulable, TaintEffectNoSchedule), tmpl(none), true, true, ReasonEligible, ""},
		{"E8 network-unavailable without hostNetwork", taint(TaintNodeNetworkUnavailable, TaintEffectNoSchedule), tmpl(none), false, true, ReasonUntoleratedNoSchedule, ""},
		{"E8 network-unavailable with hostNetwork", taint(TaintNodeNetworkUnavailable, TaintEffectNoSchedule),
			tmpl(func(pt *PodTemplate) { pt.HostNetwork = true }), true, true, ReasonEligible, ""},
		{"E3 before taints", Node{Name: "n1", Taints: []Taint{{Key: "k", Effect: TaintEffectNoExecute}}},
			tmpl(func(pt *PodTemplate) { pt.NodeSelector = map[string]string{"x": "y"} }), false, false, ReasonNodeSelectorMismatch, "x=y"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := ExplainNode(c.node, c.ds, Options{})
			if e.ShouldRun != c.run || e.ShouldContinueRunning != c.cont || e.Reason != c.reason {
				t.Fatalf("got (%v, %v, %s), want (%v, %v, %s): %s", e.ShouldRun, e.ShouldContinueRunning, e.Reason, c.run, c.cont, c.reason, e.Message)
			}
			if !strings.Contains(e.Message, c.mentions) || !strings.Contains(e.Message, c.node.Name) {
				t.Fatalf("message %q should name %q and the node", e.Message, c.mentions)
			}
		})
	}
}

func TestExplainNodesAgreesWithExplainNode(t *testing.T) {
	ds := testDS(func(ds *DaemonSet) { ds.Spec.Template.NodeSelector = map[string]string{"zone": "a"} })
	nodes := []Node{
		{Name: "a", Labels: map[string]string{"zone": "a"}},
		{Name: "b", Labels: map[string]string{"zone": "b"}},
		{Name: "c", Labels: map[string]string{"zone": "a"}, Taints: []Taint{{Key: "k", Effect: TaintEffectNoExecute}}},
	}
	all := ExplainNodes(nodes, ds, Options{})
	want := []Reason{ReasonEligible, ReasonNodeSelectorMismatch, ReasonUntoleratedNoExecute}
	for i, n := range nodes {
		if one := ExplainNode(n, ds, Options{}); one != all[i] || all[i].Reason != want[i] {
			t.Fatalf("node %s: ExplainNodes %+v, ExplainNode %+v, want reason %s", n.Name, all[i], one, want[i])
		}
	}
}
