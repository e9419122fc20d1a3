package job

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/purectl/purectl/internal/field"
	"github.com/purectl/purectl/internal/indexset"
)

// Per-pass caps of the Job controller.
const (
	// MaxCreateDeletePerPass caps pod creations, and deletions for
	// scaling down, in one pass.
	MaxCreateDeletePerPass = 500
	// MaxUncountedPerPass caps how many finished pods one pass counts.
	MaxUncountedPerPass = 500
)

// JobProgress runs one Job controller pass: given the Job, its status so far,
// the pods it owns and the current time, it returns the pods to create and
// delete, the finalizers to remove, the new status with its conditions, the
// events, whether the TTL has expired, and when to ask again. It returns a
// *FieldErrors aggregate only where the controller itself cannot act (an
// Indexed Job without completions, a negative parallelism without
// completions); whatever else validation rejects is listed in
// Result.Warnings and the pass decides as the controller does.
//
// The result is applied directly: pods whose finalizer is removed are
// already added to Status's counters (the two-step
// uncountedTerminatedPods protocol is folded into one pass). Output lists
// are in a fixed order and do not depend on the order of pods.
func JobProgress(job Job, status Status, pods []Pod, now time.Time, opts Options) (Result, error) {
	if err := field.CheckRelease(opts.Release); err != nil {
		return Result{}, err
	}
	rel := opts.Release
	if rel.Enabled(WorkloadWithJob) {
		// Not a fallback: with this alpha gate the controller creates
		// Workload and PodGroup objects that purectl does not model.
		return Result{}, field.ErrorList{field.Forbidden(field.NewPath("release", "featureGates").Key(string(WorkloadWithJob)),
			"JobProgress does not model the Workload and PodGroup objects the Job controller creates with this gate on")}.ToAggregate()
	}
	spec := defaults(job.Spec)
	warnings := validate(job, spec, rel)
	st := cloneStatus(status)
	if job.WritesUnobserved && rel.Enabled(StaleControllerConsistencyJob) {
		// syncJob returns before reading the Job (EnsureReady of the
		// consistency store) and is retried by the rate limiter. The
		// TTL-after-finished controller is not held back.
		res := Result{Status: st, Warnings: warnings, Skipped: ReasonStaleCache}
		applyTTL(&res, job, spec, now)
		return res, nil
	}
	if errs := refused(spec); len(errs) > 0 {
		return Result{Warnings: warnings}, errs.ToAggregate()
	}
	if spec.ManagedBy != "" && spec.ManagedBy != ControllerName && rel.Enabled(JobManagedBy) {
		// Another controller owns this Job: nothing to do, not even status
		// (managedByExternalController; with the gate off it is ignored).
		return Result{Status: st, Warnings: warnings, Skipped: ReasonManagedByOther}, nil
	}
	if finishedCondition(st.Conditions) != nil {
		// A finished Job is frozen; only the TTL clock still runs. The
		// back-off record is forgotten.
		st.Backoff = BackoffRecord{}
		res := Result{Status: st, Warnings: warnings}
		applyTTL(&res, job, spec, now)
		return res, nil
	}
	if spec.CompletionMode != NonIndexed && spec.CompletionMode != Indexed {
		// syncJob skips such a Job with a warning event.
		return Result{Status: st, Warnings: warnings, Events: []Event{{EventWarning, ReasonUnknownCompletionMode,
			"Skipped Job sync because completion mode is unknown"}}}, nil
	}
	p := &pass{job: job, rel: rel, spec: spec, n: normalize(spec, rel), st: st, in: status, now: now, deleting: !job.DeletionTimestamp.IsZero(),
		failedCreates: opts.FailedCreates}
	s := scratchPool.Get().(*scratch)
	p.scratch = s
	defer func() {
		// Nothing of the pass's own lists reaches the result, so they may
		// serve the next pass. They hold no pod: views name pods by
		// position, and byIndex points only into views.
		s.views, s.byIndex = p.views[:0], p.byIndex[:0]
		scratchPool.Put(s)
	}()
	p.run(pods)
	p.res.Warnings = warnings
	if job.UpstreamQuirks && (!status.StartTime.IsZero() || len(status.Conditions) > 0) {
		// syncJob writes the status only when something it tracks
		// changed; a start time computed on a pass without a write stays
		// in its memory and is lost. It stores the back-off record only
		// with its first write, the one before finalizers are removed.
		// (A status with neither a start time nor a condition may never
		// have been written, and syncJob always writes a status it has
		// never written: its ready and terminating counts are unset.)
		if !statusChanged(status, p.res.Status) {
			p.res.Status.StartTime = status.StartTime
		}
		if !p.firstWrite {
			p.res.Status.Backoff = status.Backoff
		}
	}
	applyTTL(&p.res, job, spec, now)
	return p.res, nil
}

// statusChanged says whether syncJob would write the status: a condition,
// counter, index list or uncounted list differs (the start time and the
// back-off record alone do not make it write).
func statusChanged(a, b Status) bool {
	if a.Active != b.Active || a.Ready != b.Ready || a.Terminating != b.Terminating ||
		a.Succeeded != b.Succeeded || a.Failed != b.Failed || a.CompletedIndexes != b.CompletedIndexes ||
		!a.CompletionTime.Equal(b.CompletionTime) || (a.FailedIndexes == nil) != (b.FailedIndexes == nil) ||
		(a.FailedIndexes != nil && *a.FailedIndexes != *b.FailedIndexes) ||
		!slices.Equal(a.UncountedTerminatedPods.Succeeded, b.UncountedTerminatedPods.Succeeded) ||
		!slices.Equal(a.UncountedTerminatedPods.Failed, b.UncountedTerminatedPods.Failed) {
		return true
	}
	return !slices.EqualFunc(a.Conditions, b.Conditions, func(x, y Condition) bool {
		return x.Type == y.Type && x.Status == y.Status && x.Reason == y.Reason && x.Message == y.Message &&
			x.LastProbeTime.Equal(y.LastProbeTime) && x.LastTransitionTime.Equal(y.LastTransitionTime)
	})
}

