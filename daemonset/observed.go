package daemonset

import (
	"maps"
	"slices"
	"strings"
)

// observedRollout finishes a pass whose writes the caller observes at once
// (DaemonSet.WritesObserved): the rolling update looks at the pods with the
// reconcile's creates and deletes applied, and the status at the pods with
// the rolling update's applied as well, as the controller does when its
// expectations are met right after each batch of writes.
func (p *planner) observedRollout() {
	q := p // the planner of the rolling-update step
	if p.creates.total > 0 || p.deletes.total > 0 {
		pods, hidden := p.applied(p.pods, p.hidden, &p.creates, &p.deletes, true)
		q = &planner{nodes: p.nodes, ix: p.ix, pods: pods, hidden: hidden, fresh: p.fresh + len(p.creates.acts), ds: p.ds, now: p.now, cmpOps: p.cmpOps}
		if q.index() != nil {
			return // cannot happen: placeholders are unique per node and never valid pod names
		}
		q.countStatus()
		p.later = q
	}
	q.rollingUpdate()
	if q != p {
		p.rollout = q.rollout
		p.requeueFrom(q)
	}
	if q.creates.total == 0 && q.deletes.total == 0 {
		p.status = q.status
		return
	}
	pods, hidden := q.applied(q.pods, q.hidden, &q.creates, &q.deletes, q == p)
	r := &planner{nodes: p.nodes, ix: p.ix, pods: pods, hidden: hidden, fresh: q.fresh + len(q.creates.acts), ds: p.ds, now: p.now, cmpOps: p.cmpOps}
	if r.index() != nil {
		return
	}
	r.countStatus()
	p.status = r.status
	p.requeueFrom(r)
}

func (p *planner) requeueFrom(q *planner) {
	if !q.requeueAt.IsZero() {
		p.requeue(q.requeueAt)
	}
}

// applied returns the pods as the next look sees them once the issued
// creates and deletes are done: a deleted pod that is unbound or finished
// disappears (the API server removes it without a grace period), any other
// is marked as being deleted; a created pod is unbound, not ready and
// created now. With owners, adoptions and releases are applied too.
func (p *planner) applied(pods []Pod, hidden []bool, creates, deletes *bounded, owners bool) ([]Pod, []bool) {
	out := make([]Pod, len(pods), len(pods)+len(creates.acts))
	copy(out, pods)
	h := make([]bool, len(pods), len(pods)+len(creates.acts))
	copy(h, hidden)
	for _, a := range deletes.acts {
		pod := &out[a.pod]
		if pod.NodeName == "" || pod.Phase == PodSucceeded || pod.Phase == PodFailed {
			h[a.pod] = true
		} else {
			pod.Deleting = true
		}
	}
	if owners {
		for _, i := range p.adopt {
			out[i].ControllerUID = p.ds.UID
		}
		for _, i := range p.release {
			out[i].ControllerUID = ""
		}
	}
	if len(creates.acts) > 0 {
		lbls := p.newPodLabels()
		for _, a := range creates.acts {
			out = append(out, Pod{Name: placeholderName(a.node), Namespace: p.ds.Namespace, Labels: lbls,
				ControllerUID: p.ds.UID, RequiredNodeAffinity: nodeNameAffinity(a.node), Phase: PodPending,
				CreationTimestamp: p.now})
			h = append(h, false)
		}
	}
	return out, h
}

// placeholderName names a pod created earlier in the same pass. The tilde
// keeps it apart from every valid pod name and sorts it after them all, so
// that among pods of the same creation time the new one comes last, as the
// newest pod should (the API server's generated names are random, so the
// controller itself has no better order for such a tie).
func placeholderName(node string) string { return "~new pod on node " + node }

// newPodLabels are the template labels plus the revision labels.
func (p *planner) newPodLabels() map[string]string {
	out := make(map[string]string, len(p.ds.Spec.Template.Labels)+2)
	maps.Copy(out, p.ds.Spec.Template.Labels)
	if p.hash != "" {
		out[LabelRevisionHash] = p.hash
	}
	if p.tmplGen != "" {
		out[LabelTemplateGeneration] = p.tmplGen
	}
	return out
}

// nodeNameAffinity is the required node affinity the controller gives a pod
// it creates for node (ReplaceDaemonSetPodNodeNameNodeAffinity).
func nodeNameAffinity(node string) *NodeSelector {
	return &NodeSelector{Terms: []NodeSelectorTerm{{MatchFields: []NodeSelectorRequirement{{
		Key: FieldMetadataName, Operator: NodeOpIn, Values: []string{node}}}}}}
}

// mergeCreates and mergeDeletes join the reconcile's and the rolling
// update's actions of an observed pass; each step issues up to
// BurstReplicas of each kind.
func mergeCreates(a, b []Create) []Create {
	if len(b) == 0 {
		return a
	}
	out := append(slices.Clip(a), b...)
	slices.SortStableFunc(out, func(x, y Create) int { return strings.Compare(x.Node, y.Node) })
	return out
}

func mergeDeletes(a, b []Delete) []Delete {
	if len(b) == 0 {
		return a
	}
	out := append(slices.Clip(a), b...)
	slices.SortStableFunc(out, func(x, y Delete) int {
		if c := strings.Compare(x.Node, y.Node); c != 0 {
			return c
		}
		return strings.Compare(x.Pod, y.Pod)
	})
	return out
}
