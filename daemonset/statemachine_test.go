package daemonset_test

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/sim"
)

// The state machines drive the DaemonSet controller in package sim's world
// with the kubelets stopped (Lifecycle.Manual): every pod move, node change
// and API fault is a drawn event between passes.

var smStart = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

var smNodes = []string{"n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7"}

type machine struct {
	w     *sim.World
	surge bool
	seq   int
	// lagged is the last pass whose controller may not see a pod created
	// earlier (a late create drawn).
	lagged int
}

func (m *machine) ds() *daemonset.DaemonSet { return &m.w.DaemonSets[0].DaemonSet }

func (m *machine) hasNode(name string) bool {
	return slices.ContainsFunc(m.w.Nodes, func(n daemonset.Node) bool { return n.Name == name })
}

// where is the node a pod runs on or is aimed at.
func where(p *sim.Pod) string { return cmp.Or(p.Node, p.Target) }

func ended(p *sim.Pod) bool { return p.Phase == sim.Failed || p.Phase == sim.Succeeded }

// reconcile runs one pass of the world and checks it: every delete names a
// pod that was live before the pass, the budgets hold, no create puts more
// pods on a node than the strategy allows, and no node runs more.
func (m *machine) reconcile(t *rapid.T) sim.Pass {
	live := map[string]bool{}
	node := map[string]string{}
	for _, p := range m.w.Pods {
		live[p.Name] = p.Deleted.IsZero()
		node[p.Name] = where(&p)
	}
	pass, err := m.w.Step()
	if err != nil {
		t.Fatalf("step: %v", err)
	}
	// The pods per node as the pass meant them: a delete the API server
	// refused counts as done (the controller issues it again).
	meant := m.perNode()
	for _, a := range pass.Actions {
		switch {
		case a.Verb == "delete" && !live[a.Target]:
			t.Fatalf("delete of missing or deleting pod %s", a.Target)
		case a.Verb == "delete" && a.Lost && m.hasNode(node[a.Target]) && m.isLive(a.Target):
			meant[node[a.Target]]--
		}
	}
	for _, a := range pass.Actions {
		if a.Verb == "create" && meant[a.Target] > m.limit() {
			t.Fatalf("created a pod on node %s, which then has %d live daemon pods (limit %d)", a.Target, meant[a.Target], m.limit())
		}
	}
	m.checkBudgets(t, pass)
	if m.w.Passes > m.lagged {
		for n, k := range meant {
			if k > m.limit() {
				t.Fatalf("node %s runs %d live daemon pods (limit %d)", n, k, m.limit())
			}
		}
	}
	return pass
}

// isLive reports whether the pod exists, is not being deleted and has not
// ended.
func (m *machine) isLive(name string) bool {
	return slices.ContainsFunc(m.w.Pods, func(p sim.Pod) bool { return p.Name == name && p.Deleted.IsZero() && !ended(&p) })
}

// checkBudgets: the pass's rolling-update deletes and surge creates fit in
// what the budgets had left.
func (m *machine) checkBudgets(t *rapid.T, pass sim.Pass) {
	r := pass.DaemonSets[0].Rollout
	var budgeted, surged int
	for _, a := range pass.Actions {
		switch {
		case a.Verb == "delete" && a.Reason == string(daemonset.ReasonRollingUpdate):
			budgeted++
		case a.Verb == "create" && a.Reason == string(daemonset.ReasonSurge):
			surged++
		}
	}
	if budgeted > max(0, r.MaxUnavailable-r.Unavailable) {
		t.Fatalf("deleted %d available old pods with %d of maxUnavailable %d in use", budgeted, r.Unavailable, r.MaxUnavailable)
	}
	if surged > max(0, r.MaxSurge-r.Surging) {
		t.Fatalf("surged %d with %d of maxSurge %d in use", surged, r.Surging, r.MaxSurge)
	}
}

// Per node, after each pass: never two live daemon pods on a node outside
// surge, never more than an old and a new one with it, even when stray
// pods were adopted. A stray pod that shows up while the controller waits
// for a create it cannot see yet stays beside it until the controller sees
// both, so that check runs only on passes that see every pod; a create
// onto a full node is caught on every pass.

