package daemonset

import (
	"cmp"
	"slices"
	"strings"
)

// Revision is one ControllerRevision of a DaemonSet, as the history
// clean-up needs it.
type Revision struct {
	Name string
	// Revision is the revision number.
	Revision int64
	// Hash is the controller-revision-hash label; the controller labels a
	// revision that lacks it with its name, so pass the name then.
	Hash string
}

// HistoryToDelete returns the revisions the controller deletes after a
// pass (cleanupHistory): of the old revisions (all but the current one,
// whose hash is Spec.CurrentHash), as many as exceed revisionHistoryLimit
// (nil means 10), oldest revision number first (ties by name), skipping any
// that a daemon pod still carries, including finished pods being deleted.
// pods are the pods of the DaemonSet's namespace, as for PlanDaemonSet. The
// result is in deletion order; revisions is not modified.
func HistoryToDelete(revisions []Revision, pods []Pod, ds DaemonSet) []Revision {
	limit := 10
	if l := ds.Spec.RevisionHistoryLimit; l != nil {
		limit = int(*l)
	}
	var old []Revision
	for _, r := range revisions {
		if r.Hash != ds.Spec.CurrentHash {
			old = append(old, r)
		}
	}
	kill := len(old) - limit
	if kill <= 0 {
		return nil
	}
	live := map[string]bool{}
	sel := compileSelector(ds.Spec.Selector)
	for i := range pods {
		pod := &pods[i]
		if pod.Namespace != "" && pod.Namespace != ds.Namespace || !sel.matches(pod.Labels) {
			continue
		}
		// The pods the controller claims: its own, and orphans it adopts.
		if pod.ControllerUID != ds.UID && (pod.ControllerUID != "" || pod.Deleting) {
			continue
		}
		if _, ok := targetNode(pod); !ok {
			continue
		}
		if h := pod.Labels[LabelRevisionHash]; h != "" {
			live[h] = true
		}
	}
	slices.SortFunc(old, func(a, b Revision) int {
		if c := cmp.Compare(a.Revision, b.Revision); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	var out []Revision
	for _, r := range old {
		if kill == 0 {
			break
		}
		if live[r.Hash] {
			continue
		}
		out = append(out, r)
		kill--
	}
	return out
}
