package sim_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/ptr"
	"github.com/purectl/purectl/sim"
)

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// rolledOut is a world where every node runs an available pod of template
// "v1" of a DaemonSet whose template has just changed to "v2".
func rolledOut(nodes int, strategy daemonset.UpdateStrategy, minReady int32, life sim.Lifecycle) *sim.World {
	w := &sim.World{Now: t0, Lifecycle: life}
	for i := range nodes {
		w.Nodes = append(w.Nodes, daemonset.Node{Name: fmt.Sprintf("node-%03d", i)})
	}
	ds := daemonset.DaemonSet{Name: "fluentd", Namespace: "kube-system", UID: "ds-1", Generation: 2, ObservedGeneration: 1,
		Spec: daemonset.Spec{
			Selector:        &daemonset.LabelSelector{MatchLabels: map[string]string{"name": "fluentd"}},
			Template:        daemonset.PodTemplate{Labels: map[string]string{"name": "fluentd"}},
			UpdateStrategy:  strategy,
			MinReadySeconds: minReady,
			CurrentHash:     "v2",
		}}
	w.DaemonSets = []sim.DaemonSet{{DaemonSet: ds}}
	for _, n := range w.Nodes {
		w.Pods = append(w.Pods, sim.Pod{Name: "old-" + n.Name, Namespace: ds.Namespace, Owner: ds.UID, Node: n.Name, Target: n.Name,
			Labels: map[string]string{"name": "fluentd", daemonset.LabelRevisionHash: "v1"},
			Index:  -1, Phase: sim.Running, Ready: true, ReadySince: t0.Add(-time.Hour), Created: t0.Add(-2 * time.Hour), Running: t0.Add(-2 * time.Hour)})
	}
	return w
}

// scaled is the budget a rolling update may use: an int as is, a percentage
// of desired rounded up.
func scaled(v *daemonset.IntOrString, def, desired int) int {
	if v == nil {
		return def
	}
	s := v.String()
	if pct, ok := strings.CutSuffix(s, "%"); ok {
		var n int
		fmt.Sscan(pct, &n)
		return (n*desired + 99) / 100
	}
	var n int
	fmt.Sscan(s, &n)
	return n
}

// A rolling update over a whole fleet, whatever the pods' timing, never has
// more nodes without an available pod than maxUnavailable allows, and ends
// with every node on the new template.
func TestRollingUpdateTrajectoryKeepsBudgetAndFinishes(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nodes := rapid.IntRange(1, 60).Draw(t, "nodes")
		var mu, ms *daemonset.IntOrString
		surge := rapid.Bool().Draw(t, "surge")
		if rapid.Bool().Draw(t, "percent") {
			v := daemonset.FromString(fmt.Sprintf("%d%%", rapid.IntRange(1, 50).Draw(t, "pct")))
			mu = &v
		} else {
			v := daemonset.FromInt(int32(rapid.IntRange(0, 5).Draw(t, "maxUnavailable")))
			mu = &v
		}
		if surge { // validation wants maxUnavailable 0 beside a surge
			v, zero := daemonset.FromInt(int32(rapid.IntRange(1, 5).Draw(t, "maxSurge"))), daemonset.FromInt(0)
			ms, mu = &v, &zero
		}
		if !surge && scaled(mu, 1, nodes) == 0 {
			v := daemonset.FromInt(1)
			mu = &v
		}
		life := sim.Lifecycle{
			Start:     time.Duration(rapid.IntRange(0, 30).Draw(t, "start")) * time.Second,
			Ready:     time.Duration(rapid.IntRange(0, 20).Draw(t, "ready")) * time.Second,
			Terminate: time.Duration(rapid.IntRange(0, 60).Draw(t, "terminate")) * time.Second,
		}
		minReady := int32(rapid.IntRange(0, 30).Draw(t, "minReady"))
		w := rolledOut(nodes, daemonset.UpdateStrategy{Type: daemonset.RollingUpdate,
			RollingUpdate: &daemonset.RollingUpdateParams{MaxUnavailable: mu, MaxSurge: ms}}, minReady, life)
		w.DaemonSets[0].Options.Release.Version = rapid.SampledFrom(releases).Draw(t, "release")
		tl, err := w.Run(t0.Add(48*time.Hour), 20000)
		if err != nil {
			t.Fatal(err)
		}
		if !tl.Finished {
			last := tl.Passes[len(tl.Passes)-1].DaemonSets[0]
			t.Fatalf("rollout did not finish (stuck %v) after %d passes: %+v", tl.Stuck, len(tl.Passes), last)
		}
		budget := scaled(mu, 1, nodes) // with a surge: 0, no node goes without an available pod
		if got := tl.MaxUnavailableSeen(0); got > budget {
			t.Fatalf("%d nodes without an available pod, budget %d", got, budget)
		}
		for _, p := range w.Pods {
			if p.Labels[daemonset.LabelRevisionHash] != "v2" {
				t.Fatalf("old pod %s left", p.Name)
			}
		}
		if len(w.Pods) != nodes {
			t.Fatalf("%d pods on %d nodes", len(w.Pods), nodes)
		}
	})
}

