// Package sim is a small in-memory cluster on a virtual clock that drives
// purectl's planners the way kube-controller-manager, the scheduler and the
// kubelets drive the real controllers: every pass's creates and deletes are
// applied, pods go Pending → Running → Ready after configurable delays (or
// never get Ready, or terminate slowly), and time jumps from one event to the
// next, so a whole rollout of hundreds of nodes is simulated in milliseconds.
//
// A World holds nodes, DaemonSets and their pods. Step runs one pass of every
// controller and applies it; Run steps and advances the clock until nothing
// is left to happen, and returns the Timeline: pass by pass what was created
// and deleted, and how many nodes were without an available pod.
//
// The world is deterministic: the same world and lifecycle give the same
// timeline. It is meant for tests, demos and "what will this rollout do"
// questions; it models no scheduler capacity, no image pulls beyond the
// start-up delay and no node failures unless the caller changes World.Nodes
// between calls.
package sim

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/purectl/purectl/daemonset"
)

// Lifecycle is how simulated pods behave. The zero value makes every pod
// start, become ready and terminate at once.
type Lifecycle struct {
	// Start is the time from creation until the pod is bound to its node and
	// Running (scheduling, image pull, container start).
	Start time.Duration
	// Ready is the time from Running until the Ready condition turns True.
	Ready time.Duration
	// Terminate is the grace period: from the delete until the pod is gone.
	Terminate time.Duration
	// NeverReady, when set, picks pods that stay Running but never become
	// Ready (a crash-looping or misconfigured container). It sees the pod's
	// node and its controller-revision-hash label.
	NeverReady func(node, revision string) bool
}

// Pod is a simulated pod.
type Pod struct {
	Name      string
	Namespace string
	Labels    map[string]string
	// Owner is the UID of the controlling object.
	Owner string
	// Node is where the pod runs once bound; Target is the node the
	// controller aimed it at.
	Node, Target string
	Phase        daemonset.PodPhase
	Ready        bool
	ReadySince   time.Time
	Created      time.Time
	// Deleted is when the delete was issued; zero while the pod lives.
	Deleted time.Time
	// Running is when the pod became Running; zero before.
	Running time.Time
}

// World is the simulated cluster.
type World struct {
	Now       time.Time
	Lifecycle Lifecycle
	Nodes     []daemonset.Node
	// DaemonSets are reconciled on every Step, in order; each keeps the
	// failed-pod backoff its last plan returned.
	DaemonSets []daemonset.DaemonSet
	Pods       []Pod

	seq     int
	requeue []time.Time // the last plan's RequeueAt, per DaemonSet
}

// Action is one write a controller issued in a pass.
type Action struct {
	// Object is the controller's object, e.g. "daemonset/kube-system/fluentd".
	Object string
	// Verb is "create" or "delete"; Target the node (create) or pod (delete).
	Verb, Target string
	Reason       string
	Message      string
}

// DaemonSetState is a DaemonSet as the world sees it after a pass.
type DaemonSetState struct {
	Name string
	// Desired is the nodes that should run a pod; Updated those whose pod
	// is of the current template; Available those whose pod is available;
	// Unavailable the desired nodes without an available, live pod.
	Desired, Updated, Available, Unavailable int
	// MaxUnavailable and MaxSurge are the budgets of the pass.
	MaxUnavailable, MaxSurge int
	// Done is every desired node running one available pod of the current
	// template and no other pod.
	Done bool
	// Blocked, when the rollout is not done, names a node it waits on.
	Blocked string
}

// Pass is one step of the world.
type Pass struct {
	At         time.Time
	Actions    []Action
	DaemonSets []DaemonSetState
}

// Timeline is the passes of a Run and how it ended.
type Timeline struct {
	Passes []Pass
	// Finished is true when every DaemonSet is Done; Stuck is true when
	// nothing more can happen and some is not. With neither, Run stopped
	// at its limit.
	Finished, Stuck bool
	// End is the time of the last pass.
	End time.Time
}

// MaxUnavailableSeen is the most desired nodes of DaemonSet i that were
// without an available pod after any pass.
func (t Timeline) MaxUnavailableSeen(i int) int {
	m := 0
	for _, p := range t.Passes {
		if i < len(p.DaemonSets) {
			m = max(m, p.DaemonSets[i].Unavailable)
		}
	}
	return m
}

// Step runs the lifecycle up to Now, then one pass of every controller, and
// applies the writes. A planner error stops the step and is returned.
func (w *World) Step() (Pass, error) {
	w.advancePods()
	pass := Pass{At: w.Now}
	for i := range w.DaemonSets {
		st, acts, err := w.stepDaemonSet(i)
		if err != nil {
			return pass, fmt.Errorf("daemonset %s: %w", w.DaemonSets[i].Name, err)
		}
		pass.Actions = append(pass.Actions, acts...)
		pass.DaemonSets = append(pass.DaemonSets, st)
	}
	return pass, nil
}

