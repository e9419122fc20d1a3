package bench

import (
	"fmt"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8slabels "k8s.io/apimachinery/pkg/labels"
	corev1helpers "k8s.io/component-helpers/scheduling/corev1"
	"k8s.io/component-helpers/scheduling/corev1/nodeaffinity"

	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/examples/kube/adapt"
)

var benchNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func benchDaemonSet() *appsv1.DaemonSet {
	return &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "agent", Namespace: "kube-system", UID: "ds-uid", Generation: 1},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "agent"}},
			Template: v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "agent"}},
				Spec: func() v1.PodSpec {
					s := daemonPodSpec()
					s.Containers = []v1.Container{{Name: "agent", Image: "agent:1"}}
					return s
				}(),
			},
		},
	}
}

// daemonPods puts a daemon pod on every other node, bound and ready.
func daemonPods(ds *appsv1.DaemonSet, ns []*v1.Node, hash string) []*v1.Pod {
	isController := true
	var out []*v1.Pod
	for i, n := range ns {
		if i%2 == 1 {
			continue
		}
		out = append(out, &v1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("agent-%06d", i), Namespace: ds.Namespace,
				Labels:            map[string]string{"app": "agent", "controller-revision-hash": hash},
				CreationTimestamp: metav1.NewTime(benchNow.Add(-time.Hour)),
				OwnerReferences:   []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: ds.Name, UID: ds.UID, Controller: &isController}}},
			Spec: v1.PodSpec{NodeName: n.Name},
			Status: v1.PodStatus{Phase: v1.PodRunning, Conditions: []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue,
				LastTransitionTime: metav1.NewTime(benchNow.Add(-time.Hour))}}},
		})
	}
	return out
}

// kubernetesDaemonSetPass is one DaemonSet sync built from the Kubernetes
// helpers the controller uses, in the controller's shape: select the
// daemon pods, group them by node, and per node build the would-be pod from
// the template (a deep copy with the node affinity and tolerations the
// controller adds) and run the node-affinity and taint checks; then the
// status pass, which checks every node again.
func kubernetesDaemonSetPass(ds *appsv1.DaemonSet, ns []*v1.Node, pods []*v1.Pod) (creates, desired int) {
	sel, err := metav1.LabelSelectorAsSelector(ds.Spec.Selector)
	if err != nil {
		panic(err)
	}
	byNode := map[string][]*v1.Pod{}
	for _, p := range pods {
		if sel.Matches(k8slabels.Set(p.Labels)) && metav1.IsControlledBy(p, ds) {
			byNode[p.Spec.NodeName] = append(byNode[p.Spec.NodeName], p)
		}
	}
	shouldRun := func(node *v1.Node) (bool, bool) {
		pod := &v1.Pod{Spec: *ds.Spec.Template.Spec.DeepCopy(), ObjectMeta: *ds.Spec.Template.ObjectMeta.DeepCopy()}
		pod.Namespace = ds.Namespace
		pod.Spec.NodeName = node.Name
		pod.Spec.Tolerations = append(pod.Spec.Tolerations,
			v1.Toleration{Key: "node.kubernetes.io/not-ready", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoExecute},
			v1.Toleration{Key: "node.kubernetes.io/unreachable", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoExecute},
			v1.Toleration{Key: "node.kubernetes.io/disk-pressure", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoSchedule},
			v1.Toleration{Key: "node.kubernetes.io/memory-pressure", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoSchedule},
			v1.Toleration{Key: "node.kubernetes.io/pid-pressure", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoSchedule},
			v1.Toleration{Key: "node.kubernetes.io/unschedulable", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoSchedule})
		if ok, _ := nodeaffinity.GetRequiredNodeAffinity(pod).Match(node); !ok {
			return false, false
		}
		_, untolerated := corev1helpers.FindMatchingUntoleratedTaint(node.Spec.Taints, pod.Spec.Tolerations, hardTaint)
		if !untolerated {
			return true, true
		}
		_, noExec := corev1helpers.FindMatchingUntoleratedTaint(node.Spec.Taints, pod.Spec.Tolerations, func(t *v1.Taint) bool {
			return t.Effect == v1.TaintEffectNoExecute
		})
		return false, !noExec
	}
	for _, n := range ns {
		if run, _ := shouldRun(n); run && len(byNode[n.Name]) == 0 {
			creates++
		}
	}
	for _, n := range ns {
		if run, _ := shouldRun(n); run {
			desired++
		}
	}
	return creates, desired
}

func benchmarkDaemonSet(b *testing.B, n int) {
	k8sDS := benchDaemonSet()
	ns := nodes(n)
	ds := adapt.DaemonSet(k8sDS)
	pods := daemonPods(k8sDS, ns, ds.Spec.CurrentHash)
	ourNodes := adapt.Nodes(ns)
	ourPods := make([]daemonset.Pod, len(pods))
	for i, p := range pods {
		ourPods[i] = adapt.DaemonPod(p)
	}
	plan, err := daemonset.PlanDaemonSet(ourNodes, ourPods, ds, benchNow, daemonset.Options{})
	if err != nil {
		b.Fatal(err)
	}
	creates, desired := kubernetesDaemonSetPass(k8sDS, ns, pods)
	if len(plan.Creates)+plan.DeferredCreates != creates || plan.Status.DesiredNumberScheduled != desired {
		b.Fatalf("purectl plans %d creates (+%d deferred) of %d desired, Kubernetes helpers %d of %d",
			len(plan.Creates), plan.DeferredCreates, plan.Status.DesiredNumberScheduled, creates, desired)
	}
	b.Run("purectl", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := daemonset.PlanDaemonSet(ourNodes, ourPods, ds, benchNow, daemonset.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("kubernetes", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			kubernetesDaemonSetPass(k8sDS, ns, pods)
		}
	})
}

// BenchmarkDaemonSetPass5000 is one DaemonSet pass over 5,000 nodes, half
// with a daemon pod.
func BenchmarkDaemonSetPass5000(b *testing.B) { benchmarkDaemonSet(b, 5000) }
