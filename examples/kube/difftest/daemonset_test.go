package difftest

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	corev1helpers "k8s.io/component-helpers/scheduling/corev1"
	"k8s.io/component-helpers/scheduling/corev1/nodeaffinity"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/examples/kube/adapt"
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
}

var dsTolerations = []v1.Toleration{
	{Key: "dedicated", Operator: v1.TolerationOpEqual, Value: "gpu", Effect: v1.TaintEffectNoSchedule},
	{Key: "dedicated", Operator: v1.TolerationOpExists},
	{Key: "node.kubernetes.io/network-unavailable", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoSchedule},
	{Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoExecute},
}

// kubernetesShouldRun is the DaemonSet controller's node check built from
// Kubernetes' helpers: the would-be pod carries the template's spec, the
// node name, and the tolerations the controller adds (network-unavailable
// only with hostNetwork); then required node affinity (with the
// nodeSelector) and the NoSchedule/NoExecute taints decide.
func kubernetesShouldRun(ds *appsv1.DaemonSet, node *v1.Node) (shouldRun, shouldContinue bool) {
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
	_, untolerated := corev1helpers.FindMatchingUntoleratedTaint(node.Spec.Taints, pod.Spec.Tolerations, func(t *v1.Taint) bool {
		return t.Effect == v1.TaintEffectNoSchedule || t.Effect == v1.TaintEffectNoExecute
	})
	if !untolerated {
		return true, true
	}
	_, evicting := corev1helpers.FindMatchingUntoleratedTaint(node.Spec.Taints, pod.Spec.Tolerations, func(t *v1.Taint) bool {
		return t.Effect == v1.TaintEffectNoExecute
	})
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
		wantRun, wantContinue := kubernetesShouldRun(ds, node)
		got := daemonset.ExplainNode(adapt.Node(node), adapt.DaemonSet(ds))
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
