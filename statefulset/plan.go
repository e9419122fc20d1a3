package statefulset

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxPodCreates bounds the pods one result creates. Kubernetes creates every
// missing pod of a Parallel set in one pass; for absurd replica counts that
// would be an unbounded result, so the rest come on the next call.
const maxPodCreates = 1 << 14

// maxBatch is the Kubernetes slow-start batch cap for Parallel work.
const maxBatch = 500

// slotPod is a live pod in the ordinal range, at slot ordinal-start.
type slotPod struct {
	slot int64
	pod  *Pod
	rev  string // the pod's revision label
}

// planner holds one pass's derived inputs and its growing result.
type planner struct {
	set       *Set
	now       time.Time
	n, start  int64 // replicas and first ordinal
	partition int64
	monotonic bool
	onDelete  bool
	minReady  time.Duration
	curRev    string
	updRev    string
	whenDel   RetentionPolicyType
	whenScale RetentionPolicyType

	present   []slotPod // in-range pods, ascending slot
	condemned []*Pod    // out-of-range pods, descending ordinal
	claims    claimIndex
	firstBad  *Pod // first unhealthy pod; nil with badSlot >= 0 means a missing slot
	badSlot   int64
	creates   int
	newClaims map[string]bool // claims created in this pass
	failed    bool            // a write of this pass would fail (the pass ends in error)

	res Result
}

// NextStatefulAction returns what one pass of the Kubernetes v1.34
// StatefulSet controller does for set, given the pods and claims observed
// in the set's namespace and the current time: the writes to issue, the pod
// progress waits on, the status to report and when to ask again. Pods and
// claims may be in any order and may include objects of other owners; they
// are not modified. An invalid set gives a *FieldErrors error.
func NextStatefulAction(set Set, pods []Pod, claims []Claim, now time.Time) (Result, error) {
	if err := validate(&set).ToAggregate(); err != nil {
		return Result{}, err
	}
	p := newPlanner(&set, now)
	p.classify(pods)
	p.claims = indexClaims(&set, claims, p.n, p.start)
	p.computeStatus()
	if set.Deleting {
		p.block(ReasonSetDeleting, nil, -1, "StatefulSet "+set.Name+" is being deleted; only status is computed")
		p.finishStatus()
		p.truncateHistory()
		return p.res, nil
	}
	p.findFirstUnhealthy()
	if p.scanReplicas() && p.fixCondemnedClaims() && p.scaleDown() && !p.onDelete {
		if set.Features.MaxUnavailableStatefulSet {
			p.updateWithBudget()
		} else {
			p.updateOneAtATime()
		}
	}
	p.finishStatus()
	if !p.failed {
		p.truncateHistory()
	}
	return p.res, nil
}

func newPlanner(set *Set, now time.Time) *planner {
	spec := &set.Spec
	p := &planner{set: set, now: now, n: 1, badSlot: -1}
	if spec.Replicas != nil {
		p.n = int64(*spec.Replicas)
	}
	if spec.Ordinals != nil {
		p.start = int64(spec.Ordinals.Start)
	}
	if p.start+p.n-1 > math.MaxInt32 {
		// Ordinals past MaxInt32 cannot be read back from a pod name;
		// Kubernetes would create such a pod and then never see it.
		p.n = math.MaxInt32 - p.start + 1
	}
	p.monotonic = spec.PodManagementPolicy != Parallel
	p.onDelete = spec.UpdateStrategy.Type == OnDelete
	if ru := spec.UpdateStrategy.RollingUpdate; ru != nil && ru.Partition != nil && !p.onDelete {
		p.partition = int64(*ru.Partition)
	}
	p.minReady = time.Duration(spec.MinReadySeconds) * time.Second
	p.updRev = set.UpdateRevision
	p.curRev = set.Status.CurrentRevision
	if p.curRev == "" {
		p.curRev = p.updRev
	}
	p.whenDel, p.whenScale = Retain, Retain
	if rp := spec.PersistentVolumeClaimRetentionPolicy; rp != nil {
		if rp.WhenDeleted == Delete {
			p.whenDel = Delete
		}
		if rp.WhenScaled == Delete {
			p.whenScale = Delete
		}
	}
	return p
}

