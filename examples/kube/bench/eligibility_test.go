package bench

import (
	"testing"

	v1 "k8s.io/api/core/v1"
	corev1helpers "k8s.io/component-helpers/scheduling/corev1"
	"k8s.io/component-helpers/scheduling/corev1/nodeaffinity"

	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/internal/nodeselector"
	"github.com/purectl/purectl/internal/taints"
)

func hardTaint(t *v1.Taint) bool {
	return t.Effect == v1.TaintEffectNoSchedule || t.Effect == v1.TaintEffectNoExecute
}

// kubernetesEligible is the node check of the DaemonSet controller built from
// component-helpers, as kube-controller-manager runs it per node.
func kubernetesEligible(pod *v1.Pod, node *v1.Node) bool {
	if ok, _ := nodeaffinity.GetRequiredNodeAffinity(pod).Match(node); !ok {
		return false
	}
	_, untolerated := corev1helpers.FindMatchingUntoleratedTaint(node.Spec.Taints, pod.Spec.Tolerations, hardTaint)
	return !untolerated
}

// ourHardTaint keeps the taints that affect placement: NoSchedule and NoExecute.
func ourHardTaint(t *taints.Taint) bool { return t.Effect != taints.EffectPreferNoSchedule }

type ourNode struct {
	name   string
	labels map[string]string
	taints []taints.Taint
}

func TestEligibilityAgrees(t *testing.T) {
	ns := nodes(2000)
	pod := &v1.Pod{Spec: daemonPodSpec()}
	aff := nodeselector.CompileRequired(adapt.RequiredNodeAffinity(pod.Spec.Affinity))
	tols := adapt.Tolerations(pod.Spec.Tolerations)
	eligible := 0
	for _, n := range ns {
		ts := adapt.Taints(n.Spec.Taints)
		ours := nodeselector.MatchMap(pod.Spec.NodeSelector, n.Labels) && aff.Match(n.Name, n.Labels) &&
			taints.FirstUntolerated(ts, tols, ourHardTaint, false) < 0
		if ours != kubernetesEligible(pod, n) {
			t.Fatalf("node %s: purectl %v, Kubernetes %v", n.Name, ours, !ours)
		}
		if ours {
			eligible++
		}
	}
	if eligible == 0 || eligible == len(ns) {
		t.Fatalf("the fleet must mix eligible and ineligible nodes, got %d of %d", eligible, len(ns))
	}
}

// BenchmarkEligibility5000 decides eligibility for 5,000 nodes, purectl
// (selectors compiled once per pass) against component-helpers (parsed per
// node, as the controller calls them).
func BenchmarkEligibility5000(b *testing.B) {
	ns := nodes(5000)
	pod := &v1.Pod{Spec: daemonPodSpec()}
	our := make([]ourNode, len(ns))
	for i, n := range ns {
		our[i] = ourNode{n.Name, n.Labels, adapt.Taints(n.Spec.Taints)}
	}
	b.Run("purectl", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			aff := nodeselector.CompileRequired(adapt.RequiredNodeAffinity(pod.Spec.Affinity))
			tols := adapt.Tolerations(pod.Spec.Tolerations)
			count := 0
			for j := range our {
				n := &our[j]
				if nodeselector.MatchMap(pod.Spec.NodeSelector, n.labels) && aff.Match(n.name, n.labels) &&
					taints.FirstUntolerated(n.taints, tols, ourHardTaint, false) < 0 {
					count++
				}
			}
			if count == 0 {
				b.Fatal("no eligible node")
			}
		}
	})
	b.Run("kubernetes", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			count := 0
			for _, n := range ns {
				if kubernetesEligible(pod, n) {
					count++
				}
			}
			if count == 0 {
				b.Fatal("no eligible node")
			}
		}
	})
}
