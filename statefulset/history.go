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
	live := map[string]bool{p.curRev: true, p.updRev: true}
	for _, sp := range p.present {
		live[sp.rev] = true
	}
	for _, pod := range p.condemned {
		live[revisionOf(pod)] = true
	}
	for _, pod := range p.unindexed {
		live[revisionOf(pod)] = true
	}
	var history []Revision
	for _, r := range p.set.Revisions {
		if !live[r.Name] {
			history = append(history, r)
		}
	}
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
