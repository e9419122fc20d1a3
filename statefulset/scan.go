package statefulset

import (
	"math"
	"strconv"
)

// batchEnd is the first slot after the Parallel slow-start batch holding
// slot i (batches of 1, 2, 4, … 256, then 500).
func batchEnd(i int64) int64 {
	end, size := int64(0), int64(1)
	for end <= i && size < maxBatch {
		end += size
		size = min(2*size, maxBatch)
	}
	if end > i {
		return end
	}
	return end + ((i-end)/maxBatch+1)*maxBatch
}

// scanReplicas is the controller's pass over the replica slots, ascending
// (processReplica for each). It reports whether the pass goes on.
func (p *planner) scanReplicas() bool {
	limit := int64(math.MaxInt64) // Parallel: first slot not processed after an error
	// step handles one slot's outcome; false ends the scan.
	step := func(slot int64, exit, failed bool) bool {
		if failed {
			p.failed = true
		}
		if p.monotonic {
			return !exit && !failed
		}
		if failed {
			limit = min(limit, batchEnd(slot))
		}
		return true
	}
	next := int64(0)
	for i := 0; i <= len(p.present); i++ {
		gapEnd := p.n
		if i < len(p.present) {
			gapEnd = p.present[i].slot
		}
		for s := next; s < gapEnd && s < limit; s++ {
			if p.creates >= maxPodCreates {
				break
			}
			if exit, failed := p.createSlot(s, nil); !step(s, exit, failed) {
				return false
			}
		}
		if i == len(p.present) || p.present[i].slot >= limit {
			break
		}
		sp := p.present[i]
		if exit, failed := p.processPod(sp); !step(sp.slot, exit, failed) {
			return false
		}
		next = sp.slot + 1
	}
	return limit == math.MaxInt64
}

// podClaimIsStale is PodClaimIsStale: with whenScaled=Delete, a claim of
// the pod named name (uid "" for a pod not yet created) whose reference to
// a Pod of that name carries another UID still belongs to an earlier pod
// and is about to be garbage-collected, so creation waits.
func (p *planner) podClaimIsStale(name, uid string, ord int64) bool {
	if p.whenScale == Retain {
		return false // only Retain is exempt; a value it does not know is not
	}
	for t := range p.set.Spec.VolumeClaimTemplates {
		c := p.claims.get(t, ord)
		if c == nil {
			continue
		}
		if staleRef(c, "v1", "Pod", name, uid) {
			p.block(ReasonStaleClaim, nil, ord, "claim "+c.Name+" still belongs to an earlier pod "+name+
				" and is about to be deleted; waiting before creating the pod")
			return true
		}
	}
	return false
}

// createSlot creates the claims and the pod of a slot whose pod is not
// created (pod is nil, or an observed pod without a phase) and, under
// Parallel, goes on with the would-be pod as processReplica does. It
// returns whether the scan stops (OrderedReady) and whether a write fails.
func (p *planner) createSlot(slot int64, pod *Pod) (exit, failed bool) {
	ord := p.start + slot
	name, uid := PodName(p.set.Name, int32(ord)), ""
	if pod != nil {
		name, uid = pod.Name, pod.UID
	}
	if p.podClaimIsStale(name, uid, ord) {
		return true, false
	}
	if !p.createClaims(pod, ord) {
		return true, true
	}
	if pod != nil {
		// Kubernetes treats a pod without a phase as not created, and its
		// create then fails because the pod exists.
		p.block(ReasonWaitingForStatus, pod, ord, "pod "+pod.Name+" has no status yet")
		return true, true
	}
	rev := p.revisionForSlot(slot)
	p.creates++
	np := p.newPod(name, ord, rev)
	p.act(Action{Type: CreatePod, Reason: ReasonPodMissing, Ordinal: int32(ord), Pod: name, Revision: rev, NewPod: np,
		Message: "creating pod " + name + " at revision " + rev})
	if p.taken[name] {
		p.block(ReasonPodNameTaken, nil, ord, "a pod named "+name+" exists but is not managed by StatefulSet "+p.set.Name+
			" (another owner, or labels its selector does not match); creating the pod fails until it is gone")
		return true, true
	}
	p.updateClaimsForRetention(name, "", ord, true)
	if p.monotonic {
		p.block(ReasonWaitingForRunningReady, nil, ord, "created pod "+name+
			"; OrderedReady waits for it to be Running and Ready before going on")
		return true, false
	}
	// Parallel goes on with the pod just created: its claims are checked
	// again against the same (not yet updated) observation.
	if !p.claimsMatch(name, "", ord, true) {
		p.updateClaimsForRetention(name, "", ord, true)
		up := *np
		up.Hostname, up.Subdomain, up.Annotations, up.OwnerRefs = "", "", nil, nil
		up.Labels = map[string]string{PodNameLabel: name, PodIndexLabel: strconv.FormatInt(ord, 10)}
		p.act(Action{Type: UpdatePod, Reason: ReasonClaimRetention, Ordinal: int32(ord), Pod: name, NewPod: &up,
			Message: "updating pod " + name + " after fixing its claims' owners"})
	}
	return false, false
}

