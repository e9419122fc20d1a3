package daemonset

import (
	"maps"
	"slices"
)

// NodeChanged reports whether an update from old to cur is one the
// controller acts on (its updateNode, which ignores an update when
// shouldIgnoreNodeUpdate holds): the labels or the taints changed. Nothing
// else about a node (conditions, addresses, capacity, spec.unschedulable
// alone) changes any DaemonSet's decision. A nil and an empty map or list
// are the same.
func NodeChanged(old, cur Node) bool {
	if !maps.Equal(old.Labels, cur.Labels) {
		return true
	}
	return !slices.EqualFunc(old.Taints, cur.Taints, func(a, b Taint) bool {
		return a.Key == b.Key && a.Value == b.Value && a.Effect == b.Effect && a.TimeAdded.Equal(b.TimeAdded)
	})
}

// NodeUpdateSyncs reports whether, after a node change that NodeChanged
// lets through, the controller syncs ds (syncNodeUpdate): when the node
// should run a pod and has none of ds's, when it has one that may not stay,
// or when it has one and ds reports misscheduled pods, which the change may
// have fixed. pods are the pods of the DaemonSet's namespace; those bound
// to node (spec.nodeName) and controlled by ds count. numberMisscheduled is
// ds's status.numberMisscheduled. (The controller tells ds's pods by the
// name in their controller reference; here by its UID.) A DaemonSet being
// deleted is never synced, so the answer for it is false. Taints are
// matched as opts.Release matches them.
func NodeUpdateSyncs(node Node, ds DaemonSet, pods []Pod, numberMisscheduled int, opts Options) bool {
	if !ds.DeletionTimestamp.IsZero() {
		return false
	}
	scheduled := false
	for i := range pods {
		p := &pods[i]
		if p.NodeName == node.Name && p.ControllerUID == ds.UID && (p.Namespace == "" || p.Namespace == ds.Namespace) {
			scheduled = true
			break
		}
	}
	e := ExplainNode(node, ds, opts)
	return e.ShouldRun && !scheduled || !e.ShouldContinueRunning && scheduled || scheduled && numberMisscheduled > 0
}