// A new template whose pods never get Ready stops the rollout after
// maxUnavailable nodes, and the timeline says where it waits.
func TestBrokenTemplateGetsStuck(t *testing.T) {
	life := sim.Lifecycle{Start: 5 * time.Second, Ready: 5 * time.Second,
		NeverReady: func(p *sim.Pod) bool { return p.Labels[daemonset.LabelRevisionHash] == "v2" }}
	mu := daemonset.FromInt(2)
	w := rolledOut(10, daemonset.UpdateStrategy{RollingUpdate: &daemonset.RollingUpdateParams{MaxUnavailable: &mu}}, 0, life)
	tl, err := w.Run(t0.Add(time.Hour), 1000)
	if err != nil {
		t.Fatal(err)
	}
	if tl.Finished || !tl.Stuck {
		t.Fatalf("finished %v stuck %v", tl.Finished, tl.Stuck)
	}
	last := tl.Passes[len(tl.Passes)-1].DaemonSets[0]
	if last.Updated != 2 || last.Unavailable != 2 || !strings.Contains(last.Blocked, "not Ready (current template)") {
		t.Fatalf("last state %+v", last)
	}
	if tl.MaxUnavailableSeen(0) != 2 {
		t.Fatalf("max unavailable %d", tl.MaxUnavailableSeen(0))
	}
}

// The same world gives the same timeline.
func TestRunIsDeterministic(t *testing.T) {
	run := func() sim.Timeline {
		w := rolledOut(25, daemonset.UpdateStrategy{}, 10, sim.Lifecycle{Start: 3 * time.Second, Ready: 7 * time.Second, Terminate: 30 * time.Second})
		tl, err := w.Run(t0.Add(24*time.Hour), 10000)
		if err != nil {
			t.Fatal(err)
		}
		return tl
	}
	a, b := run(), run()
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("two runs differ:\n%s", diff)
	}
	if !a.Finished {
		t.Fatal("default strategy did not finish")
	}
}

// A fresh DaemonSet on an empty cluster: every node gets a pod in the first
// pass, and the run finishes once they are available.
func TestFreshDaemonSetStartsEverywhere(t *testing.T) {
	w := rolledOut(4, daemonset.UpdateStrategy{}, 0, sim.Lifecycle{Start: 2 * time.Second, Ready: 3 * time.Second})
	w.Pods = nil
	tl, err := w.Run(t0.Add(time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	creates := 0
	for _, a := range tl.Passes[0].Actions {
		if a.Verb == "create" && a.Reason == string(daemonset.ReasonMissingPod) {
			creates++
		}
	}
	if creates != 4 || !tl.Finished || !tl.End.Equal(t0.Add(5*time.Second)) {
		t.Fatalf("creates %d finished %v end %v", creates, tl.Finished, tl.End)
	}
}

func ExampleWorld_Run() {
	w := &sim.World{Now: t0, Lifecycle: sim.Lifecycle{Start: 10 * time.Second, Ready: 5 * time.Second, Terminate: 30 * time.Second}}
	for i := 1; i <= 3; i++ {
		w.Nodes = append(w.Nodes, daemonset.Node{Name: fmt.Sprintf("node-%d", i)})
	}
	w.DaemonSets = []sim.DaemonSet{{DaemonSet: daemonset.DaemonSet{Name: "agent", Namespace: "default", UID: "u1", Generation: 1,
		Spec: daemonset.Spec{
			Selector:             &daemonset.LabelSelector{MatchLabels: map[string]string{"app": "agent"}},
			Template:             daemonset.PodTemplate{Labels: map[string]string{"app": "agent"}},
			RevisionHistoryLimit: ptr.To(int32(10)),
			CurrentHash:          "v1",
		}}}}
	tl, _ := w.Run(t0.Add(time.Hour), 100)
	for _, p := range tl.Passes {
		st := p.DaemonSets[0]
		fmt.Printf("+%-3v %d actions, %d/%d available\n", p.At.Sub(t0), len(p.Actions), st.Available, st.Desired)
	}
	fmt.Println("finished:", tl.Finished)
	// Output:
	// +0s  3 actions, 0/3 available
	// +0s  0 actions, 0/3 available
	// +10s 0 actions, 0/3 available
	// +15s 0 actions, 3/3 available
	// finished: true
}
