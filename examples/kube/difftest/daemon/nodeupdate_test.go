package daemon

import (
	"context"
	"testing"
	_ "unsafe" // go:linkname

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/kubernetes/pkg/controller/daemon"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/internal/reach"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
)

//go:linkname shouldIgnoreNodeUpdate k8s.io/kubernetes/pkg/controller/daemon.shouldIgnoreNodeUpdate
func shouldIgnoreNodeUpdate(oldNode, curNode v1.Node) bool

//go:linkname syncNodeUpdate k8s.io/kubernetes/pkg/controller/daemon.(*DaemonSetsController).syncNodeUpdate
func syncNodeUpdate(dsc *daemon.DaemonSetsController, ctx context.Context, nodeName string) error

// daemonset.NodeChanged against the controller's shouldIgnoreNodeUpdate,
// and daemonset.NodeUpdateSyncs against whether its syncNodeUpdate enqueues
// the DaemonSet, on random node updates.
func TestNodeUpdateFilterAgainstController(t *testing.T) {
	seen := map[[2]bool]int{}
	rapid.Check(t, func(t *rapid.T) {
		c := genCluster(t)
		old := genNode(t, "n1")
		cur := old.DeepCopy()
		switch rapid.IntRange(0, 6).Draw(t, "change") {
		case 0:
			cur.Labels["zone"] = map[string]string{"a": "b", "b": "a"}[cur.Labels["zone"]]
		case 1:
			cur.Spec.Taints = genTaints(t)
		case 2: // an unrelated change
			cur.Spec.Unschedulable = true
			cur.Status.Conditions = []v1.NodeCondition{{Type: v1.NodeReady, Status: v1.ConditionFalse}}
		case 3: // nil and empty are the same
			if len(cur.Spec.Taints) == 0 {
				cur.Spec.Taints = []v1.Taint{}
			}
		case 4:
			if len(cur.Spec.Taints) > 0 {
				at := metav1.NewTime(c.now)
				cur.Spec.Taints[0].TimeAdded = &at
			}
		case 5:
			cur.Labels = genNode(t, "n1").Labels
		}
		wantIgnore := shouldIgnoreNodeUpdate(*old, *cur)
		if got := daemonset.NodeChanged(adapt.Node(old), adapt.Node(cur)); got == wantIgnore {
			t.Fatalf("NodeChanged %v, shouldIgnoreNodeUpdate %v\nold %+v\ncur %+v", got, wantIgnore, old, cur)
		}

		// Pods of the DaemonSet on this node or elsewhere, in any state.
		var pods []*v1.Pod
		for range rapid.IntRange(0, 2).Draw(t, "pods") {
			p := &v1.Pod{ObjectMeta: metav1.ObjectMeta{Name: c.newName(), Namespace: c.ds.Namespace, Labels: map[string]string{"app": "agent"}},
				Spec: v1.PodSpec{NodeName: rapid.SampledFrom([]string{"n1", "n2"}).Draw(t, "podNode")}}
			if rapid.IntRange(0, 3).Draw(t, "owned") > 0 {
				setOwner(p, c.ds, true)
			}
			pods = append(pods, p)
		}
		misscheduled := rapid.IntRange(0, 1).Draw(t, "misscheduled")
		ds := c.ds.DeepCopy()
		ds.Status.NumberMisscheduled = int32(misscheduled)

		u := newUpstream(c.now)
		defer u.close()
		replace(u.f.Apps().V1().DaemonSets().Informer().GetIndexer(), ds)
		replace(u.f.Core().V1().Nodes().Informer().GetIndexer(), cur)
		var objs []any
		for _, p := range pods {
			objs = append(objs, p)
		}
		must(u.f.Core().V1().Pods().Informer().GetIndexer().Replace(objs, ""))
		enqueued := false
		reach.Set(u.dsc, "enqueueDaemonSet", func(*appsv1.DaemonSet) { enqueued = true })
		if err := syncNodeUpdate(u.dsc, context.Background(), cur.Name); err != nil {
			t.Fatal(err)
		}
		var ourPods []daemonset.Pod
		for _, p := range pods {
			ourPods = append(ourPods, adapt.DaemonPod(p))
		}
		got := daemonset.NodeUpdateSyncs(adapt.Node(cur), adapt.DaemonSet(ds), ourPods, misscheduled, daemonset.Options{Release: testmain.Release()})
		seen[[2]bool{wantIgnore, enqueued}]++
		if got != enqueued {
			run, cont := nodeShouldRun(cur, ds)
			t.Fatalf("NodeUpdateSyncs %v, syncNodeUpdate enqueued %v (run %v continue %v, misscheduled %d, pods %d)",
				got, enqueued, run, cont, misscheduled, len(pods))
		}
	})
	for _, k := range [][2]bool{{true, false}, {false, true}, {false, false}} {
		if seen[k] == 0 {
			t.Errorf("no case with (ignored, enqueued) = %v: %v", k, seen)
		}
	}
}
