package sim

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/purectl/purectl/daemonset"
)

// DaemonSet is a DaemonSet in the world. Each pass hands the planner the
// failed-pod backoff its previous plan returned.
type DaemonSet struct {
	daemonset.DaemonSet
	// Options are passed to every PlanDaemonSet call (the Release to
	// follow; Default and ExplainNodes follow the same release).
	Options daemonset.Options
	requeue time.Time
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
	// Rollout is the planner's rolling-update step of the pass as it
	// reported it (budgets in use, holders), for tests that check its
	// writes against its budgets.
	Rollout daemonset.Rollout
}

// daemonPods converts the world's pods of a DaemonSet's namespace.
func (w *World) daemonPods(ns string) []daemonset.Pod {
	var out []daemonset.Pod
	for _, p := range w.Pods {
		if p.Namespace != ns || w.hidden(&p) {
			continue
		}
		dp := daemonset.Pod{Name: p.Name, Namespace: p.Namespace, Labels: p.Labels, ControllerUID: p.Owner,
			NodeName: p.Node, Phase: daemonset.PodPhase(p.Phase), Ready: p.Ready, ReadySince: p.ReadySince,
			CreationTimestamp: p.Created, Deleting: !p.Deleted.IsZero()}
		if p.Node == "" && p.Target != "" {
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

func (w *World) stepDaemonSet(i int, pass *Pass) error {
	ds := &w.DaemonSets[i]
	// The world's API server stores objects defaulted, as apps/v1 does.
	obj := daemonset.Default(ds.DaemonSet, ds.Options.Release)
	// The controller's expectations: it knows of its creates the cache has
	// not shown yet.
	obj.Unobserved.Creates = obj.Unobserved.Creates || slices.ContainsFunc(w.Pods, func(p Pod) bool {
		return p.Owner == ds.UID && p.Namespace == ds.Namespace && w.hidden(&p)
	})
	plan, err := daemonset.PlanDaemonSet(w.Nodes, w.daemonPods(ds.Namespace), obj, w.Now, ds.Options)
	if err != nil {
		return fmt.Errorf("daemonset %s/%s: %w", ds.Namespace, ds.Name, err)
	}
	ds.requeue = plan.RequeueAt
	ds.FailedPodBackoff = plan.FailedPodBackoff
	ds.ObservedGeneration = plan.Status.ObservedGeneration
	object := "daemonset/" + ds.Namespace + "/" + ds.Name
	for _, d := range plan.Deletes {
		lost := w.lose(object, "delete", d.Pod)
		if !lost {
			w.deletePod(ds.Namespace, d.Pod)
		}
		pass.Actions = append(pass.Actions, Action{Object: object, Verb: "delete", Target: d.Pod, Reason: string(d.Reason), Message: d.Message, Lost: lost})
	}
	for _, c := range plan.Creates {
		lost := w.lose(object, "create", c.Node)
		if !lost {
			w.Pods = append(w.Pods, Pod{Name: w.nextName(ds.Name + "-"), Namespace: ds.Namespace,
				Labels: maps.Clone(plan.NewPodLabels), Owner: ds.UID, Kind: KindDaemonSet, Target: c.Node, Index: noIndex,
				Phase: Pending, Created: w.Now, visibleAt: w.lag(object, c.Node)})
		}
		pass.Actions = append(pass.Actions, Action{Object: object, Verb: "create", Target: c.Node, Reason: string(c.Reason), Message: c.Message, Lost: lost})
	}
	for _, a := range plan.Adopt {
		if j := w.find(ds.Namespace, a.Pod); j >= 0 {
			w.Pods[j].Owner = ds.UID
		}
	}
	for _, r := range plan.Release {
		if j := w.find(ds.Namespace, r.Pod); j >= 0 {
			w.Pods[j].Owner = ""
		}
	}
	pass.DaemonSets = append(pass.DaemonSets, w.daemonSetState(&ds.DaemonSet, plan, ds.Options))
	return nil
}

// daemonSetState measures the DaemonSet from the world's pods, not from the
// plan's status, so that a test of the planner checks something the planner
// did not compute.
func (w *World) daemonSetState(ds *daemonset.DaemonSet, plan daemonset.Plan, opts daemonset.Options) DaemonSetState {
	st := DaemonSetState{Name: ds.Name, MaxUnavailable: plan.Rollout.MaxUnavailable, MaxSurge: plan.Rollout.MaxSurge, Rollout: plan.Rollout}
	minReady := time.Duration(ds.Spec.MinReadySeconds) * time.Second
	verdicts := daemonset.ExplainNodes(w.Nodes, *ds, opts)
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
			avail := p.Ready && !w.Now.Before(p.ReadySince.Add(minReady)) && p.Phase == Running
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
	case p.Phase == Pending:
		return "is Pending (" + rev + ")"
	case !p.Ready:
		return "is Running but not Ready (" + rev + ")"
	case !available:
		return "is Ready, not yet available (" + rev + ")"
	}
	return "is available (" + rev + ")"
}