// preferred orders two pods that claim the same slot: the canonically named
// one, then by name, then by UID, so that input order never matters.
func preferred(a, b *Pod) bool {
	ca, cb := canonicalSuffix(a.Name), canonicalSuffix(b.Name)
	if ca != cb {
		return ca
	}
	if a.Name != b.Name {
		return a.Name < b.Name
	}
	return a.UID < b.UID
}

// classify claims the pods the set owns (adopting orphans, releasing pods
// that no longer match) and splits them into in-range slots and condemned.
func (p *planner) classify(pods []Pod) {
	set := p.set
	type slotRef struct {
		slot int64
		pod  *Pod
	}
	inRange := make([]slotRef, 0, min(len(pods), int(min(p.n, math.MaxInt32))))
	var adopt, release []*Pod
	match := compileSelector(set.Spec.Selector)
	for i := range pods {
		pod := &pods[i]
		if pod.Namespace != "" && pod.Namespace != set.Namespace {
			continue
		}
		owned := set.UID != "" && pod.ControllerUID == set.UID
		if !owned && pod.ControllerUID != "" {
			continue
		}
		parent, ord := ParseOrdinal(pod.Name)
		member := ord >= 0 && parent == set.Name && match.matches(pod.Labels)
		switch {
		case owned && !member:
			if !set.Deleting {
				release = append(release, pod)
			}
			continue
		case !owned && !member:
			continue
		case !owned:
			if set.Deleting || pod.Deleting {
				continue
			}
			adopt = append(adopt, pod)
		}
		o := int64(ord)
		if o >= p.start && o < p.start+p.n {
			inRange = append(inRange, slotRef{o - p.start, pod})
		} else {
			p.condemned = append(p.condemned, pod)
		}
	}
	byName := func(a, b *Pod) int { return strings.Compare(a.Name+"\x00"+a.UID, b.Name+"\x00"+b.UID) }
	slices.SortFunc(release, byName)
	slices.SortFunc(adopt, byName)
	for _, pod := range release {
		_, ord := ParseOrdinal(pod.Name)
		p.act(Action{Type: ReleasePod, Reason: ReasonRelease, Ordinal: ord, Pod: pod.Name,
			Message: "pod " + pod.Name + " no longer matches StatefulSet " + set.Name + "; releasing it"})
	}
	for _, pod := range adopt {
		_, ord := ParseOrdinal(pod.Name)
		p.act(Action{Type: AdoptPod, Reason: ReasonAdopt, Ordinal: ord, Pod: pod.Name,
			Message: "orphan pod " + pod.Name + " matches StatefulSet " + set.Name + "; adopting it"})
	}

	// Put the in-range pods in slot order: by bucket when the range is not
	// much larger than the pod list, by sorting otherwise.
	if p.n <= 4*int64(len(inRange))+4096 {
		bucket := make([]int32, p.n) // index+1 into inRange
		for k, sp := range inRange {
			if cur := bucket[sp.slot]; cur == 0 || preferred(sp.pod, inRange[cur-1].pod) {
				bucket[sp.slot] = int32(k + 1)
			}
		}
		p.present = make([]slotPod, 0, len(inRange))
		for _, k := range bucket {
			if k != 0 {
				sp := inRange[k-1]
				p.present = append(p.present, slotPod{sp.slot, sp.pod, revisionOf(sp.pod)})
			}
		}
	} else {
		slices.SortFunc(inRange, func(a, b slotRef) int {
			if a.slot != b.slot {
				if a.slot < b.slot {
					return -1
				}
				return 1
			}
			if preferred(a.pod, b.pod) {
				return -1
			}
			if preferred(b.pod, a.pod) {
				return 1
			}
			return 0
		})
		for _, sp := range inRange {
			if k := len(p.present); k > 0 && p.present[k-1].slot == sp.slot {
				continue
			}
			p.present = append(p.present, slotPod{sp.slot, sp.pod, revisionOf(sp.pod)})
		}
	}
	slices.SortFunc(p.condemned, func(a, b *Pod) int {
		_, oa := ParseOrdinal(a.Name)
		_, ob := ParseOrdinal(b.Name)
		if oa != ob {
			return int(ob) - int(oa)
		}
		return byName(a, b)
	})
}

