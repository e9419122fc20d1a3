package daemonset

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// TestPropertiesPure: valid inputs always plan, inputs stay untouched, the
// order of nodes, pods and backoff entries does not change the plan, and the
// plan is well formed.
func TestPropertiesPure(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ds := genDS(t)
		ds.Unobserved = genUnobserved(t)
		opts := Options{Release: genRelease(t)}
		nodes, pods := genNodes(t), genPods(t, &ds)
		n0, p0, d0 := cloneNodes(nodes), clonePods(pods), cloneDS(ds)

		plan, err := PlanDaemonSet(nodes, pods, ds, t0, opts)
		if err != nil {
			t.Fatalf("valid input rejected: %v", err)
		}
		if d := cmp.Diff(n0, nodes); d != "" {
			t.Fatalf("nodes modified:\n%s", d)
		}
		if d := cmp.Diff(p0, pods); d != "" {
			t.Fatalf("pods modified:\n%s", d)
		}
		if d := cmp.Diff(d0, ds, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("daemonset modified:\n%s", d)
		}

		perm := func(n int, label string) []int {
			return rapid.Permutation(seq(n)).Draw(t, label)
		}
		sn, sp, sd := cloneNodes(nodes), clonePods(pods), cloneDS(ds)
		for i, j := range perm(len(nodes), "nodePerm") {
			sn[i] = nodes[j]
		}
		for i, j := range perm(len(pods), "podPerm") {
			sp[i] = pods[j]
		}
		for i, j := range perm(len(ds.FailedPodBackoff), "boPerm") {
			sd.FailedPodBackoff[i] = ds.FailedPodBackoff[j]
		}
		again, err := PlanDaemonSet(sn, sp, sd, t0, opts)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(plan, again, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("input order changed the plan:\n%s", d)
		}
		checkWellFormed(t, nodes, pods, plan)
	})
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func checkWellFormed(t *rapid.T, nodes []Node, pods []Pod, plan Plan) {
	byName := map[string]*Pod{}
	for i := range pods {
		byName[pods[i].Name] = &pods[i]
	}
	isNode := map[string]bool{}
	for _, n := range nodes {
		isNode[n.Name] = true
	}
	for i, c := range plan.Creates {
		if !isNode[c.Node] || c.Reason == "" || !strings.Contains(c.Message, c.Node) {
			t.Fatalf("bad create %+v", c)
		}
		if i > 0 && plan.Creates[i-1].Node >= c.Node {
			t.Fatalf("creates not sorted or repeated: %v", plan.Creates)
		}
	}
	for i, d := range plan.Deletes {
		p := byName[d.Pod]
		if p == nil || p.Deleting || d.Reason == "" || !strings.Contains(d.Message, d.Pod) {
			t.Fatalf("bad delete %+v", d)
		}
		if i > 0 {
			prev := plan.Deletes[i-1]
			if prev.Node > d.Node || prev.Node == d.Node && prev.Pod >= d.Pod {
				t.Fatalf("deletes not sorted: %v", plan.Deletes)
			}
		}
	}
	s := plan.Status
	if s.NumberUnavailable != s.DesiredNumberScheduled-s.NumberAvailable || s.NumberAvailable > s.NumberReady ||
		s.NumberReady > s.CurrentNumberScheduled || s.CurrentNumberScheduled > s.DesiredNumberScheduled ||
		s.UpdatedNumberScheduled > s.CurrentNumberScheduled {
		t.Fatalf("inconsistent status %+v", s)
	}
	if !plan.RequeueAt.IsZero() && !plan.RequeueAt.After(t0) {
		t.Fatalf("requeue at %v is not in the future", plan.RequeueAt)
	}
}
