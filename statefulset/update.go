package statefulset

import (
	"math"
	"slices"
	"strconv"
)

// fixCondemnedClaims points condemned pods' claims at the owners the
// retention policy wants (whenScaled=Delete: the pod, so that garbage
// collection deletes the claims with it).
func (p *planner) fixCondemnedClaims() bool {
	for _, pod := range p.condemned {
		_, o := ParseOrdinal(pod.Name)
		if ord := int64(o); !p.claimsMatch(pod.Name, pod.UID, ord, false) {
			p.updateClaimsForRetention(pod.Name, pod.UID, ord, false)
		}
	}
	return true
}

// scaleDown is processCondemned for each condemned pod, highest ordinal
// first.
func (p *planner) scaleDown() bool {
	for _, pod := range p.condemned {
		_, o := ParseOrdinal(pod.Name)
		ord := int64(o)
		if pod.Deleting {
			if p.monotonic {
				p.block(ReasonWaitingForTermination, pod, ord, "pod "+pod.Name+" is terminating; scale-down waits for it to be gone")
				return false
			}
			continue
		}
		if p.monotonic && pod != p.firstBad && (!runningReady(pod) || !p.available(pod)) {
			reason, why := ReasonWaitingForRunningReady, "Running and Ready"
			if runningReady(pod) {
				reason, why = ReasonWaitingForAvailable, "available (minReadySeconds)"
			}
			msg := "scale-down of pod " + pod.Name + " waits for it to be " + why
			if p.firstBad != nil {
				msg += ", since pod " + p.firstBad.Name + " is not available either"
			}
			p.block(reason, pod, ord, msg)
			return false
		}
		p.act(Action{Type: DeletePod, Reason: ReasonScaleDown, Ordinal: o, Pod: pod.Name, Revision: revisionOf(pod),
			Message: "deleting pod " + pod.Name + ": ordinal " + strconv.FormatInt(ord, 10) + " is outside the range [" +
				strconv.FormatInt(p.start, 10) + ", " + strconv.FormatInt(p.start+p.n, 10) + ")"})
		if p.monotonic {
			return false
		}
	}
	return true
}

// slotAt returns the observed pod in slot s (nil if none) and the revision
// of what the controller holds there: the pod's label, or for a missing
// pod the revision the pass creates it at. i is where the backward search
// in present starts. It also returns whether the slot is unavailable.
func (p *planner) slotAt(i int, s int64) (*Pod, string, bool, int) {
	for i >= 0 && p.present[i].slot > s {
		i--
	}
	if i >= 0 && p.present[i].slot == s {
		return p.present[i].pod, p.present[i].rev, p.present[i].unavail, i
	}
	return nil, p.revisionForSlot(s), true, i
}

// deleteForUpdate deletes the pod in slot s for the rolling update. A slot
// whose pod is missing still holds the pod the pass would create there,
// and Kubernetes deletes it by name when it is outdated (the delete of a
// pod that is not there is ignored).
func (p *planner) deleteForUpdate(pod *Pod, rev string, s int64) {
	ord := p.start + s
	name := PodName(p.set.Name, int32(ord))
	if pod != nil {
		name = pod.Name
	}
	p.act(Action{Type: DeletePod, Reason: ReasonRollingUpdate, Ordinal: int32(ord), Pod: name, Revision: rev,
		Message: "deleting pod " + name + " at revision " + rev + " to recreate it at " + p.updRev})
	p.res.Status.CurrentReplicas--
}

// outdatedIn reports whether a live, not terminating pod in slots [from, to)
// is not at the update revision.
func (p *planner) outdatedIn(from, to int64) bool {
	for _, sp := range p.present {
		if sp.slot >= from && sp.slot < to && !sp.pod.Deleting && sp.rev != p.updRev {
			return true
		}
	}
	return false
}

// updateOneAtATime is the rolling update with MaxUnavailableStatefulSet
// off: from the highest slot down to the partition, replace the first
// outdated pod, or wait for an unavailable one.
func (p *planner) updateOneAtATime() {
	i := len(p.present) - 1
	for s := p.n - 1; s >= p.updateMin; s-- {
		var pod *Pod
		var rev string
		var unavail bool
		pod, rev, unavail, i = p.slotAt(i, s)
		ord := p.start + s
		if rev != p.updRev && (pod == nil || !pod.Deleting) {
			p.deleteForUpdate(pod, rev, s)
			return
		}
		if !unavail {
			continue
		}
		if p.curRev == p.updRev && !p.outdatedIn(p.updateMin, s) {
			return // no update in progress: the wait holds nothing back
		}
		switch {
		case pod == nil:
			p.block(ReasonWaitingForCreation, nil, ord, "rolling update waits for pod "+PodName(p.set.Name, int32(ord))+" to be created")
		case pod.Deleting:
			p.block(ReasonWaitingForTermination, pod, ord, "rolling update waits for pod "+pod.Name+" to be gone")
		case runningReady(pod):
			p.block(ReasonWaitingForAvailable, pod, ord, "rolling update waits for pod "+pod.Name+" to be available for minReadySeconds="+
				strconv.Itoa(int(p.set.Spec.MinReadySeconds)))
		default:
			p.blockUnhealthy(pod, ord, "Running and Ready")
		}
		return
	}
}

