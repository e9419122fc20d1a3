package statefulset

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/internal/field"
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
	// ident is identityMatches' label half: the pod is canonically named
	// and its pod-name label is its name. Read with the other labels, while
	// the pod's label map is in cache.
	ident bool
	// unavail is isUnavailable at the pass's time (computeStatus sets it).
	unavail bool
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
	unindexed []*Pod    // claimed pods whose ordinal does not fit an int32
	claims    claimIndex
	firstBad  *Pod // first unavailable pod; nil with badSlot >= 0 means a missing slot
	badSlot   int64
	creates   int
	newClaims map[string]bool // claims created in this pass
	taken     map[string]bool // names of pods in the namespace that are not the set's
	failed    bool            // a write of this pass would fail (the pass ends in error)
	// keepCurrent is the number of slots a missing pod is created in at
	// the current revision (the partition, or status.currentReplicas when
	// a RollingUpdate strategy has no rollingUpdate).
	keepCurrent int64
	updateMin   int64 // lowest slot the rolling update replaces

	// What the release changes.
	budgetGate    bool // MaxUnavailableStatefulSet: rollingUpdate.maxUnavailable is spent
	v135          bool // 1.35 or newer: re-queue at the next availability check of any claimed pod
	v137          bool // 1.37 or newer: status conditions, completion under any strategy, two-phase Parallel budget
	recreate      bool // the Recreate strategy, known and enabled (1.37 with StatefulSetRecreateStrategy)
	badRecreate   bool // Recreate asked of a 1.37 controller whose gate is off
	noStatusWrite bool // the status write itself fails (1.35+: maxUnavailable cannot be scaled)
	deleting      bool
	anyOutdated   bool // an in-range pod is not at the update revision

	res Result
}

// NextStatefulAction returns what one pass of the Kubernetes StatefulSet
// controller of opts.Release does for set, given the pods and claims
// observed in the set's namespace and the current time: the writes to
// issue, the pod progress waits on, the status to report and when to ask
// again. Pods and claims may be in any order and may include objects of
// other owners; they are not modified.
//
// A set the API server would reject is still planned as the controller
// plans it, with the problems listed in Result.Warnings. It is an error
// (a *FieldErrors) only where the controller refuses: a selector it cannot
// parse (it then does nothing), a negative replica count or start ordinal
// (it cannot index its replicas), or a missing UpdateRevision (an input of
// this package); and for an unsupported release. Two refusals are
// results instead, since the controller still acts: a maxUnavailable it
// cannot scale (Blocked ReasonInvalidMaxUnavailable), and, on a 1.37
// controller with StatefulSetRecreateStrategy off, the Recreate strategy
// (Blocked and Event ReasonUnknownStrategy, only history trimmed, no
// status written). A stale observation (Options.Wrote) is Blocked
// ReasonStaleObservation with nothing else done.
func NextStatefulAction(set Set, pods []Pod, claims []Claim, now time.Time, opts Options) (Result, error) {
	if err := field.CheckRelease(opts.Release); err != nil {
		return Result{}, err
	}
	if r, ok := stale(&opts); ok {
		// The controller checks its cache before it even reads the set.
		return Result{Status: set.Status, Blocked: &Blocked{Reason: ReasonStaleObservation, Ordinal: -1,
			Message: "the observed " + r + " (resourceVersion " + opts.Read[r] + ") are older than the controller's own write (" +
				opts.Wrote[r] + "); the pass is skipped until the observation catches up"}}, nil
	}
	if err := refuse(&set).ToAggregate(); err != nil {
		return Result{}, err
	}
	warnings := validate(&set, opts.Release)
	set.Spec.VolumeClaimTemplates = uniqueTemplates(set.Spec.VolumeClaimTemplates)
	p := newPlanner(&set, now, opts.Release)
	p.res.Warnings = warnings
	p.classify(pods)
	p.claims = indexClaims(&set, claims, p.n, p.start)
	p.computeStatus()
	if p.badRecreate {
		// updateStatefulSet refuses before it computes a status; history is
		// still trimmed.
		msg := "statefulset " + set.Namespace + "/" + set.Name + " uses Recreate strategy but feature gate " +
			string(api.StatefulSetRecreateStrategy) + " is disabled"
		p.res.Events = append(p.res.Events, Event{Reason: ReasonUnknownStrategy, Message: msg})
		p.failed = true
		p.block(ReasonUnknownStrategy, nil, -1, msg+"; the controller does nothing until the gate is on or the strategy changes")
		p.truncateHistory()
		return p.res, nil
	}
	if p.deleting {
		p.block(ReasonSetDeleting, nil, -1, "StatefulSet "+set.Name+" is being deleted; only status is computed")
		p.finishStatus()
		p.truncateHistory()
		return p.res, nil
	}
	if len(p.condemned) > 0 {
		p.findFirstUnavailable() // read only by the scale-down
	}
	// With every pod at the update revision, which is also the current
	// one, the update step has nothing to replace, wait for or report
	// (but for a maxUnavailable it cannot scale, which fails it).
	noUpdate := p.curRev == p.updRev && !p.anyOutdated
	if noUpdate && p.budgetGate {
		_, noUpdate = p.maxUnavailable()
	}
	if (!p.recreate || p.recreateOld()) && p.scanReplicas() && p.fixCondemnedClaims() && p.scaleDown() && !p.onDelete && !p.recreate && !noUpdate {
		if p.budgetGate {
			p.updateWithBudget()
		} else {
			p.updateOneAtATime()
		}
	}
	p.finishStatus()
	// Kubernetes trims history after every pass, one that failed included.
	p.truncateHistory()
	return p.res, nil
}

