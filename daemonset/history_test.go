package daemonset

import (
	"testing"
	"time"
)

func revNames(rs []Revision) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return out
}

func TestCleanupHistoryKeepsTheLimitAndLiveHashes(t *testing.T) {
	two := int32(2)
	ds := testDS(func(ds *DaemonSet) { ds.Spec.RevisionHistoryLimit = &two })
	revs := []Revision{
		{Name: "ds-e", Revision: 5, Hash: "e"}, {Name: "ds-a", Revision: 1, Hash: "a"}, {Name: "ds-new", Revision: 6, Hash: "new"},
		{Name: "ds-c", Revision: 3, Hash: "c"}, {Name: "ds-b", Revision: 2, Hash: "b"}, {Name: "ds-d", Revision: 4, Hash: "d"},
	}
	// A finished pod being deleted still keeps its revision; a pod the
	// DaemonSet does not claim does not.
	keepA := deleting(phase(pod("pa", "n1", 1), PodFailed))
	keepA.Labels = map[string]string{"app": "d", LabelRevisionHash: "a"}
	other := pod("pb", "n2", 1)
	other.Labels = map[string]string{"app": "d", LabelRevisionHash: "b"}
	other.ControllerUID = "someone-else"
	got := HistoryToDelete(revs, []Pod{keepA, other}, ds)
	must.Equal(t, []string{"ds-b", "ds-c", "ds-d"}, revNames(got))
	must.Equal(t, "ds-e", revs[0].Name, "input untouched")

	// Within the limit nothing goes; nil means 10.
	ds.Spec.RevisionHistoryLimit = nil
	must.Empty(t, HistoryToDelete(revs, nil, ds))
}

func TestCleanupHistoryStopsShortWhenLiveRevisionsFillTheHistory(t *testing.T) {
	zero := int32(0)
	ds := testDS(func(ds *DaemonSet) { ds.Spec.RevisionHistoryLimit = &zero })
	revs := []Revision{{Name: "ds-a", Revision: 1, Hash: "a"}, {Name: "ds-new", Revision: 2, Hash: "new"}}
	live := old(pod("p", "n1", 1))
	live.Labels[LabelRevisionHash] = "a"
	must.Empty(t, HistoryToDelete(revs, []Pod{live}, ds))
	must.Equal(t, []string{"ds-a"}, revNames(HistoryToDelete(revs, nil, ds)))
}

func TestShouldIgnoreNodeUpdateLooksAtLabelsAndTaintsOnly(t *testing.T) {
	a := Node{Name: "n1", Labels: map[string]string{"zone": "a"}}
	must.True(t, !NodeChanged(a, Node{Name: "n1", Labels: map[string]string{"zone": "a"}, Taints: []Taint{}}))
	must.True(t, NodeChanged(a, Node{Name: "n1", Labels: map[string]string{"zone": "b"}}))
	must.True(t, NodeChanged(a, Node{Name: "n1", Labels: a.Labels, Taints: []Taint{{Key: TaintNodeNotReady, Effect: TaintEffectNoExecute}}}))
	t1 := []Taint{{Key: "k", Effect: TaintEffectNoSchedule, TimeAdded: t0}}
	t2 := []Taint{{Key: "k", Effect: TaintEffectNoSchedule, TimeAdded: t0.Add(time.Second)}}
	must.True(t, NodeChanged(Node{Taints: t1}, Node{Taints: t2}), "timeAdded is part of the taint")
}

func TestSyncNodeUpdateEnqueues(t *testing.T) {
	ds := testDS(func(ds *DaemonSet) { ds.Spec.Template.NodeSelector = map[string]string{"zone": "a"} })
	good := Node{Name: "n1", Labels: map[string]string{"zone": "a"}}
	bad := Node{Name: "n1", Labels: map[string]string{"zone": "b"}}
	cordoned := Node{Name: "n1", Labels: good.Labels, Taints: []Taint{{Key: "x", Effect: TaintEffectNoSchedule}}}
	onNode := []Pod{pod("p", "n1", 1)}
	elsewhere := []Pod{pod("p", "n2", 1)}
	cases := []struct {
		name         string
		node         Node
		pods         []Pod
		misscheduled int
		want         bool
	}{
		{"should run and has no pod", good, elsewhere, 0, true},
		{"should run and has its pod", good, onNode, 0, false},
		{"has a pod that may not stay", bad, onNode, 0, true},
		{"a pod that may stay, nothing misscheduled", cordoned, onNode, 0, false},
		{"a pod that may stay, some misscheduled", cordoned, onNode, 1, true},
		{"no pod and may not run", bad, nil, 3, false},
	}
	for _, c := range cases {
		if got := NodeUpdateSyncs(c.node, ds, c.pods, c.misscheduled, Options{}); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