func (p *planner) act(a Action) { p.res.Actions = append(p.res.Actions, a) }

// block records why progress stops; the first reason in a pass is kept.
func (p *planner) block(r Reason, pod *Pod, ord int64, msg string) {
	if p.res.Blocked != nil {
		return
	}
	b := &Blocked{Reason: r, Message: msg, Ordinal: int32(ord)}
	if pod != nil {
		b.Pod = pod.Name
	} else if ord >= 0 {
		b.Pod = PodName(p.set.Name, int32(ord))
	}
	p.res.Blocked = b
}

func runningReady(pod *Pod) bool { return pod.Phase == PodRunning && pod.Ready }

func (p *planner) available(pod *Pod) bool {
	if !runningReady(pod) {
		return false
	}
	return p.minReady == 0 || (!pod.ReadySince.IsZero() && pod.ReadySince.Add(p.minReady).Before(p.now))
}

// healthy is the v1.34 test used for the first unhealthy pod and by the
// rolling update: Running and Ready and not terminating.
func healthy(pod *Pod) bool { return pod != nil && runningReady(pod) && !pod.Deleting }

func revisionOf(pod *Pod) string { return pod.Labels[RevisionLabel] }

// revisionForSlot is the revision a missing pod is created at (C2).
func (p *planner) revisionForSlot(slot int64) string {
	if !p.onDelete && slot < p.partition {
		return p.curRev
	}
	return p.updRev
}

func (p *planner) computeStatus() {
	st := Status{
		ObservedGeneration: p.set.Generation,
		CurrentRevision:    p.curRev,
		UpdateRevision:     p.updRev,
		CollisionCount:     p.set.Status.CollisionCount,
	}
	var requeue time.Time
	count := func(pod *Pod, rev string) {
		if pod.Phase != "" {
			st.Replicas++
		}
		if runningReady(pod) {
			st.ReadyReplicas++
			if p.available(pod) {
				st.AvailableReplicas++
			} else if !pod.ReadySince.IsZero() {
				at := pod.ReadySince.Add(p.minReady).Add(time.Nanosecond)
				if requeue.IsZero() || at.Before(requeue) {
					requeue = at
				}
			}
		}
		if pod.Phase != "" && !pod.Deleting {
			if rev == p.curRev {
				st.CurrentReplicas++
			}
			if rev == p.updRev {
				st.UpdatedReplicas++
			}
		}
	}
	for i := range p.present {
		count(p.present[i].pod, p.present[i].rev)
	}
	for _, pod := range p.condemned {
		count(pod, revisionOf(pod))
	}
	p.res.Status = st
	p.res.RequeueAt = requeue
}

// finishStatus completes a finished rolling update (S3) and compares the
// status with the one last written (S5).
func (p *planner) finishStatus() {
	st := &p.res.Status
	if !p.onDelete && st.UpdatedReplicas == st.ReadyReplicas && st.ReadyReplicas == st.Replicas &&
		int64(st.Replicas) == p.n {
		st.CurrentRevision = st.UpdateRevision
		st.CurrentReplicas = st.UpdatedReplicas
	}
	old := &p.set.Status
	p.res.StatusChanged = st.ObservedGeneration > old.ObservedGeneration || st.Replicas != old.Replicas ||
		st.CurrentReplicas != old.CurrentReplicas || st.ReadyReplicas != old.ReadyReplicas ||
		st.UpdatedReplicas != old.UpdatedReplicas || st.AvailableReplicas != old.AvailableReplicas ||
		st.CurrentRevision != old.CurrentRevision || st.UpdateRevision != old.UpdateRevision
}

// findFirstUnhealthy finds the lowest unhealthy slot (a missing pod counts),
// else the lowest-ordinal unhealthy condemned pod.
func (p *planner) findFirstUnhealthy() {
	next := int64(0)
	for _, sp := range p.present {
		if sp.slot > next {
			p.badSlot = next
			return
		}
		if !healthy(sp.pod) {
			p.badSlot, p.firstBad = sp.slot, sp.pod
			return
		}
		next = sp.slot + 1
	}
	if next < p.n {
		p.badSlot = next
		return
	}
	for i := len(p.condemned) - 1; i >= 0; i-- {
		if !healthy(p.condemned[i]) {
			p.firstBad = p.condemned[i]
			return
		}
	}
}

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