// Run steps until every DaemonSet is done, nothing more can happen, until
// passes, or the clock would pass until, whichever comes first. Between
// passes the clock jumps to the next event: a pod starting, becoming ready,
// finishing its termination, or a controller's RequeueAt. A pass that wrote
// something is followed by one at the same instant, as the controller
// re-syncs once it observes its own writes.
func (w *World) Run(until time.Time, passes int) (Timeline, error) {
	var tl Timeline
	for len(tl.Passes) < passes {
		p, err := w.Step()
		if err != nil {
			return tl, err
		}
		tl.Passes = append(tl.Passes, p)
		tl.End = p.At
		if len(p.Actions) > 0 {
			continue
		}
		if allDone(p) {
			tl.Finished = true
			return tl, nil
		}
		next, ok := w.nextEvent()
		if !ok {
			tl.Stuck = true
			return tl, nil
		}
		if next.After(until) {
			return tl, nil
		}
		w.Now = next
	}
	return tl, nil
}

func allDone(p Pass) bool {
	for _, d := range p.DaemonSets {
		if !d.Done {
			return false
		}
	}
	return true
}

// advancePods applies every lifecycle transition due by Now, in time order
// per pod (a pod can start and become ready in one jump).
func (w *World) advancePods() {
	nodes := map[string]bool{}
	for _, n := range w.Nodes {
		nodes[n.Name] = true
	}
	live := w.Pods[:0]
	for _, p := range w.Pods {
		if !p.Deleted.IsZero() && !w.Now.Before(p.Deleted.Add(w.Lifecycle.Terminate)) {
			continue // termination finished: the pod is gone
		}
		if p.Node != "" && !nodes[p.Node] {
			continue // pod garbage collection of pods on vanished nodes
		}
		if p.Phase == daemonset.PodPending && p.Deleted.IsZero() && nodes[p.Target] &&
			!w.Now.Before(p.Created.Add(w.Lifecycle.Start)) {
			p.Node, p.Phase, p.Running = p.Target, daemonset.PodRunning, p.Created.Add(w.Lifecycle.Start)
		}
		if p.Phase == daemonset.PodRunning && !p.Ready && p.Deleted.IsZero() && !w.neverReady(p) &&
			!w.Now.Before(p.Running.Add(w.Lifecycle.Ready)) {
			p.Ready, p.ReadySince = true, p.Running.Add(w.Lifecycle.Ready)
		}
		live = append(live, p)
	}
	clear(w.Pods[len(live):])
	w.Pods = live
}

func (w *World) neverReady(p Pod) bool {
	return w.Lifecycle.NeverReady != nil && w.Lifecycle.NeverReady(p.Node, p.Labels[daemonset.LabelRevisionHash])
}

