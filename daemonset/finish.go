package daemonset

import (
	"fmt"
	"slices"
	"strings"
)

func (p *planner) finish() Plan {
	var out Plan
	out.Status = p.status
	out.RequeueAt = p.requeueAt

	if n := p.creates.total; n > 0 {
		cs := p.creates.sorted()
		out.DeferredCreates = n - len(cs)
		out.Creates = make([]Create, len(cs))
		for i, a := range cs {
			out.Creates[i] = Create{Node: a.node, RequiredNodeAffinity: nodeNameAffinity(a.node), Reason: a.reason, Message: p.createMessage(a)}
		}
		out.NewPodLabels = p.newPodLabels()
		out.NewPodTolerations = p.chk.tolerations
		out.NewPodOwner, out.NewPodGenerateName = p.newPodOwner(), p.ds.Name+"-"
	}
	if n := p.deletes.total; n > 0 {
		ds := p.deletes.sorted()
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
	if q := p.later; q != nil {
		lo := q.finish()
		out.Creates = mergeCreates(out.Creates, lo.Creates)
		out.Deletes = mergeDeletes(out.Deletes, lo.Deletes)
		out.DeferredCreates += lo.DeferredCreates
		out.DeferredDeletes += lo.DeferredDeletes
		if out.NewPodLabels == nil {
			out.NewPodLabels, out.NewPodTolerations = lo.NewPodLabels, lo.NewPodTolerations
			out.NewPodOwner, out.NewPodGenerateName = lo.NewPodOwner, lo.NewPodGenerateName
		}
		out.Rollout = lo.Rollout
	}
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
	return "node " + a.node + " should run a pod of daemonset " + p.ds.Name + " and has none"
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
		return "delete pod " + pod + ": " + e.Message
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

// newPodOwner is the controller reference a created pod carries
// (metav1.NewControllerRef of the DaemonSet).
func (p *planner) newPodOwner() OwnerReference {
	return OwnerReference{APIVersion: "apps/v1", Kind: "DaemonSet", Name: p.ds.Name, UID: p.ds.UID,
		Controller: true, BlockOwnerDeletion: true}
}