// scanReplicas is the in-range scan (C4). It reports whether the pass
// goes on.
func (p *planner) scanReplicas() bool {
	limit := int64(math.MaxInt64) // Parallel: first slot not processed after an error
	fail := func(slot int64) bool {
		if p.monotonic {
			return false
		}
		if e := batchEnd(slot); e < limit {
			limit = e
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
			switch p.createSlot(s) {
			case stepWait:
				if p.monotonic {
					return false
				}
				continue
			case stepFailed:
				if !fail(s) {
					return false
				}
				continue
			}
			if p.monotonic {
				p.block(ReasonWaitingForRunningReady, nil, p.start+s, "created pod "+PodName(p.set.Name, int32(p.start+s))+
					"; OrderedReady waits for it to be Running and Ready before going on")
				return false
			}
		}
		if i == len(p.present) || p.present[i].slot >= limit {
			break
		}
		sp := p.present[i]
		if !p.processPod(sp) && !fail(sp.slot) {
			return false
		}
		next = sp.slot + 1
	}
	return limit == math.MaxInt64
}

// staleClaim is the P5 guard: with whenScaled=Delete, a claim of the pod
// that references a pod of that name with another UID (a pod about to be
// created has none) is about to be garbage-collected, so creation waits.
func (p *planner) staleClaim(name, uid string, ord int64) bool {
	if p.whenScale != Delete {
		return false
	}
	for t := range p.set.Spec.VolumeClaimTemplates {
		c := p.claims.get(t, ord)
		if c == nil {
			continue
		}
		for _, r := range c.OwnerRefs {
			if r.Kind == "Pod" && r.Name == name && (uid == "" || r.UID != uid) {
				p.block(ReasonStaleClaim, nil, ord, "claim "+c.Name+" still belongs to an earlier pod "+name+
					" and is about to be deleted; waiting before creating the pod")
				return true
			}
		}
	}
	return false
}

// stepOutcome is how one slot's step ended.
type stepOutcome int

const (
	stepDone   stepOutcome = iota
	stepWait               // nothing done, no error: a later pass does it
	stepFailed             // an API call would fail: Parallel ends after this batch
)

// createSlot creates the claims and the pod of a missing slot.
func (p *planner) createSlot(slot int64) stepOutcome {
	ord := p.start + slot
	name := PodName(p.set.Name, int32(ord))
	if p.staleClaim(name, "", ord) {
		return stepWait
	}
	if !p.ensureClaimsNamed(nil, name, ord) {
		return stepFailed
	}
	rev := p.revisionForSlot(slot)
	p.creates++
	np := p.newPod(name, ord, rev)
	p.act(Action{Type: CreatePod, Reason: ReasonPodMissing, Ordinal: int32(ord), Pod: name, Revision: rev, NewPod: np,
		Message: "creating pod " + name + " at revision " + rev})
	return stepDone
}

func (p *planner) newPod(name string, ord int64, rev string) *NewPod {
	np := &NewPod{Name: name, Namespace: p.set.Namespace, Hostname: name, Subdomain: p.set.Spec.ServiceName,
		Labels: map[string]string{PodNameLabel: name, PodIndexLabel: strconv.FormatInt(ord, 10), RevisionLabel: rev}}
	if tmpls := p.set.Spec.VolumeClaimTemplates; len(tmpls) > 0 {
		np.Volumes = make([]Volume, len(tmpls))
		for t, tmpl := range tmpls {
			np.Volumes[t] = Volume{Name: tmpl.Name, ClaimName: tmpl.Name + "-" + name}
		}
	}
	return np
}

// ensureClaims creates the missing claims of the pod at ord (P1, P2). It
// returns false if a claim is being deleted, which fails the pod's step.
func (p *planner) ensureClaims(pod *Pod, ord int64) bool {
	podName := ""
	if pod != nil && canonicalSuffix(pod.Name) {
		podName = pod.Name
	}
	return p.ensureClaimsNamed(pod, podName, ord)
}