// nextEvent is the earliest instant after Now at which a pod changes or a
// controller asked to be called again.
func (w *World) nextEvent() (time.Time, bool) {
	var next time.Time
	consider := func(t time.Time) {
		if t.After(w.Now) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	nodes := map[string]bool{}
	for _, n := range w.Nodes {
		nodes[n.Name] = true
	}
	for _, p := range w.Pods {
		switch {
		case !p.Deleted.IsZero():
			consider(p.Deleted.Add(w.Lifecycle.Terminate))
		case p.Phase == daemonset.PodPending && nodes[p.Target]:
			consider(p.Created.Add(w.Lifecycle.Start))
		case p.Phase == daemonset.PodRunning && !p.Ready && !w.neverReady(p):
			consider(p.Running.Add(w.Lifecycle.Ready))
		}
	}
	for _, r := range w.requeue {
		consider(r)
	}
	return next, !next.IsZero()
}

// daemonPods converts the world's pods of a DaemonSet's namespace.
func (w *World) daemonPods(ns string) []daemonset.Pod {
	var out []daemonset.Pod
	for _, p := range w.Pods {
		if p.Namespace != ns {
			continue
		}
		dp := daemonset.Pod{Name: p.Name, Namespace: p.Namespace, Labels: p.Labels, ControllerUID: p.Owner,
			NodeName: p.Node, Phase: p.Phase, Ready: p.Ready, ReadySince: p.ReadySince,
			CreationTimestamp: p.Created, Deleting: !p.Deleted.IsZero()}
		if p.Node == "" {
			dp.RequiredNodeAffinity = nodeAffinity(p.Target)
		}
		out = append(out, dp)
	}
	return out
}

func nodeAffinity(node string) *daemonset.NodeSelector {
	return &daemonset.NodeSelector{Terms: []daemonset.NodeSelectorTerm{{MatchFields: []daemonset.NodeSelectorRequirement{
		{Key: daemonset.FieldMetadataName, Operator: daemonset.NodeOpIn, Values: []string{node}}}}}}
}

func (w *World) stepDaemonSet(i int) (DaemonSetState, []Action, error) {
	ds := &w.DaemonSets[i]
	if len(w.requeue) != len(w.DaemonSets) {
		w.requeue = slices.Grow(w.requeue[:0], len(w.DaemonSets))[:len(w.DaemonSets)]
	}
	plan, err := daemonset.PlanDaemonSet(w.Nodes, w.daemonPods(ds.Namespace), *ds, w.Now)
	if err != nil {
		return DaemonSetState{}, nil, err
	}
	w.requeue[i] = plan.RequeueAt
	ds.FailedPodBackoff = plan.FailedPodBackoff
	ds.ObservedGeneration = plan.Status.ObservedGeneration
	object := "daemonset/" + ds.Namespace + "/" + ds.Name
	var acts []Action
	for _, d := range plan.Deletes {
		j := slices.IndexFunc(w.Pods, func(p Pod) bool { return p.Name == d.Pod && p.Namespace == ds.Namespace })
		if j >= 0 && w.Pods[j].Deleted.IsZero() {
			w.Pods[j].Deleted = w.Now
		}
		acts = append(acts, Action{Object: object, Verb: "delete", Target: d.Pod, Reason: string(d.Reason), Message: d.Message})
	}
	for _, c := range plan.Creates {
		w.seq++
		w.Pods = append(w.Pods, Pod{Name: fmt.Sprintf("%s-%05d", ds.Name, w.seq), Namespace: ds.Namespace,
			Labels: maps.Clone(plan.NewPodLabels), Owner: ds.UID, Target: c.Node,
			Phase: daemonset.PodPending, Created: w.Now})
		acts = append(acts, Action{Object: object, Verb: "create", Target: c.Node, Reason: string(c.Reason), Message: c.Message})
	}
	for _, a := range plan.Adopt {
		if j := slices.IndexFunc(w.Pods, func(p Pod) bool { return p.Name == a.Pod && p.Namespace == ds.Namespace }); j >= 0 {
			w.Pods[j].Owner = ds.UID
		}
	}
	for _, r := range plan.Release {
		if j := slices.IndexFunc(w.Pods, func(p Pod) bool { return p.Name == r.Pod && p.Namespace == ds.Namespace }); j >= 0 {
			w.Pods[j].Owner = ""
		}
	}
	st := w.daemonSetState(ds, plan)
	return st, acts, nil
}

// daemonSetState measures the DaemonSet from the world's pods, not from the
// plan's status, so that a test of the planner checks something the planner
// did not compute.
func (w *World) daemonSetState(ds *daemonset.DaemonSet, plan daemonset.Plan) DaemonSetState {
	st := DaemonSetState{Name: ds.Name, MaxUnavailable: plan.Rollout.MaxUnavailable, MaxSurge: plan.Rollout.MaxSurge}
	minReady := time.Duration(ds.Spec.MinReadySeconds) * time.Second
	verdicts := daemonset.ExplainNodes(w.Nodes, *ds)
	byNode := map[string][]Pod{}
	for _, p := range w.Pods {
		if p.Owner == ds.UID && p.Namespace == ds.Namespace {
			node := cmp.Or(p.Node, p.Target)
			byNode[node] = append(byNode[node], p)
		}
	}
	done := true
	for i, v := range verdicts {
		node := w.Nodes[i].Name
		pods := byNode[node]
		if !v.ShouldRun {
			if len(pods) > 0 && !v.ShouldContinueRunning {
				done = false
			}
			continue
		}
		st.Desired++
		available, updated := false, false
		for _, p := range pods {
			if !p.Deleted.IsZero() {
				continue
			}
			cur := p.Labels[daemonset.LabelRevisionHash] == ds.Spec.CurrentHash
			avail := p.Ready && !w.Now.Before(p.ReadySince.Add(minReady)) && p.Phase == daemonset.PodRunning
			available = available || avail
			updated = updated || cur
			if avail && cur && len(pods) == 1 {
				continue
			}
			if st.Blocked == "" && !(avail && cur) {
				st.Blocked = fmt.Sprintf("node %s: pod %s %s", node, p.Name, podState(p, avail, cur))
			}
		}
		if available {
			st.Available++
		} else {
			st.Unavailable++
		}
		if updated {
			st.Updated++
		}
		if len(pods) != 1 || !available || !updated || !pods[0].Deleted.IsZero() {
			done = false
			if st.Blocked == "" {
				st.Blocked = fmt.Sprintf("node %s: %d pods", node, len(pods))
			}
		}
	}
	st.Done = done
	if done {
		st.Blocked = ""
	}
	return st
}

func podState(p Pod, available, current bool) string {
	rev := "old template"
	if current {
		rev = "current template"
	}
	switch {
	case p.Phase == daemonset.PodPending:
		return "is Pending (" + rev + ")"
	case !p.Ready:
		return "is Running but not Ready (" + rev + ")"
	case !available:
		return "is Ready, not yet available (" + rev + ")"
	}
	return "is available (" + rev + ")"
}