// perNode counts the live pods of each node.
func (m *machine) perNode() map[string]int {
	live := map[string]int{}
	for i := range m.w.Pods {
		p := &m.w.Pods[i]
		if !p.Deleted.IsZero() || ended(p) || !m.hasNode(where(p)) {
			continue
		}
		live[where(p)]++
	}
	return live
}

func (m *machine) limit() int {
	if m.surge {
		return 2
	}
	return 1
}

// pick draws a pod that keep accepts.
func (m *machine) pick(t *rapid.T, keep func(*sim.Pod) bool) string {
	var names []string
	for i := range m.w.Pods {
		if keep(&m.w.Pods[i]) {
			names = append(names, m.w.Pods[i].Name)
		}
	}
	if len(names) == 0 {
		t.Skip("no such pod")
	}
	return rapid.SampledFrom(names).Draw(t, "pod")
}

func (m *machine) finishDeletions() {
	var gone []string
	for _, p := range m.w.Pods {
		if !p.Deleted.IsZero() {
			gone = append(gone, p.Name)
		}
	}
	for _, n := range gone {
		_ = m.w.FinishTermination("ns", n) // every one is being deleted
	}
}

// settle lets the kubelets work and runs passes without disturbances until
// the controller has nothing left to do, and checks that the rollout
// finished: every eligible node runs one available pod of the current
// template, and no node that must not keep a pod has one.
func (m *machine) settle(t *rapid.T) {
	m.w.Faults = sim.Faults{}
	m.w.Lifecycle.Manual = false
	var st sim.DaemonSetState
	for round := 0; ; round++ {
		if round > 6*len(smNodes)+10 {
			t.Fatalf("no convergence; last state %+v", st)
		}
		for _, p := range m.w.Pods {
			if !p.Ready && p.Deleted.IsZero() && !ended(&p) {
				_ = m.w.SetPodReady("ns", p.Name, true) // a readiness probe recovers; a pod that cannot start waits
			}
		}
		m.w.Now = m.w.Now.Add(daemonset.BackoffMax + time.Minute) // past minReadySeconds and any backoff
		pass := m.reconcile(t)
		st = pass.DaemonSets[0]
		// Done counts the pods the world has; the controller must have
		// seen them all too.
		if len(pass.Actions) == 0 && st.Done && st.Rollout.Blocked == "" && m.w.Passes > m.lagged {
			break
		}
	}
	if st.Updated != st.Desired || st.Available != st.Desired || st.Unavailable != 0 {
		t.Fatalf("rollout did not finish: %+v", st)
	}
	verdicts := daemonset.ExplainNodes(m.w.Nodes, *m.ds(), m.w.DaemonSets[0].Options)
	for i, v := range verdicts {
		node := m.w.Nodes[i].Name
		var mine []string
		current := 0
		for _, p := range m.w.Pods {
			if where(&p) == node && p.Deleted.IsZero() {
				mine = append(mine, p.Name+"@"+p.Labels[daemonset.LabelRevisionHash])
				if p.Labels[daemonset.LabelRevisionHash] == m.ds().Spec.CurrentHash {
					current++
				}
			}
		}
		switch {
		case v.ShouldRun && (len(mine) != 1 || current != 1):
			t.Fatalf("eligible node %s ends with pods %v, want one of revision %s", node, mine, m.ds().Spec.CurrentHash)
		case !v.ShouldContinueRunning && len(mine) > 0:
			t.Fatalf("node %s must not keep pods, has %v", node, mine)
		}
	}
}