// ensureClaimsNamed is ensureClaims with the pod's canonical name, if known.
func (p *planner) ensureClaimsNamed(pod *Pod, podName string, ord int64) bool {
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
		if podName == "" {
			podName = PodName(p.set.Name, int32(ord))
		}
		name := tmpl.Name + "-" + podName
		if p.newClaims[name] {
			continue
		}
		if p.newClaims == nil {
			p.newClaims = make(map[string]bool)
		}
		p.newClaims[name] = true
		nc := &NewClaim{Name: name, Namespace: p.set.Namespace, Template: tmpl.Name, Labels: p.claimLabels(tmpl)}
		if p.whenDel == Delete {
			nc.OwnerRefs = []OwnerRef{p.setRef()}
		}
		p.act(Action{Type: CreateClaim, Reason: ReasonClaimMissing, Ordinal: int32(ord), Pod: podName, Claim: name, NewClaim: nc,
			Message: "creating claim " + name + " for pod " + podName})
	}
	if !ok {
		p.failed = true
		if podName == "" {
			podName = PodName(p.set.Name, int32(ord))
		}
		p.block(ReasonClaimTerminating, pod, ord, "claim "+terminating+" of pod "+podName+
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

func (p *planner) setRef() OwnerRef {
	return OwnerRef{APIVersion: "apps/v1", Kind: "StatefulSet", Name: p.set.Name, UID: p.set.UID, Controller: true}
}

// processPod is C4 for a live pod. It returns false when the scan must
// stop (monotonic) or the pod's step failed (Parallel).
func (p *planner) processPod(sp slotPod) bool {
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
		// Parallel ignores the stop signal, and this is no error.
		return !p.monotonic
	case "":
		// Kubernetes treats a pod without a phase as not created: it runs
		// the stale-claim guard, creates missing claims, and then fails to
		// create the pod again, so the step errs.
		if p.staleClaim(pod.Name, pod.UID, ord) {
			return !p.monotonic
		}
		p.ensureClaims(pod, ord)
		p.failed = true
		p.block(ReasonWaitingForStatus, pod, ord, "pod "+pod.Name+" has no status yet")
		return false
	case PodPending:
		if !p.ensureClaims(pod, ord) {
			return false
		}
	}
	if p.monotonic {
		switch {
		case pod.Deleting:
			p.block(ReasonWaitingForTermination, pod, ord, "pod "+pod.Name+" is terminating; OrderedReady waits for it to be gone")
			return false
		case !runningReady(pod):
			p.blockUnhealthy(pod, ord, "Running and Ready")
			return false
		case !p.available(pod):
			p.block(ReasonWaitingForAvailable, pod, ord, "pod "+pod.Name+" is Ready but not yet for minReadySeconds="+
				strconv.Itoa(int(p.set.Spec.MinReadySeconds)))
			return false
		}
	}
	return p.repair(pod, ord, true)
}

// blockUnhealthy records a wait on a pod that is not Running and Ready,
// naming a stuck rolling update when that is what it is.
func (p *planner) blockUnhealthy(pod *Pod, ord int64, what string) {
	rev := revisionOf(pod)
	switch {
	case !p.onDelete && rev != p.updRev && ord-p.start >= p.partition:
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

// repair fixes a live pod's identity, storage and claim ownership (I5,
// P3); inRange says whether the pod is in the ordinal range. It returns
// false if a claim it must create is being deleted.
func (p *planner) repair(pod *Pod, ord int64, inRange bool) bool {
	set := p.set
	tmpls := set.Spec.VolumeClaimTemplates
	identity := inRange && canonicalSuffix(pod.Name) && pod.Labels[PodNameLabel] == pod.Name
	storage := true
	if inRange {
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
	}
	if !storage && !p.ensureClaims(pod, ord) {
		return false
	}
	for t := range tmpls {
		c := p.claims.get(t, ord)
		if c == nil {
			continue
		}
		if refs, conflict, ok := p.claimOwners(c, pod, inRange); !ok {
			p.act(Action{Type: UpdateClaim, Reason: ReasonClaimRetention, Ordinal: int32(ord), Pod: pod.Name, Claim: c.Name, OwnerRefs: refs,
				Message: "setting the owners of claim " + c.Name + " for retention policy whenDeleted=" + string(p.whenDel) +
					", whenScaled=" + string(p.whenScale)})
			if conflict {
				p.res.Warnings = append(p.res.Warnings, Warning{Reason: ReasonConflictingController, Claim: c.Name, Pod: pod.Name,
					Message: "claim " + c.Name + " has another controller; removing the StatefulSet's references and adding none"})
			}
		}
	}
	if !inRange || (identity && storage) {
		return true
	}
	name := PodName(set.Name, int32(ord))
	np := &NewPod{Name: name, Namespace: set.Namespace, Labels: make(map[string]string, len(pod.Labels)+2)}
	for k, v := range pod.Labels {
		np.Labels[k] = v
	}
	np.Labels[PodNameLabel] = name
	np.Labels[PodIndexLabel] = strconv.FormatInt(ord, 10)
	for _, t := range tmpls {
		np.Volumes = append(np.Volumes, Volume{Name: t.Name, ClaimName: ClaimName(t.Name, set.Name, int32(ord))})
	}
	for _, v := range pod.Volumes {
		if !slices.ContainsFunc(tmpls, func(t ClaimTemplate) bool { return t.Name == v.Name }) {
			np.Volumes = append(np.Volumes, v)
		}
	}
	p.act(Action{Type: UpdatePod, Reason: ReasonIdentityRepair, Ordinal: int32(ord), Pod: pod.Name, NewPod: np,
		Message: "restoring the identity label and claim volumes of pod " + pod.Name})
	return true
}

// claimOwners decides whether claim c's owner references match the
// retention policy for pod (P3, P4); if not it returns the new list.
func (p *planner) claimOwners(c *Claim, pod *Pod, inRange bool) (refs []OwnerRef, conflict, ok bool) {
	set := p.set
	isSet := func(r OwnerRef) bool { return r.Kind == "StatefulSet" && r.Name == set.Name }
	isPod := func(r OwnerRef) bool { return r.Kind == "Pod" && r.Name == pod.Name }
	var hasSet, hasPod, other, sloppy bool
	for _, r := range c.OwnerRefs {
		switch {
		case isSet(r):
			if r.UID != set.UID {
				return nil, false, true // stale: a previous set's claim, leave it
			}
			hasSet, sloppy = true, sloppy || !r.Controller
		case isPod(r):
			if r.UID != pod.UID {
				return nil, false, true
			}
			hasPod, sloppy = true, sloppy || !r.Controller
		case r.Controller:
			other = true
		}
	}
	retainAll := p.whenDel == Retain && p.whenScale == Retain
	var wantSet, wantPod bool
	switch {
	case other:
		// Another controller owns the claim: only take our references out.
	case p.whenScale == Retain:
		wantSet = p.whenDel == Delete
	case p.whenDel == Retain:
		wantPod = !inRange
	default:
		wantSet, wantPod = inRange, !inRange
	}
	if hasSet == wantSet && hasPod == wantPod && (!sloppy || other) {
		return nil, false, true
	}
	if other && !hasSet && !hasPod {
		return nil, false, true
	}
	for _, r := range c.OwnerRefs {
		if !isSet(r) && !isPod(r) {
			refs = append(refs, r)
		}
	}
	if wantSet {
		refs = append(refs, p.setRef())
	}
	if wantPod {
		refs = append(refs, OwnerRef{APIVersion: "v1", Kind: "Pod", Name: pod.Name, UID: pod.UID, Controller: true})
	}
	return refs, other && !retainAll, false
}

// fixCondemnedClaims points condemned pods' claims at the owners the
// retention policy wants (C5).
func (p *planner) fixCondemnedClaims() bool {
	for _, pod := range p.condemned {
		_, ord := ParseOrdinal(pod.Name)
		p.repair(pod, int64(ord), false)
	}
	return true
}

// scaleDown deletes condemned pods (C6), highest ordinal first.
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
				msg += ", since pod " + p.firstBad.Name + " is not healthy either"
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

// slotPodAt returns the live pod in slot s and its revision, or nil if it
// is missing; i is where the backward search in present starts.
func (p *planner) slotPodAt(i int, s int64) (*Pod, string, int) {
	for i >= 0 && p.present[i].slot > s {
		i--
	}
	if i >= 0 && p.present[i].slot == s {
		return p.present[i].pod, p.present[i].rev, i
	}
	return nil, "", i
}

func (p *planner) deleteForUpdate(pod *Pod, ord int64) {
	p.act(Action{Type: DeletePod, Reason: ReasonRollingUpdate, Ordinal: int32(ord), Pod: pod.Name, Revision: revisionOf(pod),
		Message: "deleting pod " + pod.Name + " at revision " + revisionOf(pod) + " to recreate it at " + p.updRev})
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

// updateOneAtATime is the v1.34 rolling update (C8): from the highest slot
// down to the partition, replace the first outdated pod, or wait for an
// unhealthy one.
func (p *planner) updateOneAtATime() {
	i := len(p.present) - 1
	for s := p.n - 1; s >= p.partition; s-- {
		var pod *Pod
		var rev string
		pod, rev, i = p.slotPodAt(i, s)
		ord := p.start + s
		if (pod == nil || !healthy(pod)) && p.curRev == p.updRev && !p.outdatedIn(p.partition, s) {
			return // no update in progress: the wait holds nothing back
		}
		if pod == nil {
			p.block(ReasonWaitingForCreation, nil, ord, "rolling update waits for pod "+PodName(p.set.Name, int32(ord))+" to be created")
			return
		}
		if rev != p.updRev && !pod.Deleting {
			p.deleteForUpdate(pod, ord)
			return
		}
		if !healthy(pod) {
			if pod.Deleting {
				p.block(ReasonWaitingForTermination, pod, ord, "rolling update waits for pod "+pod.Name+" to be gone")
			} else {
				p.blockUnhealthy(pod, ord, "Running and Ready")
			}
			return
		}
	}
}

// updateWithBudget is the rolling update with MaxUnavailableStatefulSet
// (C9): unhealthy pods in every slot use up maxUnavailable; the rest of the
// budget replaces outdated pods from the highest slot down to the partition.
func (p *planner) updateWithBudget() {
	maxUnavail := 1
	if ru := p.set.Spec.UpdateStrategy.RollingUpdate; ru != nil && ru.MaxUnavailable != nil {
		total := int(min(p.n, math.MaxInt32))
		if v, err := ru.MaxUnavailable.Scaled(total, false); err == nil && v > 1 {
			maxUnavail = v
		}
	}
	unhealthy := p.n - int64(len(p.present))
	var firstBad *Pod
	for _, sp := range p.present {
		if !healthy(sp.pod) {
			unhealthy++
			if firstBad == nil {
				firstBad = sp.pod
			}
		}
	}
	if unhealthy >= int64(maxUnavail) && p.outdatedIn(p.partition, p.n) {
		name := "missing pods"
		if firstBad != nil {
			name = "pod " + firstBad.Name
		}
		if p.res.Blocked != nil {
			return
		}
		p.res.Blocked = &Blocked{Reason: ReasonMaxUnavailable, Ordinal: -1,
			Message: strconv.FormatInt(unhealthy, 10) + " pods are unavailable, maxUnavailable is " + strconv.Itoa(maxUnavail) +
				"; the rolling update waits (first: " + name + ")"}
		if firstBad != nil {
			_, o := ParseOrdinal(firstBad.Name)
			p.res.Blocked.Pod, p.res.Blocked.Ordinal = firstBad.Name, o
		}
		return
	}
	budget := int64(maxUnavail) - unhealthy
	for k := len(p.present) - 1; k >= 0 && budget > 0; k-- {
		sp := p.present[k]
		if sp.slot < p.partition {
			break
		}
		if sp.rev != p.updRev && !sp.pod.Deleting {
			p.deleteForUpdate(sp.pod, p.start+sp.slot)
			budget--
		}
	}
}
