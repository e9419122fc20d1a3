package daemonset

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// cluster is a tiny in-memory cluster: the DaemonSet controller is
// PlanDaemonSet, the scheduler binds pods, the kubelet makes them ready or
// failed and finishes deletions, pod GC removes pods of vanished nodes.
type cluster struct {
	nodes []Node
	pods  []Pod
	ds    DaemonSet
	now   time.Time
	seq   int
	surge bool
	last  Plan
}

func (c *cluster) podIndex(name string) int {
	return slices.IndexFunc(c.pods, func(p Pod) bool { return p.Name == name })
}

// reconcile plans one pass and applies it the way the API server would.
func (c *cluster) reconcile(t *rapid.T) Plan {
	plan, err := PlanDaemonSet(c.nodes, c.pods, c.ds, c.now, Options{})
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	for _, d := range plan.Deletes {
		i := c.podIndex(d.Pod)
		if i < 0 || c.pods[i].Deleting {
			t.Fatalf("delete of missing or deleting pod %s", d.Pod)
		}
		c.pods[i].Deleting = true
	}
	for _, cr := range plan.Creates {
		c.seq++
		c.pods = append(c.pods, Pod{
			Name: fmt.Sprintf("p%03d", c.seq), Namespace: c.ds.Namespace, Labels: maps.Clone(plan.NewPodLabels),
			ControllerUID: c.ds.UID, Phase: PodPending, CreationTimestamp: c.now,
			RequiredNodeAffinity: &NodeSelector{Terms: []NodeSelectorTerm{{MatchFields: []NodeSelectorRequirement{
				{Key: FieldMetadataName, Operator: NodeOpIn, Values: []string{cr.Node}}}}}},
		})
	}
	for _, a := range plan.Adopt {
		c.pods[c.podIndex(a.Pod)].ControllerUID = c.ds.UID
	}
	c.ds.FailedPodBackoff = plan.FailedPodBackoff
	c.last = plan
	c.checkPerNode(t)
	return plan
}

