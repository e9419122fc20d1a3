package daemonset

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

func createKey(a, b act) int { return strings.Compare(a.node, b.node) }

func deleteKey(a, b act) int {
	if c := strings.Compare(a.node, b.node); c != 0 {
		return c
	}
	return 0 // callers break ties by pod name
}

// firstK leaves the k smallest actions, sorted, in a[:k]. Quickselect keeps a
// pass that has thousands of creates but may issue only BurstReplicas of them
// from sorting them all.
func firstK(a []act, k int, cmp func(x, y act) int) []act {
	if k >= len(a) {
		slices.SortFunc(a, cmp)
		return a
	}
	lo, hi := 0, len(a)-1
	for lo < hi {
		// median of three as pivot
		mid := lo + (hi-lo)/2
		if cmp(a[mid], a[lo]) < 0 {
			a[mid], a[lo] = a[lo], a[mid]
		}
		if cmp(a[hi], a[lo]) < 0 {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if cmp(a[hi], a[mid]) < 0 {
			a[hi], a[mid] = a[mid], a[hi]
		}
		pivot := a[mid]
		i, j := lo, hi
		for i <= j {
			for cmp(a[i], pivot) < 0 {
				i++
			}
			for cmp(a[j], pivot) > 0 {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case k-1 <= j:
			hi = j
		case k-1 >= i:
			lo = i
		default:
			lo = hi // the k-th element sits between j and i
		}
	}
	slices.SortFunc(a[:k], cmp)
	return a[:k]
}

func (p *planner) finish() Plan {
	var out Plan
	out.Status = p.status
	out.RequeueAt = p.requeueAt

	if n := len(p.creates); n > 0 {
		cs := firstK(p.creates, BurstReplicas, createKey)
		out.DeferredCreates = n - len(cs)
		out.Creates = make([]Create, len(cs))
		for i, a := range cs {
			out.Creates[i] = Create{Node: a.node, Reason: a.reason, Message: p.createMessage(a)}
		}
		out.NewPodLabels = make(map[string]string, len(p.ds.Spec.Template.Labels)+2)
		maps.Copy(out.NewPodLabels, p.ds.Spec.Template.Labels)
		out.NewPodLabels[LabelRevisionHash] = p.hash
		if g := p.ds.TemplateGeneration; g != "" {
			out.NewPodLabels[LabelTemplateGeneration] = g
		}
		out.NewPodTolerations = p.chk.tolerations
	}
	if n := len(p.deletes); n > 0 {
		cmp := func(a, b act) int {
			if c := deleteKey(a, b); c != 0 {
				return c
			}
			return strings.Compare(p.pods[a.pod].Name, p.pods[b.pod].Name)
		}
		ds := firstK(p.deletes, BurstReplicas, cmp)
		out.DeferredDeletes = n - len(ds)
		out.Deletes = make([]Delete, len(ds))
		for i, a := range ds {
			out.Deletes[i] = Delete{Pod: p.pods[a.pod].Name, Node: a.node, Reason: a.reason, Message: p.deleteMessage(a)}
		}
	}
	out.Adopt = p.ownerChanges(p.adopt, ReasonAdopt, "adopt orphan pod %s: its labels match the selector of daemonset %s")
	out.Release = p.ownerChanges(p.release, ReasonRelease, "release pod %s: its labels no longer match the selector of daemonset %s")
	out.FailedPodBackoff = p.backoffRecord()

	r := p.rollout
	if len(p.holders) > 0 {
		slices.SortFunc(p.holders, func(a, b holder) int { return strings.Compare(a.node, b.node) })
		r.Holders = make([]BudgetHolder, len(p.holders))
		for i, h := range p.holders {
			r.Holders[i] = BudgetHolder{Node: h.node, Reason: h.reason, Message: p.holderMessage(h)}
		}
	}
	out.Rollout = r
	return out
}

func (p *planner) ownerChanges(ix []int32, r Reason, format string) []OwnerChange {
	if len(ix) == 0 {
		return nil
	}
	out := make([]OwnerChange, len(ix))
	for i, pi := range ix {
		name := p.pods[pi].Name
		out[i] = OwnerChange{Pod: name, Reason: r, Message: fmt.Sprintf(format, name, p.ds.Name)}
	}
	slices.SortFunc(out, func(a, b OwnerChange) int { return strings.Compare(a.Pod, b.Pod) })
	return out
}

// backoffRecord is the still-valid input record with this pass's entries
// replacing those of their nodes.
func (p *planner) backoffRecord() []NodeBackoff {
	if !p.backoffLoaded {
		p.loadBackoff()
	}
	if len(p.backoffIn) == 0 && len(p.backoffNew) == 0 {
		return nil
	}
	out := make([]NodeBackoff, 0, len(p.backoffIn)+len(p.backoffNew))
	out = append(out, p.backoffNew...)
	slices.SortFunc(out, func(a, b NodeBackoff) int { return strings.Compare(a.Node, b.Node) })
	fresh := len(out)
	for _, e := range p.backoffIn {
		if _, ok := slices.BinarySearchFunc(out[:fresh], e.Node, func(x NodeBackoff, n string) int {
			return strings.Compare(x.Node, n)
		}); !ok {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b NodeBackoff) int { return strings.Compare(a.Node, b.Node) })
	return out
}

func (p *planner) podName(i int32) string {
	if i < 0 {
		return ""
	}
	return p.pods[i].Name
}

func (p *planner) createMessage(a act) string {
	switch a.reason {
	case ReasonSurgeReplacement:
		return fmt.Sprintf("every pod of daemonset %s on node %s is going away; start a replacement now (surge allowed)", p.ds.Name, a.node)
	case ReasonReplaceUnavailable:
		return fmt.Sprintf("old pod %s on node %s is not available; start its replacement", p.podName(a.pod), a.node)
	case ReasonSurge:
		return fmt.Sprintf("start a new pod on node %s next to available old pod %s (maxSurge %d)", a.node, p.podName(a.pod), p.rollout.MaxSurge)
	}
	return fmt.Sprintf("node %s should run a pod of daemonset %s and has none", a.node, p.ds.Name)
}

func (p *planner) deleteMessage(a act) string {
	pod := p.pods[a.pod].Name
	switch a.reason {
	case ReasonFailedDaemonPod:
		return fmt.Sprintf("found failed daemon pod %s on node %s; delete it so a new one starts", pod, a.node)
	case ReasonSucceededDaemonPod:
		return fmt.Sprintf("found succeeded daemon pod %s on node %s; daemon pods must keep running", pod, a.node)
	case ReasonDuplicatePod:
		return fmt.Sprintf("node %s runs more pods of daemonset %s than allowed; %s is not the one kept", a.node, p.ds.Name, pod)
	case ReasonNodeIneligible:
		e := p.chk.explain(&p.nodes[a.nodeIx])
		return fmt.Sprintf("delete pod %s: %s", pod, e.Message)
	case ReasonNodeGone:
		return fmt.Sprintf("unscheduled pod %s targets node %s, which no longer exists", pod, a.node)
	case ReasonOldUnavailable:
		return fmt.Sprintf("old pod %s on node %s is not available; replace it", pod, a.node)
	case ReasonRollingUpdate:
		return fmt.Sprintf("rolling update: delete old pod %s on node %s (maxUnavailable %d, %d unavailable)",
			pod, a.node, p.rollout.MaxUnavailable, p.rollout.Unavailable)
	case ReasonSurgeComplete:
		return fmt.Sprintf("the new pod on node %s is available; delete old pod %s", a.node, pod)
	case ReasonOldNotReady:
		return fmt.Sprintf("old pod %s on node %s is not ready and a new pod exists; delete it", pod, a.node)
	case ReasonMovedAway:
		return fmt.Sprintf("node %s should no longer run daemonset %s and enough pods are available elsewhere; delete %s", a.node, p.ds.Name, pod)
	}
	return fmt.Sprintf("delete pod %s on node %s", pod, a.node)
}

func (p *planner) holderMessage(h holder) string {
	switch h.reason {
	case ReasonExcessPods:
		return fmt.Sprintf("node %s has several old or several new pods; waiting for them to be pruned", h.node)
	case ReasonNoPod:
		return fmt.Sprintf("node %s has no running pod yet", h.node)
	case ReasonBothRevisions:
		return fmt.Sprintf("node %s has an old pod %s and a new pod", h.node, p.podName(h.pod))
	case ReasonNewUnavailable:
		return fmt.Sprintf("new pod %s on node %s is not available yet", p.podName(h.pod), h.node)
	case ReasonOldUnavailable:
		return fmt.Sprintf("old pod %s on node %s is not available and is being replaced", p.podName(h.pod), h.node)
	}
	return "node " + h.node
}