func newMachine(t *rapid.T) *machine {
	ds := daemonset.DaemonSet{Name: "ds", Namespace: "ns", UID: "uid-ds", Generation: 3, ObservedGeneration: 3, Spec: daemonset.Spec{
		Selector:    &daemonset.LabelSelector{MatchLabels: map[string]string{"app": "d"}},
		Template:    daemonset.PodTemplate{Labels: map[string]string{"app": "d"}},
		CurrentHash: "new",
	}}
	m := &machine{w: &sim.World{Now: smStart, Lifecycle: sim.Lifecycle{Manual: true}}}
	ds.Spec.MinReadySeconds = int32(rapid.SampledFrom([]int{0, 10}).Draw(t, "minReady"))
	if rapid.Bool().Draw(t, "surge") {
		zero, s := daemonset.FromInt(0), daemonset.FromInt(int32(rapid.IntRange(1, 3).Draw(t, "maxSurge")))
		ds.Spec.UpdateStrategy.RollingUpdate = &daemonset.RollingUpdateParams{MaxUnavailable: &zero, MaxSurge: &s}
		m.surge = true
	} else {
		u := daemonset.FromInt(int32(rapid.IntRange(1, 3).Draw(t, "maxUnavailable")))
		ds.Spec.UpdateStrategy.RollingUpdate = &daemonset.RollingUpdateParams{MaxUnavailable: &u}
	}
	m.w.DaemonSets = []sim.DaemonSet{{DaemonSet: ds}}
	for _, n := range smNodes[:rapid.IntRange(1, len(smNodes)).Draw(t, "nodes")] {
		m.w.Nodes = append(m.w.Nodes, daemonset.Node{Name: n})
	}
	return m
}

func (m *machine) tick(t *rapid.T) {
	m.w.Now = m.w.Now.Add(time.Duration(rapid.IntRange(1, 30).Draw(t, "secs")) * time.Second)
}

// TestStateMachineFaults drives the controller through node churn, taints,
// NotReady nodes, failing and deleted pods, lost and late writes and new
// revisions; per-node limits and budgets hold on every pass and the rollout
// finishes once the disturbances stop.
func TestStateMachineFaults(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := newMachine(t)
		w := m.w
		reconcile := func(t *rapid.T) { m.reconcile(t) }
		actions := map[string]func(*rapid.T){
			// Three keys make reconciling as likely as a disturbance.
			"reconcile": reconcile, "reconcile again": reconcile, "reconcile once more": reconcile,
			"addNode": func(t *rapid.T) {
				if err := w.AddNode(daemonset.Node{Name: rapid.SampledFrom(smNodes).Draw(t, "node")}); err != nil {
					t.Skip("exists")
				}
			},
			"removeNode": func(t *rapid.T) {
				if len(w.Nodes) == 0 {
					t.Skip("no nodes")
				}
				if err := w.RemoveNode(w.Nodes[rapid.IntRange(0, len(w.Nodes)-1).Draw(t, "node")].Name); err != nil {
					t.Fatal(err)
				}
			},
			"taint": func(t *rapid.T) {
				if len(w.Nodes) == 0 {
					t.Skip("no nodes")
				}
				n := w.Nodes[rapid.IntRange(0, len(w.Nodes)-1).Draw(t, "node")].Name
				if i := slices.IndexFunc(w.Nodes, func(x daemonset.Node) bool { return x.Name == n }); len(w.Nodes[i].Taints) > 0 {
					if w.UntaintNode(n, "maintenance") != nil || w.SetNodeReady(n, true) != nil {
						t.Fatal("untaint failed")
					}
					return
				}
				if err := w.TaintNode(n, daemonset.Taint{Key: "maintenance", Effect: rapid.SampledFrom([]daemonset.TaintEffect{
					daemonset.TaintEffectNoSchedule, daemonset.TaintEffectNoExecute, daemonset.TaintEffectPreferNoSchedule}).Draw(t, "effect")}); err != nil {
					t.Fatal(err)
				}
				if rapid.Bool().Draw(t, "alsoNotReady") {
					if err := w.SetNodeReady(n, false); err != nil {
						t.Fatal(err)
					}
				}
			},
			"podReady": func(t *rapid.T) {
				name := m.pick(t, func(p *sim.Pod) bool { return !p.Ready && !ended(p) })
				if err := w.SetPodReady("ns", name, true); err != nil {
					t.Skip(err.Error()) // being deleted, or its node is gone
				}
			},
			"podFails": func(t *rapid.T) {
				name := m.pick(t, func(p *sim.Pod) bool { return !ended(p) })
				if err := w.FailPod("ns", name, rapid.SampledFrom([]int32{1, 1, 0}).Draw(t, "exit")); err != nil {
					t.Fatal(err)
				}
			},
			"podNotReady": func(t *rapid.T) {
				if err := w.SetPodReady("ns", m.pick(t, func(p *sim.Pod) bool { return p.Ready && p.Deleted.IsZero() }), false); err != nil {
					t.Fatal(err)
				}
			},
			"podDeleted": func(t *rapid.T) {
				if err := w.DeletePod("ns", m.pick(t, func(p *sim.Pod) bool { return p.Deleted.IsZero() })); err != nil {
					t.Fatal(err)
				}
			},
			"finishDeletions": func(t *rapid.T) { m.finishDeletions() },
			"tick":            m.tick,
			"newRevision": func(t *rapid.T) {
				m.seq++
				m.ds().Spec.CurrentHash = fmt.Sprintf("rev%d", m.seq)
			},
			"strayPod": func(t *rapid.T) {
				// An orphan with the DaemonSet's labels (say, left by an
				// earlier incarnation) shows up on some node.
				m.seq++
				w.Pods = append(w.Pods, sim.Pod{Name: fmt.Sprintf("s%03d", m.seq), Namespace: "ns", Kind: sim.KindDaemonSet, Index: -1,
					Labels: map[string]string{"app": "d", daemonset.LabelRevisionHash: rapid.SampledFrom([]string{"old", m.ds().Spec.CurrentHash}).Draw(t, "hash")},
					Node:   rapid.SampledFrom(smNodes).Draw(t, "node"), Phase: sim.Running, Ready: true, ReadySince: w.Now, Running: w.Now,
					Created: w.Now.Add(-time.Duration(rapid.IntRange(0, 100).Draw(t, "age")) * time.Second)})
			},
			"lostWrites": func(t *rapid.T) {
				// The API server refuses the next pass's creates or
				// deletes (or both).
				next, verb := w.Passes+1, rapid.SampledFrom([]string{"create", "delete", ""}).Draw(t, "verb")
				w.Faults.Lose = func(wr sim.Write) bool { return wr.Pass == next && (verb == "" || wr.Verb == verb) }
			},
			"lateCreates": func(t *rapid.T) {
				// The next pass's creates reach the controller's cache
				// only some passes later.
				next, lag := w.Passes+1, rapid.IntRange(1, 3).Draw(t, "lag")
				m.lagged = max(m.lagged, next+lag)
				w.Faults.Lag = func(wr sim.Write) int {
					if wr.Pass == next {
						return lag
					}
					return 0
				}
			},
		}
		for range 3 { // longer trajectories than one Repeat gives
			t.Repeat(actions)
		}
		for _, n := range w.Nodes {
			if err := w.SetNodeReady(n.Name, true); err != nil {
				t.Fatal(err)
			}
		}
		m.settle(t)
	})
}

