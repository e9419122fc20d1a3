package statefulset

import (
	"slices"
	"strconv"
	"strings"
)

// truncateHistory plans the deletion of old revisions: the current and
// update revisions and every revision a pod is labelled with are live; of
// the others, all but the newest revisionHistoryLimit are deleted, lowest
// revision number first. Kubernetes does this after a pass that succeeded.
func (p *planner) truncateHistory() {
	if len(p.set.Revisions) == 0 {
		return
	}
	limit := int64(10)
	if l := p.set.Spec.RevisionHistoryLimit; l != nil {
		limit = int64(*l)
	}
	if limit < 0 {
		return
	}
	// Only revisions beyond the limit need the pods' labels read: most
	// passes have no more candidates than the limit and stop here.
	var history []Revision
	for _, r := range p.set.Revisions {
		if r.Name != p.curRev && r.Name != p.updRev {
			history = append(history, r)
		}
	}
	if int64(len(history)) <= limit {
		return
	}
	live := make(map[string]bool, len(history))
	for _, r := range history {
		live[r.Name] = false
	}
	mark := func(rev string) {
		if _, ok := live[rev]; ok {
			live[rev] = true
		}
	}
	for _, sp := range p.present {
		mark(sp.rev)
	}
	for _, pod := range p.condemned {
		mark(revisionOf(pod))
	}
	for _, pod := range p.unindexed {
		mark(revisionOf(pod))
	}
	history = slices.DeleteFunc(history, func(r Revision) bool { return live[r.Name] })
	if int64(len(history)) <= limit {
		return
	}
	slices.SortFunc(history, func(a, b Revision) int {
		if a.Revision != b.Revision {
			if a.Revision < b.Revision {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	for _, r := range history[:int64(len(history))-limit] {
		p.act(Action{Type: DeleteRevision, Reason: ReasonRevisionHistoryLimit, Ordinal: -1, Revision: r.Name,
			Message: "deleting revision " + r.Name + " (number " + strconv.FormatInt(r.Revision, 10) +
				"): no pod uses it and revisionHistoryLimit is " + strconv.FormatInt(limit, 10)})
	}
}
