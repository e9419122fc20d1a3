package daemonset

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

const testUID = "uid-ds"

func testDS(mods ...func(*DaemonSet)) DaemonSet {
	ds := DaemonSet{Name: "ds", Namespace: "ns", UID: testUID, Generation: 3, ObservedGeneration: 3, Spec: Spec{
		Selector:    &LabelSelector{MatchLabels: map[string]string{"app": "d"}},
		Template:    PodTemplate{Labels: map[string]string{"app": "d"}},
		CurrentHash: "new",
	}}
	for _, m := range mods {
		m(&ds)
	}
	return ds
}

func surge(v IntOrString) func(*DaemonSet) {
	return func(ds *DaemonSet) {
		zero := FromInt(0)
		ds.Spec.UpdateStrategy = UpdateStrategy{Type: RollingUpdate, RollingUpdate: &RollingUpdateParams{MaxUnavailable: &zero, MaxSurge: &v}}
	}
}

func unavailable(v IntOrString) func(*DaemonSet) {
	return func(ds *DaemonSet) {
		ds.Spec.UpdateStrategy = UpdateStrategy{Type: RollingUpdate, RollingUpdate: &RollingUpdateParams{MaxUnavailable: &v}}
	}
}

func onDelete(ds *DaemonSet) { ds.Spec.UpdateStrategy = UpdateStrategy{Type: OnDelete} }

func nodesN(n int) []Node {
	out := make([]Node, n)
	for i := range out {
		out[i] = Node{Name: fmt.Sprintf("n%d", i+1)}
	}
	return out
}

// pod is a ready, running, up-to-date daemon pod bound to node, created age
// minutes before t0.
func pod(name, node string, age int) Pod {
	return Pod{Name: name, Namespace: "ns", Labels: map[string]string{"app": "d", LabelRevisionHash: "new"},
		ControllerUID: testUID, NodeName: node, Phase: PodRunning, Ready: true,
		ReadySince: t0.Add(-time.Duration(age) * time.Minute), CreationTimestamp: t0.Add(-time.Duration(age) * time.Minute)}
}

func old(p Pod) Pod {
	p.Labels = map[string]string{"app": "d", LabelRevisionHash: "old"}
	return p
}

func notReady(p Pod) Pod { p.Ready = false; p.ReadySince = time.Time{}; return p }

func phase(p Pod, ph PodPhase) Pod { p.Phase = ph; p.Ready = false; return p }

func deleting(p Pod) Pod { p.Deleting = true; return p }

func unbound(p Pod) Pod {
	p.RequiredNodeAffinity = &NodeSelector{Terms: []NodeSelectorTerm{{MatchFields: []NodeSelectorRequirement{
		{Key: FieldMetadataName, Operator: NodeOpIn, Values: []string{p.NodeName}}}}}}
	p.NodeName = ""
	return p
}

// summary renders a plan's actions compactly for table tests.
func summary(p Plan) []string {
	var out []string
	for _, c := range p.Creates {
		out = append(out, "create "+c.Node+" "+string(c.Reason))
	}
	for _, d := range p.Deletes {
		out = append(out, "delete "+d.Pod+" "+string(d.Reason))
	}
	return out
}

// must is a small assertion helper (testify's yaml dependency is not in go.sum).
var must checks

type checks struct{}

func (checks) NoError(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func (checks) Equal(t testing.TB, want, got any, msg ...any) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("%v (-want +got):\n%s", msg, diff)
	}
}

func (checks) Len(t testing.TB, v any, n int) {
	t.Helper()
	if l := reflect.ValueOf(v).Len(); l != n {
		t.Fatalf("length %d, want %d", l, n)
	}
}

func (checks) Empty(t testing.TB, v any) {
	t.Helper()
	if l := reflect.ValueOf(v).Len(); l != 0 {
		t.Fatalf("length %d, want empty: %v", l, v)
	}
}

func (checks) NotEmpty(t testing.TB, v any) {
	t.Helper()
	if reflect.ValueOf(v).Len() == 0 {
		t.Fatalf("empty")
	}
}

func (checks) True(t testing.TB, ok bool, msg ...any) {
	t.Helper()
	if !ok {
		t.Fatalf("not true %v", msg)
	}
}

func (checks) Less(t testing.TB, a, b string) {
	t.Helper()
	if !(a < b) {
		t.Fatalf("%q not < %q", a, b)
	}
}

func (checks) Greater(t testing.TB, a, b string) {
	t.Helper()
	if !(a > b) {
		t.Fatalf("%q not > %q", a, b)
	}
}

func (checks) Contains(t testing.TB, s, sub string) {
	t.Helper()
	if !strings.Contains(s, sub) {
		t.Fatalf("%q does not contain %q", s, sub)
	}
}