// TestStateMachineCalmRollout: with no failures, a rolling update never has
// more than maxUnavailable nodes without an available pod (none with surge),
// and it finishes.
func TestStateMachineCalmRollout(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := newMachine(t)
		w := m.w
		m.settle(t)
		w.Lifecycle.Manual = true
		m.ds().Spec.CurrentHash = "next"
		maxU := 0
		if !m.surge {
			maxU = int(m.ds().Spec.UpdateStrategy.RollingUpdate.MaxUnavailable.IntVal)
		}
		reconcile := func(t *rapid.T) { m.reconcile(t) }
		t.Repeat(map[string]func(*rapid.T){
			"reconcile": reconcile, "reconcile again": reconcile,
			"podReady": func(t *rapid.T) {
				if err := w.SetPodReady("ns", m.pick(t, func(p *sim.Pod) bool { return !p.Ready }), true); err != nil {
					t.Skip(err.Error()) // being deleted
				}
			},
			"finishDeletions": func(t *rapid.T) { m.finishDeletions() },
			"tick":            m.tick,
			"": func(t *rapid.T) {
				minReady := time.Duration(m.ds().Spec.MinReadySeconds) * time.Second
				down := 0
				for _, n := range w.Nodes {
					ok := false
					for _, p := range w.Pods {
						if where(&p) == n.Name && p.Deleted.IsZero() && p.Ready && !p.ReadySince.Add(minReady).After(w.Now) {
							ok = true
						}
					}
					if !ok {
						down++
					}
				}
				if down > maxU {
					t.Fatalf("%d nodes without an available pod, maxUnavailable %d", down, maxU)
				}
			},
		})
		m.settle(t)
	})
}