// uniqueTemplates is the claim templates as the controller sees them: it
// keys them by name (getPersistentVolumeClaims), so of two templates of
// one name the later one's content counts, once. Validation keys them the
// same way and lets such a set through. The list keeps the order of each
// name's first appearance; the input is not modified.
func uniqueTemplates(ts []ClaimTemplate) []ClaimTemplate {
	if len(ts) < 2 {
		return ts
	}
	if len(ts) <= 16 { // the usual few: look for a repeat without a map
		dup := false
		for i := 1; i < len(ts) && !dup; i++ {
			for j := range i {
				if ts[j].Name == ts[i].Name {
					dup = true
					break
				}
			}
		}
		if !dup {
			return ts
		}
	}
	out := make([]ClaimTemplate, 0, len(ts))
	at := make(map[string]int, len(ts))
	for _, t := range ts {
		if k, ok := at[t.Name]; ok {
			out[k] = t
			continue
		}
		at[t.Name] = len(out)
		out = append(out, t)
	}
	if len(out) == len(ts) {
		return ts
	}
	return out
}

func newPlanner(set *Set, now time.Time, rel Release) *planner {
	spec := &set.Spec
	p := &planner{set: set, now: now, n: 1, badSlot: -1, deleting: !set.DeletionTimestamp.IsZero()}
	p.budgetGate = rel.Enabled(api.MaxUnavailableStatefulSet)
	p.v135, p.v137 = rel.AtLeast("1.35"), rel.AtLeast("1.37")
	if spec.UpdateStrategy.Type == Recreate && p.v137 {
		// Before 1.37 the controller does not know the value and treats it
		// as any strategy that is not OnDelete: a rolling update.
		p.recreate = rel.Enabled(api.StatefulSetRecreateStrategy)
		p.badRecreate = !p.recreate
	}
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
	// newVersionedStatefulSetPod keeps slots below the partition at the
	// current revision whenever rollingUpdate is set (even with OnDelete,
	// which validation forbids); with a RollingUpdate strategy that has
	// none, the slots below status.currentReplicas.
	if ru := spec.UpdateStrategy.RollingUpdate; ru != nil {
		if ru.Partition != nil {
			p.partition = int64(*ru.Partition)
		}
		p.keepCurrent, p.updateMin = p.partition, p.partition
	} else if t := spec.UpdateStrategy.Type; t == RollingUpdate || t == "" {
		p.keepCurrent = int64(set.Status.CurrentReplicas)
	}
	if p.budgetGate && rel.AtLeast("1.35") && spec.UpdateStrategy.RollingUpdate != nil {
		if _, ok := p.maxUnavailable(); !ok {
			p.noStatusWrite = true
		}
	}
	p.minReady = time.Duration(spec.MinReadySeconds) * time.Second
	p.updRev = set.UpdateRevision
	p.curRev = set.Status.CurrentRevision
	if set.Revisions != nil && p.curRev != p.updRev &&
		!slices.ContainsFunc(set.Revisions, func(r Revision) bool { return r.Name == p.curRev }) {
		p.curRev = "" // not among the revisions: gone
	}
	if p.curRev == "" {
		p.curRev = p.updRev
	}
	// Empty means Retain; a value the controller does not know is kept, as
	// it treats such a value as Retain in some checks and not in others.
	p.whenDel, p.whenScale = Retain, Retain
	if rp := spec.PersistentVolumeClaimRetentionPolicy; rp != nil {
		if rp.WhenDeleted != "" {
			p.whenDel = rp.WhenDeleted
		}
		if rp.WhenScaled != "" {
			p.whenScale = rp.WhenScaled
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
	type slotRef = slotPod
	inRange := make([]slotRef, 0, min(len(pods), int(min(p.n, math.MaxInt32))))
	var adopt, release []*Pod
	match := compileSelector(set.Spec.Selector)
	for i := range pods {
		pod := &pods[i]
		if pod.Namespace != "" && pod.Namespace != set.Namespace {
			continue
		}
		owned := set.UID != "" && pod.ControllerUID == set.UID
		// isMemberOf reads the parent even when the ordinal does not fit
		// an int32: such a pod is claimed, though no slot holds it.
		parent, ord, canonical := splitName(pod.Name)
		member := false
		var rev, podNameLabel string
		if parent == set.Name && parent != "" {
			// All three reads of the pod's labels together, while its
			// label map is in cache.
			member, rev, podNameLabel = match.matches(pod.Labels), pod.Labels[RevisionLabel], pod.Labels[PodNameLabel]
		}
		switch {
		case !owned && pod.ControllerUID != "":
			p.markTaken(pod)
			continue
		case owned && !member:
			if !p.deleting {
				release = append(release, pod)
			}
			p.markTaken(pod)
			continue
		case !owned && !member:
			p.markTaken(pod)
			continue
		case !owned:
			if p.deleting || pod.Deleting {
				p.markTaken(pod)
				continue
			}
			adopt = append(adopt, pod)
		}
		o := int64(ord)
		if ord < 0 {
			p.unindexed = append(p.unindexed, pod)
			continue
		}
		if o >= p.start && o < p.start+p.n {
			p.anyOutdated = p.anyOutdated || rev != p.updRev
			inRange = append(inRange, slotPod{o - p.start, pod, rev, canonical && podNameLabel == pod.Name, false})
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

	// Put the in-range pods in slot order: as they are if they come so
	// (one pod per slot, ascending), by bucket when the range is not much
	// larger than the pod list, by sorting otherwise.
	ordered := true
	for k := 1; k < len(inRange) && ordered; k++ {
		ordered = inRange[k-1].slot < inRange[k].slot
	}
	if ordered {
		p.present = inRange
	} else if p.n <= 4*int64(len(inRange))+4096 {
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
				p.present = append(p.present, sp)
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
			p.present = append(p.present, sp)
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

// markTaken records a pod the set does not manage whose name is one the
// set would create: creating it fails with AlreadyExists.
func (p *planner) markTaken(pod *Pod) {
	if parent, ord := ParseOrdinal(pod.Name); parent != p.set.Name || ord < 0 || !canonicalSuffix(pod.Name) {
		return
	}
	if p.taken == nil {
		p.taken = make(map[string]bool)
	}
	p.taken[pod.Name] = true
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

// available is IsPodAvailable as the controller calls it: Ready (whatever
// the phase) for longer than minReadySeconds.
func (p *planner) available(pod *Pod) bool {
	if !pod.Ready {
		return false
	}
	return p.minReady == 0 || (!pod.ReadySince.IsZero() && pod.ReadySince.Add(p.minReady).Before(p.now))
}

// unavailable is the controller's isUnavailable, used for the first
// unhealthy pod and by the rolling update: not available, or terminating.
// A missing pod (nil) is unavailable.
func (p *planner) unavailable(pod *Pod) bool { return pod == nil || !p.available(pod) || pod.Deleting }

func revisionOf(pod *Pod) string { return pod.Labels[RevisionLabel] }

// revisionForSlot is the revision a missing pod is created at.
func (p *planner) revisionForSlot(slot int64) string {
	if slot < p.keepCurrent {
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
	if p.v137 {
		// From 1.37 the status written keeps the set's conditions; before,
		// it has none.
		st.Conditions = append([]Condition(nil), p.set.Status.Conditions...)
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
		sp := &p.present[i]
		count(sp.pod, sp.rev)
		sp.unavail = p.unavailable(sp.pod)
	}
	for _, pod := range p.condemned {
		count(pod, revisionOf(pod))
	}
	// A set being deleted reports the status of every pod it claimed;
	// otherwise the controller counts its slots and condemned pods only.
	if p.deleting {
		for _, pod := range p.unindexed {
			count(pod, revisionOf(pod))
		}
	}
	p.res.Status = st
	p.res.RequeueAt = requeue
	if p.v135 {
		p.res.RequeueAt = p.nextAvailabilityCheck()
	}
}

// nextAvailabilityCheck is when the 1.35 controller looks again
// (FindMinNextPodAvailabilityCheck): while some ready replica is not yet
// available, the first instant a claimed pod (in range, condemned or
// without a usable ordinal, whatever its phase) with a Ready condition
// becomes available; zero if none will.
func (p *planner) nextAvailabilityCheck() time.Time {
	st := &p.res.Status
	if p.minReady == 0 || st.ReadyReplicas == st.AvailableReplicas {
		return time.Time{}
	}
	var next time.Time
	check := func(pod *Pod) {
		if !pod.Ready || pod.ReadySince.IsZero() {
			return
		}
		if at := pod.ReadySince.Add(p.minReady); at.After(p.now) && (next.IsZero() || at.Before(next)) {
			next = at
		}
	}
	for i := range p.present {
		check(p.present[i].pod)
	}
	for _, pod := range p.condemned {
		check(pod)
	}
	for _, pod := range p.unindexed {
		check(pod)
	}
	if next.IsZero() {
		return next
	}
	// Available once strictly past the deadline.
	return next.Add(time.Nanosecond)
}

// finishStatus completes a finished update and compares the status with
// the one last written.
func (p *planner) finishStatus() {
	st := &p.res.Status
	// completeRollingUpdate (completeUpdate from 1.37): before 1.37 only a
	// RollingUpdate strategy (empty is its default here) completes, so
	// OnDelete and types it does not know never do; from 1.37 every
	// strategy does.
	t := p.set.Spec.UpdateStrategy.Type
	if (p.v137 || t == RollingUpdate || t == "") && st.UpdatedReplicas == st.ReadyReplicas && st.ReadyReplicas == st.Replicas &&
		int64(st.Replicas) == p.n {
		st.CurrentRevision = st.UpdateRevision
		st.CurrentReplicas = st.UpdatedReplicas
		if p.recreate && conditionIndex(st.Conditions, ConditionProgressing) >= 0 {
			p.setProgressing("False", "RecreateCompleted", "All pods recreated successfully")
		}
	}
	if p.noStatusWrite {
		// updateStatefulSetStatus scales maxUnavailable before it writes.
		p.failed = true
		p.block(ReasonInvalidMaxUnavailable, nil, -1, "maxUnavailable "+p.set.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable.String()+
			" is neither an integer nor a percentage; the status write fails")
		return
	}
	old := &p.set.Status
	p.res.StatusChanged = st.ObservedGeneration > old.ObservedGeneration || st.Replicas != old.Replicas ||
		st.CurrentReplicas != old.CurrentReplicas || st.ReadyReplicas != old.ReadyReplicas ||
		st.UpdatedReplicas != old.UpdatedReplicas || st.AvailableReplicas != old.AvailableReplicas ||
		st.CurrentRevision != old.CurrentRevision || st.UpdateRevision != old.UpdateRevision ||
		p.v137 && !sameConditions(st.Conditions, old.Conditions)
}

func conditionIndex(cs []Condition, t string) int {
	for i := range cs {
		if cs[i].Type == t {
			return i
		}
	}
	return -1
}

// setProgressing is setProgressingCondition: a new condition gets the
// pass's time; an existing one keeps its transition time unless its
// status changes.
func (p *planner) setProgressing(status, reason, msg string) {
	st := &p.res.Status
	i := conditionIndex(st.Conditions, ConditionProgressing)
	if i < 0 {
		st.Conditions = append(st.Conditions, Condition{Type: ConditionProgressing, Status: status, Reason: reason, Message: msg,
			LastTransitionTime: p.now})
		return
	}
	c := st.Conditions[i] // the pass's own copy (computeStatus)
	if c.Status == status && c.Reason == reason && c.Message == msg {
		return
	}
	if c.Status != status {
		c.LastTransitionTime = p.now
	}
	c.Status, c.Reason, c.Message = status, reason, msg
	st.Conditions[i] = c
}

// sameConditions is reflect.DeepEqual on the two lists as the controller
// compares them (a nil list differs from an empty one), times compared as
// instants.
func sameConditions(a, b []Condition) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Type != y.Type || x.Status != y.Status || x.Reason != y.Reason || x.Message != y.Message ||
			!x.LastTransitionTime.Equal(y.LastTransitionTime) {
			return false
		}
	}
	return true
}

// recreateOld is recreateDeleteAndWait: every created pod, in range or
// condemned, not at the update revision is deleted (all at once), and
// until all of them are gone nothing is created. It reports whether the
// pass goes on.
func (p *planner) recreateOld() bool {
	old, waiting := 0, ""
	del := func(pod *Pod, rev string) {
		if pod.Phase == "" || rev == p.updRev {
			return
		}
		old++
		if waiting == "" {
			waiting = pod.Name
		}
		if pod.Deleting {
			return
		}
		_, o := ParseOrdinal(pod.Name)
		p.act(Action{Type: DeletePod, Reason: ReasonRecreate, Ordinal: o, Pod: pod.Name, Revision: rev,
			Message: "deleting pod " + pod.Name + " at revision " + rev + ": the Recreate update removes every old pod before creating " + p.updRev})
	}
	for _, sp := range p.present {
		del(sp.pod, sp.rev)
	}
	for _, pod := range p.condemned {
		del(pod, revisionOf(pod))
	}
	if old > 0 {
		p.setProgressing("True", "RecreateInProgress", "Deleting old revision pods")
		p.block(ReasonRecreateWaiting, nil, -1, strconv.Itoa(old)+" pods not at revision "+p.updRev+
			" are being deleted (first: "+waiting+"); the Recreate update creates pods once all are gone")
		return false
	}
	if p.curRev != p.updRev {
		p.setProgressing("True", "RecreateInProgress", "Waiting for new-revision pods to be created")
	}
	return true
}

// findFirstUnavailable finds the lowest unavailable slot (a missing pod
// counts), else the lowest-ordinal unavailable condemned pod.
func (p *planner) findFirstUnavailable() {
	next := int64(0)
	for _, sp := range p.present {
		if sp.slot > next {
			p.badSlot = next
			return
		}
		if sp.unavail {
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
		if p.unavailable(p.condemned[i]) {
			p.firstBad = p.condemned[i]
			return
		}
	}
}