func (c *cluster) checkBudgets(t *rapid.T, plan Plan) {
	r := plan.Rollout
	var budgeted, surged int
	for _, d := range plan.Deletes {
		if d.Reason == ReasonRollingUpdate {
			budgeted++
		}
	}
	for _, cr := range plan.Creates {
		if cr.Reason == ReasonSurge {
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

func (c *cluster) target(p *Pod) string {
	n, _ := targetNode(p)
	return n
}

// checkPerNode, run after each applied plan: never two live daemon pods on
// a node outside surge, never more than an old and a new one with it, even
// when stray pods were adopted.
func (c *cluster) checkPerNode(t *rapid.T) {
	live := map[string]int{}
	for i := range c.pods {
		p := &c.pods[i]
		if p.Deleting || p.Phase == PodFailed || p.Phase == PodSucceeded || c.nodeIndex(c.target(p)) < 0 {
			continue
		}
		live[c.target(p)]++
	}
	limit := 1
	if c.surge {
		limit = 2
	}
	for n, k := range live {
		if k > limit {
			t.Fatalf("node %s runs %d live daemon pods (limit %d)", n, k, limit)
		}
	}
}

func (c *cluster) pick(t *rapid.T, keep func(*Pod) bool) *Pod {
	var ix []int
	for i := range c.pods {
		if keep(&c.pods[i]) {
			ix = append(ix, i)
		}
	}
	if len(ix) == 0 {
		t.Skip("no such pod")
	}
	return &c.pods[rapid.SampledFrom(ix).Draw(t, "pod")]
}

func (c *cluster) bind(p *Pod) {
	if p.NodeName == "" {
		p.NodeName = c.target(p)
	}
}

func (c *cluster) makeReady(p *Pod) {
	c.bind(p)
	p.Phase, p.Ready, p.ReadySince = PodRunning, true, c.now
}

func (c *cluster) finishDeletions() {
	c.pods = slices.DeleteFunc(c.pods, func(p Pod) bool { return p.Deleting })
}

func (c *cluster) nodeIndex(name string) int {
	return slices.IndexFunc(c.nodes, func(n Node) bool { return n.Name == name })
}

// settle runs the cluster without disturbances until the controller has
// nothing left to do, and checks that the rollout finished.
func (c *cluster) settle(t *rapid.T) {
	for round := 0; ; round++ {
		if round > 6*len(nodePool)+10 {
			t.Fatalf("no convergence; last plan %v, rollout %+v", summary(c.last), c.last.Rollout)
		}
		c.finishDeletions()
		// Pod GC removes bound pods of vanished nodes.
		c.pods = slices.DeleteFunc(c.pods, func(p Pod) bool { return p.NodeName != "" && c.nodeIndex(p.NodeName) < 0 })
		for i := range c.pods {
			if p := &c.pods[i]; !p.Ready && p.Phase != PodFailed && p.Phase != PodSucceeded {
				c.makeReady(p)
			}
		}
		c.now = c.now.Add(BackoffMax + time.Minute) // past minReadySeconds and any backoff
		plan := c.reconcile(t)
		c.checkBudgets(t, plan)
		if len(plan.Creates)+len(plan.Deletes) == 0 && plan.Rollout.Blocked == "" && plan.RequeueAt.IsZero() {
			break
		}
	}
	s := c.last.Status
	if s.UpdatedNumberScheduled != s.DesiredNumberScheduled || s.NumberAvailable != s.DesiredNumberScheduled ||
		s.CurrentNumberScheduled != s.DesiredNumberScheduled {
		t.Fatalf("rollout did not finish: %+v", s)
	}
	chk := newChecker(&c.ds.Spec.Template, false)
	for i := range c.nodes {
		v := chk.check(&c.nodes[i])
		var mine []string
		for j := range c.pods {
			if p := &c.pods[j]; c.target(p) == c.nodes[i].Name && !p.Deleting {
				mine = append(mine, p.Name+"@"+p.Labels[LabelRevisionHash])
			}
		}
		switch {
		case v.run && (len(mine) != 1 || c.pods[c.podIndex(mine[0][:4])].Labels[LabelRevisionHash] != c.ds.Spec.CurrentHash):
			t.Fatalf("eligible node %s ends with pods %v, want one of revision %s", c.nodes[i].Name, mine, c.ds.Spec.CurrentHash)
		case !v.cont && len(mine) > 0:
			t.Fatalf("node %s must not keep pods, has %v", c.nodes[i].Name, mine)
		}
	}
}

func newCluster(t *rapid.T) *cluster {
	c := &cluster{now: t0, ds: testDS()}
	c.ds.Spec.MinReadySeconds = int32(rapid.SampledFrom([]int{0, 10}).Draw(t, "minReady"))
	if rapid.Bool().Draw(t, "surge") {
		zero, s := FromInt(0), FromInt(int32(rapid.IntRange(1, 3).Draw(t, "maxSurge")))
		c.ds.Spec.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxUnavailable: &zero, MaxSurge: &s}
		c.surge = true
	} else {
		u := FromInt(int32(rapid.IntRange(1, 3).Draw(t, "maxUnavailable")))
		c.ds.Spec.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxUnavailable: &u}
	}
	for _, n := range nodePool[:rapid.IntRange(1, len(nodePool)).Draw(t, "nodes")] {
		c.nodes = append(c.nodes, Node{Name: n})
	}
	return c
}

// TestStateMachineFaults drives the controller through node churn, taints,
// failing pods and new revisions; per-node limits and budgets hold on every
// step and the rollout finishes once the disturbances stop.
func TestStateMachineFaults(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := newCluster(t)
		reconcile := func(t *rapid.T) { c.checkBudgets(t, c.reconcile(t)) }
		actions := map[string]func(*rapid.T){
			// Three keys make reconciling as likely as a disturbance.
			"reconcile": reconcile, "reconcile again": reconcile, "reconcile once more": reconcile,
			"addNode": func(t *rapid.T) {
				n := rapid.SampledFrom(nodePool).Draw(t, "node")
				if c.nodeIndex(n) >= 0 {
					t.Skip("exists")
				}
				c.nodes = append(c.nodes, Node{Name: n})
			},
			"removeNode": func(t *rapid.T) {
				if len(c.nodes) == 0 {
					t.Skip("no nodes")
				}
				i := rapid.IntRange(0, len(c.nodes)-1).Draw(t, "node")
				gone := c.nodes[i].Name
				c.nodes = slices.Delete(c.nodes, i, i+1)
				c.pods = slices.DeleteFunc(c.pods, func(p Pod) bool { return p.NodeName == gone })
			},
			"taint": func(t *rapid.T) {
				if len(c.nodes) == 0 {
					t.Skip("no nodes")
				}
				n := &c.nodes[rapid.IntRange(0, len(c.nodes)-1).Draw(t, "node")]
				if len(n.Taints) > 0 {
					n.Taints = nil
					return
				}
				n.Taints = []Taint{{Key: "maintenance", Effect: rapid.SampledFrom([]TaintEffect{
					TaintEffectNoSchedule, TaintEffectNoExecute, TaintEffectPreferNoSchedule}).Draw(t, "effect")}}
				if rapid.Bool().Draw(t, "alsoNotReady") {
					n.Taints = append(n.Taints, Taint{Key: TaintNodeNotReady, Effect: TaintEffectNoExecute})
				}
			},
			"podReady": func(t *rapid.T) {
				c.makeReady(c.pick(t, func(p *Pod) bool { return !p.Ready && p.Phase != PodFailed && p.Phase != PodSucceeded }))
			},
			"podFails": func(t *rapid.T) {
				p := c.pick(t, func(p *Pod) bool { return p.Phase != PodFailed && p.Phase != PodSucceeded })
				c.bind(p)
				p.Phase, p.Ready = rapid.SampledFrom([]PodPhase{PodFailed, PodFailed, PodSucceeded}).Draw(t, "end"), false
			},
			"podNotReady":     func(t *rapid.T) { c.pick(t, func(p *Pod) bool { return p.Ready }).Ready = false },
			"finishDeletions": func(t *rapid.T) { c.finishDeletions() },
			"tick": func(t *rapid.T) {
				c.now = c.now.Add(time.Duration(rapid.IntRange(1, 30).Draw(t, "secs")) * time.Second)
			},
			"newRevision": func(t *rapid.T) {
				c.seq++
				c.ds.Spec.CurrentHash = fmt.Sprintf("rev%d", c.seq)
			},
			"strayPod": func(t *rapid.T) {
				// An orphan with the DaemonSet's labels (say, left by an
				// earlier incarnation) shows up on some node.
				c.seq++
				c.pods = append(c.pods, Pod{Name: fmt.Sprintf("s%03d", c.seq), Namespace: c.ds.Namespace,
					Labels:   map[string]string{"app": "d", LabelRevisionHash: rapid.SampledFrom([]string{"old", c.ds.Spec.CurrentHash}).Draw(t, "hash")},
					NodeName: rapid.SampledFrom(nodePool).Draw(t, "node"), Phase: PodRunning, Ready: true,
					ReadySince: c.now, CreationTimestamp: c.now.Add(-time.Duration(rapid.IntRange(0, 100).Draw(t, "age")) * time.Second)})
			},
		}
		for range 3 { // longer trajectories than one Repeat gives
			t.Repeat(actions)
		}
		for i := range c.nodes {
			c.nodes[i].Taints = slices.DeleteFunc(c.nodes[i].Taints, func(t Taint) bool { return t.Key == TaintNodeNotReady })
		}
		c.settle(t)
	})
}