func (p *planner) newPod(name string, ord int64, rev string) *NewPod {
	tmpl := p.templateAt(rev)
	labels := make(map[string]string, len(tmpl.Labels)+3)
	for k, v := range tmpl.Labels {
		labels[k] = v
	}
	labels[PodNameLabel] = name
	labels[PodIndexLabel] = strconv.FormatInt(ord, 10)
	labels[RevisionLabel] = rev
	np := &NewPod{Name: name, Namespace: p.set.Namespace, Hostname: name, Subdomain: p.set.Spec.ServiceName,
		Labels: labels, Annotations: cloneMap(tmpl.Annotations),
		OwnerRefs: []OwnerRef{{APIVersion: "apps/v1", Kind: "StatefulSet", Name: p.set.Name, UID: p.set.UID, Controller: true}}}
	if tmpls := p.set.Spec.VolumeClaimTemplates; len(tmpls) > 0 {
		np.Volumes = make([]Volume, len(tmpls))
		for t, tmpl := range tmpls {
			np.Volumes[t] = Volume{Name: tmpl.Name, ClaimName: ClaimName(tmpl.Name, p.set.Name, int32(ord))}
		}
	}
	return np
}

// templateAt is the pod template of revision rev: the set's for the update
// revision, else the one Set.Revisions holds for it, if any.
func (p *planner) templateAt(rev string) *PodTemplate {
	if rev != p.updRev {
		for i := range p.set.Revisions {
			if r := &p.set.Revisions[i]; r.Name == rev && r.Template != nil {
				return r.Template
			}
		}
	}
	return &p.set.Spec.Template
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// createClaims is createPersistentVolumeClaims: it creates the missing
// claims of the pod at ord, named after the ordinal, without owner
// references (the retention policy's references are added once the claim
// is observed). It returns false if a claim is being deleted, which fails
// the pod's step.
func (p *planner) createClaims(pod *Pod, ord int64) bool {
	ok := true
	var terminating string
	for t, tmpl := range p.set.Spec.VolumeClaimTemplates {
		c := p.claims.get(t, ord)
		if c != nil {
			if c.Deleting && ok {
				ok, terminating = false, c.Name
			}
			continue
		}
		name := ClaimName(tmpl.Name, p.set.Name, int32(ord))
		if p.newClaims[name] {
			continue
		}
		if p.newClaims == nil {
			p.newClaims = make(map[string]bool)
		}
		p.newClaims[name] = true
		podName := PodName(p.set.Name, int32(ord))
		nc := &NewClaim{Name: name, Namespace: p.set.Namespace, Template: tmpl.Name, Labels: p.claimLabels(tmpl),
			Annotations: cloneMap(tmpl.Annotations)}
		p.act(Action{Type: CreateClaim, Reason: ReasonClaimMissing, Ordinal: int32(ord), Pod: podName, Claim: name, NewClaim: nc,
			Message: "creating claim " + name + " for pod " + podName})
	}
	if !ok {
		p.block(ReasonClaimTerminating, pod, ord, "claim "+terminating+" of pod "+PodName(p.set.Name, int32(ord))+
			" is being deleted; the pod cannot start until it is gone")
	}
	return ok
}

func (p *planner) claimLabels(t ClaimTemplate) map[string]string {
	var sel map[string]string
	if p.set.Spec.Selector != nil {
		sel = p.set.Spec.Selector.MatchLabels
	}
	if len(t.Labels)+len(sel) == 0 {
		return nil
	}
	m := make(map[string]string, len(t.Labels)+len(sel))
	for k, v := range t.Labels {
		m[k] = v
	}
	for k, v := range sel {
		m[k] = v
	}
	return m
}

// processPod is processReplica for an observed pod in its slot. It
// returns whether the scan stops (OrderedReady) and whether a write fails.
func (p *planner) processPod(sp slotPod) (exit, failed bool) {
	pod, ord := sp.pod, p.start+sp.slot
	switch pod.Phase {
	case PodFailed, PodSucceeded:
		if !pod.Deleting {
			p.act(Action{Type: DeletePod, Reason: ReasonPodFinished, Ordinal: int32(ord), Pod: pod.Name, Revision: revisionOf(pod),
				Message: "pod " + pod.Name + " is " + string(pod.Phase) + "; deleting it to recreate it with the same identity"})
		}
		if p.monotonic {
			p.block(ReasonWaitingForReplacement, pod, ord, "pod "+pod.Name+" is "+string(pod.Phase)+
				"; OrderedReady waits for it to be recreated and Ready")
		}
		return true, false
	case "":
		return p.createSlot(sp.slot, pod)
	case PodPending:
		if !p.createClaims(pod, ord) {
			return true, true
		}
		p.updateClaimsForRetention(pod.Name, pod.UID, ord, true)
	}
	if p.monotonic {
		switch {
		case pod.Deleting:
			p.block(ReasonWaitingForTermination, pod, ord, "pod "+pod.Name+" is terminating; OrderedReady waits for it to be gone")
			return true, false
		case !runningReady(pod):
			p.blockUnhealthy(pod, ord, "Running and Ready")
			return true, false
		case !p.available(pod):
			p.block(ReasonWaitingForAvailable, pod, ord, "pod "+pod.Name+" is Ready but not yet for minReadySeconds="+
				strconv.Itoa(int(p.set.Spec.MinReadySeconds)))
			return true, false
		}
	}
	if !p.updateStatefulPod(pod, ord, sp.ident) {
		return true, true
	}
	return false, false
}

// blockUnhealthy records a wait on a pod that is not Running and Ready,
// naming a stuck rolling update when that is what it is.
func (p *planner) blockUnhealthy(pod *Pod, ord int64, what string) {
	rev := revisionOf(pod)
	switch {
	case !p.onDelete && rev != p.updRev && ord-p.start >= p.updateMin:
		p.block(ReasonOutdatedPodUnhealthy, pod, ord, "pod "+pod.Name+" is not "+what+" and is at revision "+rev+
			", not the update revision "+p.updRev+"; it is waited for, not replaced, which never ends if it cannot start"+
			" (kubernetes#67250): delete it to recreate it at "+p.updRev)
	case rev == p.updRev && p.curRev != p.updRev:
		p.block(ReasonWaitingForUpdatedPod, pod, ord, "rolling update waits for pod "+pod.Name+" at revision "+rev+
			" to be "+what+"; if it never is, the new template is broken and the update is stuck (kubernetes#67250)")
	default:
		p.block(ReasonWaitingForRunningReady, pod, ord, "waiting for pod "+pod.Name+" to be "+what)
	}
}

// updateStatefulPod is the end of processReplica and UpdateStatefulPod: a
// live pod in range whose identity label, claim volumes or claims' owner
// references are not what they should be is repaired in place: missing
// claims are created, the claims' owners fixed, and the pod written. It
// returns false if a claim it must create is being deleted.
func (p *planner) updateStatefulPod(pod *Pod, ord int64, identity bool) bool {
	set := p.set
	tmpls := set.Spec.VolumeClaimTemplates
	storage := true
	for _, t := range tmpls {
		found := false
		for _, v := range pod.Volumes {
			if v.Name == t.Name {
				found = isClaimNameFor(v.ClaimName, t.Name, set.Name, int32(ord))
				break
			}
		}
		if !found {
			storage = false
			break
		}
	}
	if identity && storage && p.claimsMatch(pod.Name, pod.UID, ord, true) {
		return true
	}
	name := PodName(set.Name, int32(ord))
	if !storage && !p.createClaims(pod, ord) {
		return false
	}
	fixed := false
	if !p.claimsMatch(name, pod.UID, ord, true) {
		p.updateClaimsForRetention(name, pod.UID, ord, true)
		fixed = true
	}
	if identity && storage && !fixed {
		return true
	}
	np := &NewPod{Name: name, Namespace: set.Namespace,
		Labels: map[string]string{PodNameLabel: name, PodIndexLabel: strconv.FormatInt(ord, 10)}}
	for _, t := range tmpls {
		np.Volumes = append(np.Volumes, Volume{Name: t.Name, ClaimName: ClaimName(t.Name, set.Name, int32(ord))})
	}
	reason, msg := ReasonIdentityRepair, "restoring the identity label and claim volumes of pod "+pod.Name
	if identity && storage {
		reason, msg = ReasonClaimRetention, "updating pod "+pod.Name+" after fixing its claims' owners"
	}
	p.act(Action{Type: UpdatePod, Reason: reason, Ordinal: int32(ord), Pod: pod.Name, NewPod: np, Message: msg})
	return true
}