// refused lists what syncJob cannot act on at all (it would dereference an
// unset completions or slice past its pod list): an Indexed Job without
// completions, and a negative parallelism without completions. Everything
// else validation rejects is only a warning.
func refused(s Spec) field.ErrorList {
	var errs field.ErrorList
	sp := field.NewPath("spec")
	if s.Completions == nil {
		if s.CompletionMode == Indexed {
			errs = append(errs, field.Required(sp.Child("completions"), "when completion mode is Indexed"))
		}
		if *s.Parallelism < 0 {
			errs = append(errs, field.Invalid(sp.Child("parallelism"), *s.Parallelism, "must be greater than or equal to 0"))
		}
	}
	return errs
}

// missingFinalizers warns about running pods without TrackingFinalizer: the
// controller removes it only from pods it counts or deletes, so such a pod
// was created without it and its completion would go uncounted, pass after
// pass, without a word.
func (p *pass) missingFinalizers(pods []Pod) {
	if p.deleting || p.job.OperationsPending {
		return
	}
	var names []string
	n := 0
	// Read from the views (running: active; lacking it: not tracked), so
	// that the pods themselves are visited once a pass.
	for i := range p.views {
		if v := &p.views[i]; !v.active || v.tracked {
			continue
		}
		n++
		// The three first by name, whatever the order of pods.
		name := pods[i].Name
		at, _ := slices.BinarySearch(names, name)
		if at < 3 {
			names = slices.Insert(names, at, name)
			names = names[:min(len(names), 3)]
		}
	}
	if n == 0 {
		return
	}
	list := strings.Join(names, ", ")
	if n > len(names) {
		list += fmt.Sprintf(" and %d more", n-len(names))
	}
	p.res.Events = append(p.res.Events, Event{EventWarning, ReasonTrackingFinalizerMissing, fmt.Sprintf(
		"%d running pod(s) lack the %s finalizer (%s): their completion will not be counted; create pods with PodCreation.Finalizers",
		n, TrackingFinalizer, list)})
}

func cloneStatus(s Status) Status {
	out := s
	out.Conditions = slices.Clone(s.Conditions)
	if s.FailedIndexes != nil {
		out.FailedIndexes = ptr(*s.FailedIndexes)
	}
	out.UncountedTerminatedPods = UncountedTerminatedPods{
		Succeeded: slices.Clone(s.UncountedTerminatedPods.Succeeded),
		Failed:    slices.Clone(s.UncountedTerminatedPods.Failed),
	}
	return out
}

// finishing is the terminal decision of a pass.
type finishing struct {
	success  bool
	reason   Reason
	message  string
	existing bool // the interim condition is already in the status
}

type pass struct {
	job      Job
	rel      Release
	spec     Spec
	n        normalized
	st       Status
	now      time.Time
	deleting bool
	res      Result
	name     string // namespace/name, for messages

	views   []podView    // in input order
	pfps    []pfpVerdict // the pod failure policy's verdicts, see podView.pfp
	pods    []Pod        // as the caller gave them; views[i] is of pods[i]
	scratch *scratch
	byIndex []*podView
	uncSucc map[string]bool
	uncFail map[string]bool

	active, ready, terminating int64
	succeeded, failed          int64
	newSucc, newFail           []*podView

	prevSucceededIdx indexset.Set
	succeededIdx     indexset.Set
	failedIdx        indexset.Set
	activeIdx        indexset.Set
	delayed          []*podView // BLPI: last failed pod per index, by index

	finish          *finishing
	failedCreates   []int // Options.FailedCreates
	backoff         BackoffRecord
	in              Status // the status passed in
	suspendChanged  bool
	firstWrite      bool // syncJob would write before removing finalizers
	deadlinePending bool
	requeue         time.Time
}

func (p *pass) run(pods []Pod) {
	p.classify(pods)
	p.missingFinalizers(pods) // the pass's first event, if any
	p.count()
	if p.st.StartTime.IsZero() && !p.spec.Suspend {
		p.st.StartTime = p.now
	}
	p.backoff = updateBackoff(p.pods, p.st.Backoff, p.newSucc, p.newFail)
	p.evaluate()

	if p.finish != nil {
		p.deleteActive()
		if p.job.OperationsPending {
			// Pods not yet observed may still change the picture; the
			// next pass declares the end.
			p.finish = nil
		}
	} else {
		managed := false
		if !p.deleting && !p.job.OperationsPending {
			p.manage()
			p.failCreates()
			managed = true
		}
		var complete bool
		if p.n.hasCompletions {
			complete = p.succeeded >= int64(p.n.completions) && p.active == 0
		} else {
			complete = p.succeeded > 0 && p.active == 0
		}
		if complete {
			p.finish = &finishing{success: true, reason: ReasonCompletionsReached,
				message: "Reached expected number of succeeded pods"}
		} else if managed {
			p.suspendCondition()
		}
	}
	p.st.Active = clamp32(p.active)
	p.st.Ready = clamp32(p.ready)
	p.st.Terminating = clamp32(p.terminating)
	p.track()
	p.st.Backoff = p.backoff
	if p.finish == nil && p.deadlinePending {
		p.wakeAt(p.st.StartTime.Add(seconds(p.n.deadline)))
	}
	p.res.Status = p.st
	p.res.RequeueAt = p.requeue
}

func clamp32(v int64) int32 {
	return int32(max(0, min(v, math.MaxInt32)))
}

// seconds converts without overflowing: absurd values saturate.
func seconds(s int64) time.Duration {
	if s > int64(math.MaxInt64/time.Second) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(s) * time.Second
}

func (p *pass) wakeAt(t time.Time) {
	if p.requeue.IsZero() || t.Before(p.requeue) {
		p.requeue = t
	}
}

func (p *pass) classify(pods []Pod) {
	// Views stay in input order; wherever the controller's pod-list order
	// matters, the pass orders the few pods concerned by listOrder, so the
	// result never depends on the order of pods.
	p.pods = pods
	p.views = slices.Grow(p.scratch.views[:0], len(pods))[:len(pods)]
	for i := range pods {
		p.views[i] = p.n.view(&pods[i], int32(i))
	}
	if u := p.st.UncountedTerminatedPods; len(u.Succeeded)+len(u.Failed) > 0 {
		p.uncSucc = make(map[string]bool, len(u.Succeeded))
		for _, uid := range u.Succeeded {
			p.uncSucc[uid] = true
		}
		p.uncFail = make(map[string]bool, len(u.Failed))
		for _, uid := range u.Failed {
			p.uncFail[uid] = true
		}
	}
}