// TestStateMachineCalmRollout: with no failures, a rolling update never has
// more than maxUnavailable nodes without an available pod (none with surge),
// and it finishes.
func TestStateMachineCalmRollout(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := newCluster(t)
		c.settle(t)
		c.ds.Spec.CurrentHash = "next"
		maxU := 0
		if !c.surge {
			maxU = int(c.ds.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable.IntVal)
		}
		reconcile := func(t *rapid.T) { c.checkBudgets(t, c.reconcile(t)) }
		t.Repeat(map[string]func(*rapid.T){
			"reconcile": reconcile, "reconcile again": reconcile,
			"podReady":        func(t *rapid.T) { c.makeReady(c.pick(t, func(p *Pod) bool { return !p.Ready })) },
			"finishDeletions": func(t *rapid.T) { c.finishDeletions() },
			"tick": func(t *rapid.T) {
				c.now = c.now.Add(time.Duration(rapid.IntRange(1, 30).Draw(t, "secs")) * time.Second)
			},
			"": func(t *rapid.T) {
				minReady := time.Duration(c.ds.Spec.MinReadySeconds) * time.Second
				down := 0
				for _, n := range c.nodes {
					ok := false
					for _, p := range c.pods {
						if c.target(&p) == n.Name && !p.Deleting && p.Ready && (minReady == 0 || !p.ReadySince.Add(minReady).After(c.now)) {
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
		c.settle(t)
	})
}