// maxUnavailable is getStatefulSetMaxUnavailable: rollingUpdate's value
// (default 1) scaled to the replicas, rounding down, at least 1; false if
// the value cannot be scaled.
func (p *planner) maxUnavailable() (int64, bool) {
	ru := p.set.Spec.UpdateStrategy.RollingUpdate
	if ru == nil || ru.MaxUnavailable == nil {
		return 1, true
	}
	v, err := ru.MaxUnavailable.Scaled(int(min(p.n, math.MaxInt32)), false)
	if err != nil {
		return 0, false
	}
	return max(int64(v), 1), true
}

// updateWithBudget is the rolling update with MaxUnavailableStatefulSet:
// unavailable pods in every slot use up maxUnavailable; the rest of the
// budget replaces outdated pods from the highest slot down to the
// partition.
func (p *planner) updateWithBudget() {
	maxUnavail, ok := p.maxUnavailable()
	if !ok {
		p.failed = true
		p.block(ReasonInvalidMaxUnavailable, nil, -1, "maxUnavailable "+p.set.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable.String()+
			" is neither an integer nor a percentage; the rolling update fails")
		return
	}
	unavailable := p.n - int64(len(p.present))
	var firstBad *Pod
	for _, sp := range p.present {
		if sp.unavail {
			unavailable++
			if firstBad == nil {
				firstBad = sp.pod
			}
		}
	}
	// From 1.37 a Parallel set goes on past a spent budget while some
	// unavailable pod, in any slot, is outdated and not terminating.
	needing := false
	if p.v137 && !p.monotonic {
		needing = p.curRev != p.updRev && p.keepCurrent > 0 && p.missingBelow(min(p.keepCurrent, p.n))
		for _, sp := range p.present {
			if needing {
				break
			}
			needing = sp.unavail && sp.rev != p.updRev && !sp.pod.Deleting
		}
	}
	if unavailable >= maxUnavail && !needing {
		if !p.outdatedIn(p.updateMin, p.n) || p.res.Blocked != nil {
			return
		}
		name := "missing pods"
		if firstBad != nil {
			name = "pod " + firstBad.Name
		}
		p.res.Blocked = &Blocked{Reason: ReasonMaxUnavailable, Ordinal: -1,
			Message: strconv.FormatInt(unavailable, 10) + " pods are unavailable, maxUnavailable is " + strconv.FormatInt(maxUnavail, 10) +
				"; the rolling update waits (first: " + name + ")"}
		if firstBad != nil {
			_, o := ParseOrdinal(firstBad.Name)
			p.res.Blocked.Pod, p.res.Blocked.Ordinal = firstBad.Name, o
		}
		return
	}
	if p.v137 && !p.monotonic {
		p.updateParallelBudget(maxUnavail, unavailable)
		return
	}
	budget := maxUnavail - unavailable
	p.outdatedDown(func(pod *Pod, rev string, s int64) bool {
		if pod == nil || !pod.Deleting {
			p.deleteForUpdate(pod, rev, s)
			budget--
		}
		return budget > 0
	})
}

// missingBelow reports whether a slot below s has no observed pod.
func (p *planner) missingBelow(s int64) bool {
	k, _ := slices.BinarySearchFunc(p.present, s, func(sp slotPod, s int64) int { return cmpInt(sp.slot, s) })
	return int64(k) < s
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// outdatedDown calls fn, from the highest slot down to the partition, for
// each slot whose pod is not at the update revision: an observed pod, or
// for a missing slot (pod nil) the pod the pass creates there, which is
// outdated only below keepCurrent. It stops when fn returns false.
func (p *planner) outdatedDown(fn func(pod *Pod, rev string, s int64) bool) {
	k := len(p.present) - 1
	for s := p.n - 1; s >= p.updateMin; s-- {
		for k >= 0 && p.present[k].slot > s {
			k--
		}
		if k >= 0 && p.present[k].slot == s {
			if sp := p.present[k]; sp.rev != p.updRev && !fn(sp.pod, sp.rev, s) {
				return
			}
			continue
		}
		if p.curRev == p.updRev || s >= p.keepCurrent {
			// Jump over the rest of the gap: the loop's s-- lands on next.
			next := p.updateMin - 1
			if k >= 0 {
				next = max(next, p.present[k].slot)
			}
			if p.curRev != p.updRev {
				next = max(next, p.keepCurrent-1)
			}
			s = next + 1
			continue
		}
		if !fn(nil, p.curRev, s) {
			return
		}
	}
}

// updateParallelBudget is the 1.37 rolling update of a Parallel set with
// MaxUnavailableStatefulSet: first every outdated pod that is already
// unavailable and not terminating is deleted, whatever the budget (they
// cost nothing more); then what is left of maxUnavailable replaces
// available outdated pods, highest slot first.
func (p *planner) updateParallelBudget(maxUnavail, unavailable int64) {
	deleted := false
	p.outdatedDown(func(pod *Pod, rev string, s int64) bool {
		if pod == nil || !p.available(pod) && !pod.Deleting {
			p.deleteForUpdate(pod, rev, s)
			deleted = true
		}
		return true
	})
	budget := maxUnavail - unavailable
	if budget > 0 {
		p.outdatedDown(func(pod *Pod, rev string, s int64) bool {
			if pod != nil && !p.unavailable(pod) {
				p.deleteForUpdate(pod, rev, s)
				deleted = true
				budget--
			}
			return budget > 0
		})
	}
	if !deleted && p.res.Blocked == nil && p.outdatedIn(p.updateMin, p.n) {
		p.res.Blocked = &Blocked{Reason: ReasonMaxUnavailable, Ordinal: -1,
			Message: strconv.FormatInt(unavailable, 10) + " pods are unavailable, maxUnavailable is " + strconv.FormatInt(maxUnavail, 10) +
				"; the rolling update waits"}
	}
}