// scratch is the memory of a pass's per-pod lists, reused by later passes
// (in any goroutine) through scratchPool: a pass over 10,000 pods would
// otherwise allocate and clear 400 KB that it drops at once. No result
// ever refers to it, and every list is rebuilt from the pass's input
// before it is read, so what an earlier pass left there cannot change a
// result.
type scratch struct {
	views   []podView
	byIndex []*podView
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// pod is the pod a view is of.
func (p *pass) pod(v *podView) *Pod { return &p.pods[v.at] }

func (p *pass) policy(v *podView) (PodFailurePolicyAction, bool, string) {
	if v.pfp == 0 {
		var r pfpVerdict
		r.action, r.counts, r.message = matchPolicy(p.n.pfp, p.job.Namespace, p.pod(v))
		p.pfps = append(p.pfps, r)
		v.pfp = int32(len(p.pfps))
	}
	r := &p.pfps[v.pfp-1]
	return r.action, r.counts, r.message
}

// count takes the counters: pods by state, and the finished
// pods not yet counted.
func (p *pass) count() {
	for i := range p.views {
		v := &p.views[i]
		if v.active {
			p.active++
			if v.ready {
				p.ready++
			}
		}
		if v.terminating {
			p.terminating++
		}
		if !v.tracked || !v.valid {
			continue
		}
		if v.succeeded && (p.uncSucc == nil || !p.uncSucc[p.pod(v).UID]) {
			p.newSucc = append(p.newSucc, v)
		}
		if v.failed && (p.uncFail == nil || !p.uncFail[p.pod(v).UID]) {
			p.newFail = append(p.newFail, v)
		}
	}
	u := p.st.UncountedTerminatedPods
	p.succeeded = int64(p.st.Succeeded) + int64(len(p.newSucc)) + int64(len(u.Succeeded))
	counted := 0
	for _, v := range p.newFail {
		if _, c, _ := p.policy(v); c {
			counted++
		}
	}
	p.failed = int64(p.st.Failed) + int64(counted) + int64(len(u.Failed))
}

// evaluate looks for a reason to finish.
func (p *pass) evaluate() {
	conds := p.st.Conditions
	if c := findCondition(conds, ConditionSuccessCriteriaMet); c != nil && c.Status == ConditionTrue {
		p.finish = &finishing{success: true, reason: c.Reason, message: c.Message, existing: true}
	} else if c := findCondition(conds, ConditionFailureTarget); c != nil && c.Status == ConditionTrue {
		p.finish = &finishing{reason: c.Reason, message: c.Message, existing: true}
	} else if p.n.pfp != nil {
		// The first pod in list order that matches a FailJob rule.
		var first *podView
		for i := range p.views {
			v := &p.views[i]
			if !v.failed || (first != nil && listOrder(p.pod(v), p.pod(first)) >= 0) {
				continue
			}
			if a, _, _ := p.policy(v); a == ActionFailJob {
				first = v
			}
		}
		if first != nil {
			_, _, msg := p.policy(first)
			p.finish = &finishing{reason: ReasonPodFailurePolicy, message: msg}
		}
	}
	if p.finish == nil {
		switch {
		case p.failed > int64(p.n.backoffLimit) || p.restartsPastLimit():
			p.finish = &finishing{reason: ReasonBackoffLimitExceeded, message: "Job has reached the specified backoff limit"}
		case p.pastDeadline():
			p.finish = &finishing{reason: ReasonDeadlineExceeded, message: "Job was active longer than specified deadline"}
		case p.n.hasDeadline && !p.spec.Suspend:
			p.deadlinePending = true
		}
	}
	if !p.n.indexed {
		return
	}
	p.indexes()
	if p.n.hasBLPI {
		if p.finish == nil {
			failed := p.failedIdx.Count()
			if p.n.hasMaxFailed && failed > int(p.n.maxFailed) {
				p.finish = &finishing{reason: ReasonMaxFailedIndexesExceeded,
					message: "Job has exceeded the specified maximal number of failed indexes"}
			} else if failed > 0 && failed+p.succeededIdx.Count() >= int(p.n.completions) {
				p.finish = &finishing{reason: ReasonFailedIndexes, message: "Job has failed indexes"}
			}
		}
		p.findDelayed()
	}
	if p.finish == nil {
		if msg, ok := p.successPolicyMet(); ok {
			p.finish = &finishing{success: true, reason: ReasonSuccessPolicy, message: msg}
		}
	}
}

// restartsPastLimit is the OnFailure test: container restarts of running
// and pending pods stand for failures the kubelet retried in place.
func (p *pass) restartsPastLimit() bool {
	if p.n.restart != RestartOnFailure {
		return false
	}
	var sum int64
	for i := range p.views {
		pod := &p.pods[i]
		if pod.Phase != PodRunning && pod.Phase != PodPending {
			continue
		}
		for _, c := range pod.InitContainerStatuses {
			sum += int64(c.RestartCount)
		}
		for _, c := range pod.ContainerStatuses {
			sum += int64(c.RestartCount)
		}
	}
	if p.n.backoffLimit == 0 {
		return sum > 0
	}
	return sum >= int64(p.n.backoffLimit)
}

func (p *pass) pastDeadline() bool {
	if !p.n.hasDeadline || p.st.StartTime.IsZero() || p.spec.Suspend {
		return false
	}
	return p.now.Sub(p.st.StartTime) >= seconds(p.n.deadline)
}

// indexes computes the succeeded, active and (BLPI) failed index sets.
func (p *pass) indexes() {
	c := int(p.n.completions)
	p.byIndex = slices.Grow(p.scratch.byIndex[:0], len(p.views))
	for i := range p.views {
		if p.views[i].index != noIndex {
			p.byIndex = append(p.byIndex, &p.views[i])
		}
	}
	// Within an index the list order is kept. Pods usually arrive in index
	// order already, and checking is far cheaper than moving pointers.
	byIndexOrder := func(a, b *podView) int {
		if a.index != b.index {
			return cmp.Compare(a.index, b.index)
		}
		return listOrder(p.pod(a), p.pod(b))
	}
	if !slices.IsSortedFunc(p.byIndex, byIndexOrder) {
		slices.SortFunc(p.byIndex, byIndexOrder)
	}

	// byIndex is in index order, so each set is built as runs, without a
	// list of its indexes.
	var succ, failed, act runs
	for _, v := range p.byIndex {
		if v.active {
			act.add(v.index)
		}
		if !v.tracked || !v.valid {
			continue
		}
		if v.succeeded {
			succ.add(v.index)
		}
		if p.n.hasBLPI && v.failed {
			a, counts, _ := p.policy(v)
			if a == ActionFailIndex || (counts && annotationCount(p.pod(v).Annotations, AnnotationIndexFailureCount) >= int64(p.n.blpi)) {
				failed.add(v.index)
			}
		}
	}
	p.prevSucceededIdx = indexset.ParseLenient(p.st.CompletedIndexes, c)
	p.succeededIdx = p.prevSucceededIdx.Union(succ.set())
	p.succeeded = int64(p.succeededIdx.Count())
	p.activeIdx = act.set()
	if p.n.hasBLPI {
		var prev indexset.Set
		if p.st.FailedIndexes != nil {
			prev = indexset.ParseLenient(*p.st.FailedIndexes, c)
		}
		p.failedIdx = prev.Union(failed.set())
	}
}

// runs gathers ascending indexes (repeats allowed) as intervals.
type runs struct{ ivs []indexset.Interval }

func (r *runs) add(x int) {
	if n := len(r.ivs); n > 0 && x <= r.ivs[n-1].Last+1 {
		r.ivs[n-1].Last = max(r.ivs[n-1].Last, x)
		return
	}
	if r.ivs == nil {
		r.ivs = make([]indexset.Interval, 0, 16)
	}
	r.ivs = append(r.ivs, indexset.Interval{First: x, Last: x})
}

func (r *runs) set() indexset.Set {
	if len(r.ivs) == 0 {
		return indexset.Set{}
	}
	return indexset.FromIntervals(r.ivs...)
}

// fromSorted builds a set from ascending indexes without sorting again.
func fromSorted(xs []int) indexset.Set {
	var r runs
	for _, x := range xs {
		r.add(x)
	}
	return r.set()
}

func absoluteFailures(pods []Pod, v *podView) int64 {
	ann := pods[v.at].Annotations
	return annotationCount(ann, AnnotationIndexFailureCount) + annotationCount(ann, AnnotationIndexIgnoredFailureCount)
}

// findDelayed picks, for every index still to run that has no active pod,
// the last failed pod: it keeps its finalizer until the replacement exists,
// so that its failure counts can be carried over.
func (p *pass) findDelayed() {
	var cand *podView
	flush := func() {
		if cand != nil {
			cand.delayed = true
			p.delayed = append(p.delayed, cand)
			cand = nil
		}
	}
	for _, v := range p.byIndex {
		if cand != nil && cand.index != v.index {
			flush()
		}
		if !v.failed || !v.tracked || !v.valid || p.succeededIdx.Contains(v.index) ||
			p.failedIdx.Contains(v.index) || p.activeIdx.Contains(v.index) {
			continue
		}
		if cand == nil || (absoluteFailures(p.pods, v) >= absoluteFailures(p.pods, cand) && !finishTime(p.pod(v)).Before(finishTime(p.pod(cand)))) {
			cand = v
		}
	}
	flush()
}

func (p *pass) delayedFor(index int) *podView {
	i, ok := slices.BinarySearchFunc(p.delayed, index, func(v *podView, x int) int { return cmp.Compare(v.index, x) })
	if !ok {
		return nil
	}
	return p.delayed[i]
}

func (p *pass) successPolicyMet() (string, bool) {
	sp := p.n.sp
	if sp == nil || p.succeededIdx.IsEmpty() {
		return "", false
	}
	for i, r := range sp.Rules {
		if r.SucceededIndexes != nil {
			want := indexset.ParseLenient(*r.SucceededIndexes, int(p.n.completions))
			if want.IsEmpty() {
				continue
			}
			// Every listed index, or succeededCount of them, succeeded
			// (matchSucceededIndexesRule): a count above the list's
			// length, which validation rejects, is met by the whole list.
			have := want.Intersect(p.succeededIdx).Count()
			if have == want.Count() || (r.SucceededCount != nil && have >= int(*r.SucceededCount)) {
				return fmt.Sprintf("Matched rules at index %d", i), true
			}
		} else if r.SucceededCount != nil && int64(p.succeededIdx.Count()) >= int64(*r.SucceededCount) {
			return fmt.Sprintf("Matched rules at index %d", i), true
		}
	}
	return "", false
}

func (p *pass) jobName() string {
	if p.name == "" {
		p.name = jobRef(p.job)
	}
	return p.name
}

// deleteActive stops every active pod of a finishing Job. The
// finalizers stay so that the pods are counted below.
func (p *pass) deleteActive() {
	act := p.activeViews()
	slices.SortFunc(act, p.deletionCmp)
	for _, v := range act {
		p.res.Delete = append(p.res.Delete, PodDeletion{Name: p.pod(v).Name, UID: p.pod(v).UID, Reason: ReasonJobFinishing,
			Message: fmt.Sprintf("Job %s is finishing (%s): stop pod %s", p.jobName(), p.finish.reason, p.pod(v).Name)})
		p.deleted(v)
	}
}

func (p *pass) deletionCmp(a, b *podView) int {
	if lessForDeletion(p.pods, a, b) {
		return -1
	}
	if lessForDeletion(p.pods, b, a) {
		return 1
	}
	return 0
}

func (p *pass) activeViews() []*podView {
	out := make([]*podView, 0, p.active)
	for i := range p.views {
		if p.views[i].active {
			out = append(out, &p.views[i])
		}
	}
	return out
}

func (p *pass) deleted(v *podView) {
	p.active--
	p.terminating++
	if v.ready {
		p.ready--
	}
}

type removal struct {
	v      *podView
	reason Reason
}

// removals lists active pods to delete: for Indexed jobs every pod without a
// valid index and all but the most advanced pod of each index, then, until
// at least rmAtLeast are listed, the least useful of the others.
func (p *pass) removals(rmAtLeast int) []removal {
	var act []*podView
	var rm []removal
	if p.n.indexed && rmAtLeast <= 0 && p.indexedClean() {
		return nil // the common pass: no pod to stop, nothing to list
	}
	if p.n.indexed {
		// Active pods by index, those without an index first; byIndex is
		// already sorted, so only pods sharing an index need ordering.
		act = make([]*podView, 0, p.active)
		for i := range p.views {
			if v := &p.views[i]; v.active && v.index == noIndex {
				act = append(act, v)
			}
		}
		for _, v := range p.byIndex {
			if v.active {
				act = append(act, v)
			}
		}
		for i := 0; i < len(act); {
			j := i + 1
			for j < len(act) && act[j].index == act[i].index {
				j++
			}
			if j-i > 1 { // pods without an index form the first group
				slices.SortFunc(act[i:j], p.deletionCmp)
			}
			i = j
		}
	} else {
		act = p.activeViews()
	}
	left := act
	if p.n.indexed {
		left = make([]*podView, 0, len(act))
		c := int(p.n.completions)
		for i := 0; i < len(act); {
			j := i + 1
			for j < len(act) && act[j].index == act[i].index {
				j++
			}
			switch ix := act[i].index; {
			case ix == noIndex || ix >= c:
				for _, v := range act[i:j] {
					rm = append(rm, removal{v, ReasonInvalidIndex})
				}
			default:
				for _, v := range act[i : j-1] {
					rm = append(rm, removal{v, ReasonDuplicateIndex})
				}
				left = append(left, act[j-1])
			}
			i = j
		}
	}
	if len(rm) < rmAtLeast {
		slices.SortFunc(left, p.deletionCmp)
		for _, v := range left[:min(len(left), rmAtLeast-len(rm))] {
			rm = append(rm, removal{v, ReasonTooManyActive})
		}
	}
	return rm
}

// indexedClean reports that every active pod has a valid completion index
// of its own, so that removals has nothing to list unless asked for more.
func (p *pass) indexedClean() bool {
	c, prev, n := int(p.n.completions), noIndex, int64(0)
	for _, v := range p.byIndex {
		if !v.active {
			continue
		}
		if v.index >= c || v.index == prev {
			return false
		}
		prev = v.index
		n++
	}
	return n == p.active // else some active pod has no index
}

// manage decides how many pods to create or delete (manageJob).
func (p *pass) manage() {
	name := p.jobName()
	if p.spec.Suspend {
		for _, r := range p.removals(int(p.active)) {
			p.res.Delete = append(p.res.Delete, PodDeletion{Name: p.pod(r.v).Name, UID: p.pod(r.v).UID, RemoveFinalizer: true,
				Reason: ReasonJobSuspendedPods, Message: fmt.Sprintf("Job %s is suspended: stop pod %s", name, p.pod(r.v).Name)})
			r.v.released = true
			p.deleted(r.v)
		}
		return
	}
	var want int64
	if !p.n.hasCompletions {
		want = int64(p.n.parallelism)
		if p.succeeded > 0 {
			want = p.active
		}
	} else {
		want = max(0, min(int64(p.n.completions)-p.succeeded, int64(p.n.parallelism)))
	}
	rm := p.removals(int(max(0, p.active-want)))
	if len(rm) > MaxCreateDeletePerPass {
		rm = rm[:MaxCreateDeletePerPass]
	}
	for _, r := range rm {
		var msg string
		switch r.reason {
		case ReasonInvalidIndex:
			msg = fmt.Sprintf("Job %s: pod %s has no valid completion index", name, p.pod(r.v).Name)
		case ReasonDuplicateIndex:
			msg = fmt.Sprintf("Job %s: pod %s duplicates completion index %d", name, p.pod(r.v).Name, r.v.index)
		default:
			msg = fmt.Sprintf("Job %s wants %d active pods, has %d: stop pod %s", name, want, p.active, p.pod(r.v).Name)
		}
		p.res.Delete = append(p.res.Delete, PodDeletion{Name: p.pod(r.v).Name, UID: p.pod(r.v).UID, RemoveFinalizer: true, Reason: r.reason, Message: msg})
		r.v.released = true
	}
	for _, r := range rm {
		p.deleted(r.v)
	}
	if len(rm) > 0 {
		return // never delete and create in one pass
	}
	var term int64
	if p.n.onlyReplaceFail {
		term = p.terminating
	}
	diff := want - term - p.active
	if diff <= 0 {
		return
	}
	if !p.n.hasBLPI {
		if rem := remainingBackoff(int64(p.backoff.FailuresAfterLastSuccess), p.backoff.LastFailureTime, p.now); rem > 0 {
			p.wakeAt(p.now.Add(rem))
			if p.job.UpstreamQuirks && !p.rel.AtLeast("1.36") {
				// Before 1.36 manageJob reports no active pods on a
				// backed-off pass.
				p.active = 0
			}
			return
		}
	}
	diff = min(diff, MaxCreateDeletePerPass)
	if !p.n.indexed {
		a := newCreations(int(diff), int(diff)*(len("Job  wants  active pods, has ")+len(name)+40))
		p.res.Create = slices.Grow(p.res.Create, int(diff))
		gen := generateName(p.job.Name, "")
		for k := int64(0); k < diff; k++ {
			a.start()
			a.add("Job ", name, " wants ")
			a.int(want)
			a.add(" active pods, has ")
			a.int(p.active + k)
			p.res.Create = append(p.res.Create, PodCreation{Index: noIndex, GenerateName: gen,
				Finalizers: a.finalizers(), Owner: p.owner(),
				Reason: ReasonStartPods, Message: a.end()})
		}
		p.active += diff
		return
	}
	idx := p.pendingIndexes(int(diff))
	if p.n.hasBLPI {
		var ready []int
		var wait time.Duration
		for _, ix := range idx {
			if d := p.delayedFor(ix); d != nil {
				k := absoluteFailures(p.pods, d) + 1
				if rem := remainingBackoff(k, finishTime(p.pod(d)), p.now); rem > 0 {
					if wait == 0 || rem < wait {
						wait = rem
					}
					continue
				}
			}
			ready = append(ready, ix)
		}
		if len(ready) == 0 && wait > 0 {
			p.wakeAt(p.now.Add(wait))
			if p.job.UpstreamQuirks && !p.rel.AtLeast("1.36") {
				p.active = 0 // as above
			}
			return
		}
		idx = ready
	}
	name = p.jobName()
	// Per creation: its message, and "<job>-<index>-" (the generate name,
	// whose head is the hostname unless the job name had to be cut).
	a := newCreations(len(idx), len(idx)*(2*len(name)+len("Job : start pod for index ")+2*20+2))
	p.res.Create = slices.Grow(p.res.Create, len(idx))
	for _, ix := range idx {
		p.res.Create = append(p.res.Create, p.indexedPod(ix, name, &a))
	}
	p.active += int64(len(idx))
}

// creations hands out the strings and one-element slices of a pass's pod
// creations from shared blocks: a pass may create hundreds of pods, and
// one allocation per block instead of several per pod is most of the cost
// of making them. Each string is cut from bytes never written again, and
// each slice is capped at its length, so a caller appending to one pod's
// finalizers or env reallocates instead of touching its neighbour's.
type creations struct {
	buf  []byte
	mark int
	fin  []string
	env  []EnvVar // made on first use: NonIndexed pods carry no env
	n    int
}

func newCreations(n, bytes int) creations {
	return creations{buf: make([]byte, 0, bytes), fin: make([]string, n), n: n}
}

// start begins a string; add and int extend it; end returns it.
func (a *creations) start() { a.mark = len(a.buf) }

func (a *creations) add(parts ...string) {
	for _, s := range parts {
		a.reserve(len(s))
		a.buf = append(a.buf, s...)
	}
}

func (a *creations) int(v int64) {
	a.reserve(20)
	a.buf = strconv.AppendInt(a.buf, v, 10)
}

// reserve moves the string begun at mark to a fresh block when n more
// bytes would not fit, so that append never copies strings already handed
// out (they keep the old block).
func (a *creations) reserve(n int) {
	if len(a.buf)+n <= cap(a.buf) {
		return
	}
	head := a.buf[a.mark:]
	nb := make([]byte, 0, max(2*cap(a.buf), len(head)+n+64))
	a.buf = append(nb, head...)
	a.mark = 0
}

func (a *creations) end() string {
	if len(a.buf) == a.mark {
		return ""
	}
	return unsafe.String(&a.buf[a.mark], len(a.buf)-a.mark)
}

// finalizers is a fresh []string{TrackingFinalizer}.
func (a *creations) finalizers() []string {
	if len(a.fin) == 0 {
		return []string{TrackingFinalizer}
	}
	f := a.fin[:1:1]
	a.fin = a.fin[1:]
	f[0] = TrackingFinalizer
	return f
}

// indexEnv is a fresh JOB_COMPLETION_INDEX variable list.
func (a *creations) indexEnv() []EnvVar {
	e := EnvVar{Name: CompletionIndexEnv, FieldPath: CompletionIndexFieldPath}
	if a.env == nil {
		a.env = make([]EnvVar, 0, a.n)
	}
	if len(a.env) == cap(a.env) {
		return []EnvVar{e}
	}
	a.env = append(a.env, e)
	return a.env[len(a.env)-1 : len(a.env) : len(a.env)]
}

// pendingIndexes returns the lowest count indexes below completions that
// are not succeeded, running, failed or (when only failed pods are
// replaced) still terminating.
func (p *pass) pendingIndexes(count int) []int {
	busy := p.succeededIdx.Union(p.activeIdx)
	if p.n.onlyReplaceFail {
		var term []int
		for _, v := range p.byIndex {
			if v.terminating {
				term = append(term, v.index)
			}
		}
		busy = busy.Union(fromSorted(term))
	}
	busy = busy.Union(p.failedIdx)
	return busy.Complement(int(p.n.completions)).First(count)
}

func (p *pass) indexedPod(ix int, name string, a *creations) PodCreation {
	a.start()
	a.add("Job ", name, ": start pod for index ")
	a.int(int64(ix))
	msg := a.end()
	ixs := msg[strings.LastIndexByte(msg, ' ')+1:]
	ann := map[string]string{AnnotationCompletionIndex: ixs}
	if p.n.hasBLPI {
		var fails, ignored int64
		if d := p.delayedFor(ix); d != nil {
			fails = annotationCount(p.pod(d).Annotations, AnnotationIndexFailureCount)
			ignored = annotationCount(p.pod(d).Annotations, AnnotationIndexIgnoredFailureCount)
			if _, counts, _ := p.policy(d); counts {
				fails++
			} else {
				ignored++
			}
			msg = fmt.Sprintf("Job %s: replace failed pod %s of index %d", name, p.pod(d).Name, ix)
		}
		ann[AnnotationIndexFailureCount] = strconv.FormatInt(fails, 10)
		if ignored > 0 {
			ann[AnnotationIndexIgnoredFailureCount] = strconv.FormatInt(ignored, 10)
		}
	}
	a.start()
	a.add(p.job.Name, "-", ixs, "-")
	whole := a.end()
	gen, host := whole, whole[:len(whole)-1]
	if len(whole) > maxGenerateName {
		gen = generateName(p.job.Name, ixs)
	}
	return PodCreation{Index: ix, GenerateName: gen, Hostname: host,
		Labels: map[string]string{AnnotationCompletionIndex: ixs}, Annotations: ann,
		Finalizers: a.finalizers(), Owner: p.owner(),
		Env:    a.indexEnv(),
		Reason: ReasonStartPods, Message: msg}
}

// owner is the controller reference every created pod carries
// (metav1.NewControllerRef).
func (p *pass) owner() OwnerReference {
	return OwnerReference{APIVersion: "batch/v1", Kind: "Job", Name: p.job.Name, UID: p.job.UID, Controller: true, BlockOwnerDeletion: true}
}

// maxGenerateName is the longest generateName the API server keeps whole.
const maxGenerateName = 58

// generateName is the name prefix the API server ends up with. For an
// index the controller cuts the job name so that "-<index>-" survives the
// API server's 58-character cut (podGenerateNameWithIndex); without one the
// pod control asks for "<job>-" and the name generator cuts that prefix
// itself, dash included.
func generateName(job, index string) string {
	const maxPrefix = maxGenerateName
	if index == "" {
		prefix := job + "-"
		return prefix[:min(len(prefix), maxPrefix)]
	}
	suffix := "-" + index + "-"
	if len(job)+len(suffix) > maxPrefix {
		job = job[:max(0, maxPrefix-len(suffix))]
	}
	return job + suffix
}

func (p *pass) suspendCondition() {
	if p.spec.Suspend {
		var changed bool
		p.st.Conditions, changed = ensureCondition(p.st.Conditions, ConditionSuspended, ConditionTrue, ReasonJobSuspended, "Job suspended", p.now)
		if changed {
			p.suspendChanged = true
			p.res.Events = append(p.res.Events, Event{EventNormal, ReasonSuspendedEvent, "Job suspended"})
			if p.rel.Enabled(MutableSchedulingDirectivesForSuspendedJobs) {
				// From 1.36 (1.35 with the gate on) suspending clears the
				// start time, so that the suspended Job counts as not
				// started and its scheduling directives may change.
				p.st.StartTime = time.Time{}
			}
		}
		return
	}
	var changed bool
	p.st.Conditions, changed = ensureCondition(p.st.Conditions, ConditionSuspended, ConditionFalse, ReasonJobResumed, "Job resumed", p.now)
	if changed {
		p.suspendChanged = true
		p.res.Events = append(p.res.Events, Event{EventNormal, ReasonResumedEvent, "Job resumed"})
		// activeDeadlineSeconds counts continuous running time.
		p.st.StartTime = p.now
	}
}

// canRemove says whether a tracked pod's finalizer goes this pass.
func (p *pass) canRemove(v *podView) bool {
	if p.deleting || p.finish != nil || v.succeeded {
		return true
	}
	return v.failed && !v.delayed
}

// track counts finished pods, removes their finalizers and writes the
// counters and conditions (trackJobStatusAndRemoveFinalizers).
func (p *pass) track() {
	u := p.st.UncountedTerminatedPods
	// Uncounted pods whose finalizer is already gone are counted first
	// (cleanUncountedPodsWithoutFinalizers); the others count against the
	// per-pass cap until their finalizer goes.
	var stillTracked map[string]bool
	pending := 0
	if len(u.Succeeded)+len(u.Failed) > 0 {
		stillTracked = map[string]bool{}
		for i := range p.views {
			if v := &p.views[i]; v.tracked && !v.released && (p.uncSucc[p.pod(v).UID] || p.uncFail[p.pod(v).UID]) {
				stillTracked[p.pod(v).UID] = true
			}
		}
		for _, l := range [][]string{u.Succeeded, u.Failed} {
			for _, uid := range l {
				if stillTracked[uid] {
					pending++
				}
			}
		}
	}
	failing := p.finish != nil && !p.finish.success
	var newSucc, newFail, newIdx int
	var newSuccUIDs, newFailUIDs []string // recorded as uncounted before the removals
	capped := false
	var todo []*podView
	for i := range p.views {
		if v := &p.views[i]; v.tracked && !v.released && p.canRemove(v) {
			todo = append(todo, v)
		}
	}
	if len(todo)+pending >= MaxUncountedPerPass {
		// The cap may bite: count in list order, oldest first.
		sortByListOrder(p.pods, todo)
	}
	for _, v := range todo {
		uid := p.pod(v).UID
		counted := CountedNone
		if v.succeeded && !p.uncFail[uid] {
			switch {
			case p.n.indexed:
				if v.valid && !p.prevSucceededIdx.Contains(v.index) {
					newIdx++
					counted = CountedSucceeded
				}
			case p.uncSucc[uid]:
				counted = CountedSucceeded
			default:
				newSucc++
				counted = CountedSucceeded
				newSuccUIDs = append(newSuccUIDs, uid)
			}
		} else if v.failed || failing {
			switch {
			case p.uncFail[uid]:
				counted = CountedFailed
			case v.valid:
				if _, c, _ := p.policy(v); c {
					newFail++
					counted = CountedFailed
					newFailUIDs = append(newFailUIDs, uid)
				} else {
					counted = CountedIgnored
				}
			}
		}
		p.res.RemoveFinalizers = append(p.res.RemoveFinalizers, FinalizerRemoval{Name: p.pod(v).Name, UID: uid, CountedAs: counted,
			Reason: p.removalReason(v), Message: "Job " + p.jobName() + ": pod " + p.pod(v).Name + " counted as " + string(counted)})
		if newIdx+newSucc+newFail+pending >= MaxUncountedPerPass {
			capped = true
			break
		}
	}
	p.res.RemoveFinalizers = sortRemovals(p.res.RemoveFinalizers)
	// Of the uncounted pods, those whose finalizer is still on; the others
	// are counted now (cleanUncountedPodsWithoutFinalizers).
	still := func(l []string, also func(string) bool) []string {
		var out []string
		for _, uid := range l {
			if stillTracked[uid] && also(uid) {
				out = append(out, uid)
			}
		}
		return out
	}
	every := func(string) bool { return true }
	stillS, stillF := still(u.Succeeded, every), still(u.Failed, every)
	// An uncounted pod that keeps its finalizer this pass (a failed pod
	// whose index waits for its replacement, or one past the cap) stays
	// uncounted.
	var keepS, keepF []string
	if pending > 0 {
		removed := make(map[string]bool, len(p.res.RemoveFinalizers))
		for _, r := range p.res.RemoveFinalizers {
			removed[r.UID] = true
		}
		kept := func(uid string) bool { return !removed[uid] }
		keepS, keepF = still(stillS, kept), still(stillF, kept)
	}
	// What syncJob writes before it removes finalizers: the uncounted pods
	// whose finalizer is already gone counted, this pass's finished pods
	// added to the uncounted lists (flushUncountedAndRemoveFinalizers).
	flushFailed := clamp32(int64(p.st.Failed) + int64(len(u.Failed)-len(stillF)))
	flushSucceeded := clamp32(int64(p.st.Succeeded) + int64(len(u.Succeeded)-len(stillS)))
	// The new ones in UID order: syncJob lists them in its informer's order.
	slices.Sort(newSuccUIDs)
	slices.Sort(newFailUIDs)
	flushUncounted := UncountedTerminatedPods{Succeeded: append(stillS, newSuccUIDs...), Failed: append(stillF, newFailUIDs...)}
	// snapshot keeps that status once the pass's other fields (counts,
	// index lists, an interim condition) are in place, when syncJob writes
	// one before removals.
	snapshot := func() {
		if !p.firstWrite || len(p.res.RemoveFinalizers) == 0 {
			return
		}
		fs := cloneStatus(p.st)
		fs.Failed, fs.UncountedTerminatedPods = flushFailed, flushUncounted
		if !p.n.indexed {
			fs.Succeeded = flushSucceeded
		}
		fs.Backoff = p.backoff // stored with this first write
		p.res.StatusBeforeRemovals = &fs
	}
	p.st.Failed = clamp32(int64(p.st.Failed) + int64(len(u.Failed)-len(keepF)) + int64(newFail))
	if p.n.indexed {
		p.st.Succeeded = clamp32(int64(p.succeededIdx.Count()))
		p.st.CompletedIndexes = p.succeededIdx.String()
		if p.n.hasBLPI {
			p.st.FailedIndexes = ptr(p.failedIdx.String())
		}
	} else {
		p.st.Succeeded = clamp32(int64(p.st.Succeeded) + int64(len(u.Succeeded)-len(keepS)) + int64(newSucc))
	}
	p.st.UncountedTerminatedPods = UncountedTerminatedPods{Succeeded: keepS, Failed: keepF}
	p.firstWrite = newIdx+newSucc+newFail > 0 || p.suspendChanged || p.st.Active != p.in.Active || p.st.Ready != p.in.Ready ||
		p.st.Terminating != p.in.Terminating || p.st.CompletedIndexes != p.in.CompletedIndexes ||
		(p.st.FailedIndexes == nil) != (p.in.FailedIndexes == nil) ||
		(p.st.FailedIndexes != nil && *p.st.FailedIndexes != *p.in.FailedIndexes) || p.uncountedGone()
	if p.finish == nil {
		snapshot()
		return
	}
	f := p.finish
	if !f.existing {
		p.firstWrite = true
		if f.success {
			if c := findCondition(p.st.Conditions, ConditionSuccessCriteriaMet); c == nil || c.Status != ConditionTrue {
				p.st.Conditions = append(p.st.Conditions, newCondition(ConditionSuccessCriteriaMet, f.reason, f.message, p.now))
			}
		} else {
			p.st.Conditions = append(p.st.Conditions, newCondition(ConditionFailureTarget, f.reason, f.message, p.now))
		}
	}
	snapshot()
	if capped || p.terminating > 0 || len(keepS)+len(keepF) > 0 {
		return // the final condition waits until every pod is gone and counted
	}
	if f.success {
		p.st.Conditions, _ = ensureCondition(p.st.Conditions, ConditionComplete, ConditionTrue, f.reason, f.message, p.now)
		p.st.CompletionTime = p.now
		if p.n.hasCompletions && int64(p.st.Succeeded) > int64(p.n.completions) {
			p.res.Events = append(p.res.Events, Event{EventWarning, ReasonTooManySucceededPods,
				"Too many succeeded pods running after completion count reached"})
		}
		p.res.Events = append(p.res.Events, Event{EventNormal, ReasonCompleted, "Job completed"})
	} else {
		p.st.Conditions, _ = ensureCondition(p.st.Conditions, ConditionFailed, ConditionTrue, f.reason, f.message, p.now)
		p.res.Events = append(p.res.Events, Event{EventWarning, f.reason, f.message})
	}
	// The record is kept on the pass that finishes the Job and forgotten
	// on the next one, as syncJob does (removeBackoffRecord runs when it
	// sees a finished Job).
}

// uncountedGone says whether a pod listed as uncounted no longer carries
// the finalizer (or is gone): syncJob then counts it before anything else.
func (p *pass) uncountedGone() bool {
	if len(p.uncSucc)+len(p.uncFail) == 0 {
		return false
	}
	tracked := 0
	for i := range p.views {
		if v := &p.views[i]; v.tracked && (p.uncSucc[p.pod(v).UID] || p.uncFail[p.pod(v).UID]) {
			tracked++
		}
	}
	return tracked < len(p.uncSucc)+len(p.uncFail)
}

func (p *pass) removalReason(v *podView) Reason {
	switch {
	case p.deleting:
		return ReasonJobDeleting
	case p.finish != nil && !terminal(p.pod(v).Phase):
		return ReasonJobFinishing
	}
	return ReasonPodFinished
}

func newCondition(t ConditionType, reason Reason, msg string, now time.Time) Condition {
	return Condition{Type: t, Status: ConditionTrue, LastProbeTime: now, LastTransitionTime: now, Reason: reason, Message: msg}
}

func findCondition(conds []Condition, t ConditionType) *Condition {
	for i := range conds {
		if conds[i].Type == t {
			return &conds[i]
		}
	}
	return nil
}

// ensureCondition sets a condition: an existing one of that type is
// replaced when status, reason or message differ; a missing one is added
// unless the wanted status is False.
func ensureCondition(conds []Condition, t ConditionType, s ConditionStatus, reason Reason, msg string, now time.Time) ([]Condition, bool) {
	if c := findCondition(conds, t); c != nil {
		if c.Status != s || c.Reason != reason || c.Message != msg {
			*c = Condition{Type: t, Status: s, LastProbeTime: now, LastTransitionTime: now, Reason: reason, Message: msg}
			return conds, true
		}
		return conds, false
	}
	if s == ConditionFalse {
		return conds, false
	}
	return append(conds, Condition{Type: t, Status: s, LastProbeTime: now, LastTransitionTime: now, Reason: reason, Message: msg}), true
}

// finishedCondition returns the first Complete or Failed condition that is
// True, or nil.
func finishedCondition(conds []Condition) *Condition {
	for i := range conds {
		if c := &conds[i]; (c.Type == ConditionComplete || c.Type == ConditionFailed) && c.Status == ConditionTrue {
			return c
		}
	}
	return nil
}

// applyTTL plays the TTL-after-finished controller on the result's status.
func applyTTL(res *Result, job Job, spec Spec, now time.Time) {
	if spec.TTLSecondsAfterFinished == nil || !job.DeletionTimestamp.IsZero() {
		return
	}
	c := finishedCondition(res.Status.Conditions)
	if c == nil || c.LastTransitionTime.IsZero() {
		return
	}
	expire := c.LastTransitionTime.Add(seconds(int64(*spec.TTLSecondsAfterFinished)))
	if !now.Before(expire) {
		res.DeleteJob = &JobDeletion{Reason: ReasonTTLExpired, Message: fmt.Sprintf(
			"Job %s finished at %s and its ttlSecondsAfterFinished of %ds has passed",
			jobRef(job), c.LastTransitionTime.UTC().Format(time.RFC3339), *spec.TTLSecondsAfterFinished)}
		return
	}
	if res.RequeueAt.IsZero() || expire.Before(res.RequeueAt) {
		res.RequeueAt = expire
	}
}

func jobRef(job Job) string {
	if job.Namespace == "" {
		return job.Name
	}
	return job.Namespace + "/" + job.Name
}
