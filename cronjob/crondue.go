package cronjob

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/purectl/purectl/internal/field"
	"github.com/robfig/cron/v3"
)

// nextScheduleDelta is the margin Kubernetes adds to the next run when it
// asks to be woken, so the pass runs just after the run is due.
const nextScheduleDelta = 100 * time.Millisecond

// tooManyMissed is the missed-run count above which Kubernetes warns.
const tooManyMissed = 100

// estimateWalkLimit caps Kubernetes' final walk with Next in the estimate.
// Upstream the walk is short except when the elapsed time overflows a
// time.Duration (windows over 292 years), where it would run for hours; we
// stop and take the exact answer instead.
const estimateWalkLimit = 1000

// CronDue returns what one CronJob controller pass decides at now, given
// the CronJob and the Jobs it controls: the history clean-up, the status
// bookkeeping (finished, unexpected and vanished Jobs, lastSuccessfulTime),
// whether a run is due and which one, the concurrency policy's effect, the
// Job to create, the events, the new status and when to run again. It
// follows the syncCronJob of the release in Options.Release (the newest
// supported one by default); Options add the exact catch-up and the DST
// policy.
//
// Where validation and the controller differ, CronDue follows the
// controller: it decides on any CronJob the controller could observe (an
// unparseable schedule, an empty concurrencyPolicy, a legacy TZ prefix)
// and lists what Validate would reject in Result.Warnings. It errors only
// where the controller itself cannot go on: a negative history limit,
// on which Kubernetes' clean-up indexes past its list of Jobs, and on 1.34
// a schedule robfig/cron panics on ("TZ=UTC"), which crashes that
// release's controller; and for a release it cannot follow.
func CronDue(cj CronJob, jobs []Job, now time.Time, opts Options) (Result, error) {
	if err := checkRelease(opts.Release); err != nil {
		return Result{}, err
	}
	if errs := negativeLimits(cj.Spec); len(errs) > 0 {
		return Result{}, errs.ToAggregate()
	}
	// The schedule as written is parsed once, for the warnings and the pass.
	parsed, parseErr := parseStandard(cj.Spec.Schedule)
	parse := func(string) (cron.Schedule, error) { return parsed, parseErr }
	// What Validate (an update that changes nothing) rejects.
	rel := minorOf(opts.Release)
	warn := updatedGeneration(cj, cj, rel)
	warn = append(warn, validateLabelsAnnotations(cj, rel)...)
	res := Result{Warnings: append(warn, validateSpec(cj.Spec, &cj.Spec, parse)...)}
	if len(res.Warnings) == 0 {
		res.Warnings = nil
	}
	st := copyStatus(cj.Status)

	// The Jobs in name order; the caller's slice is only read, and copied
	// only when it is not in that order already.
	js := jobs
	if !jobsSorted(js) {
		js = slices.Clone(jobs)
		slices.SortStableFunc(js, compareJobs)
	}

	cleanupHistory(cj, js, opts.FailedDeletes, &st, &res)
	st = syncJobs(cj, js, st, opts, &res)
	if err := schedulePass(cj, js, now, opts, rel, parsed, parseErr, &st, &res); err != nil {
		return Result{}, err
	}

	res.Status = st
	res.StatusChanged = !statusEqual(st, cj.Status)
	return res, nil
}

// compareJobs orders Jobs by name, then UID.
func compareJobs(a, b Job) int { return compareJobRefs(&a, &b) }

// jobsSorted is slices.IsSortedFunc(js, compareJobs) without copying the
// Jobs into each comparison.
func jobsSorted(js []Job) bool {
	for i := 1; i < len(js); i++ {
		if compareJobRefs(&js[i-1], &js[i]) > 0 {
			return false
		}
	}
	return true
}

func compareJobRefs(a, b *Job) int {
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return strings.Compare(a.UID, b.UID)
}

// compareStart orders finished Jobs for the history clean-up as
// cleanupFinishedJobs does (byJobStartTime): by status.startTime, Jobs
// without one last, ties by name.
func compareStart(ja, jb *Job) int {
	sa, sb := ja.StartTime, jb.StartTime
	switch {
	case sa.IsZero() && sb.IsZero():
	case sa.IsZero():
		return 1
	case sb.IsZero():
		return -1
	case !sa.Equal(sb):
		return sa.Compare(sb)
	}
	return strings.Compare(ja.Name, jb.Name)
}

// cleanupHistory deletes the finished Jobs beyond the history limits,
// oldest start time first, as cleanupFinishedJobs does. A nil limit keeps
// every Job of its kind (the API always defaults both; see Default).
func cleanupHistory(cj CronJob, js []Job, refused map[string]error, st *Status, res *Result) {
	if cj.Spec.SuccessfulJobsHistoryLimit == nil && cj.Spec.FailedJobsHistoryLimit == nil {
		return
	}
	// Indexes into js, so the sort moves ints rather than Jobs; one array
	// holds both kinds (successful from the front, failed from the back).
	var small [32]int // most CronJobs keep a few Jobs: no allocation then
	var idx []int
	if len(js) > len(small) {
		idx = make([]int, len(js))
	} else {
		idx = small[:len(js)]
	}
	nOK, nFailed := 0, 0
	for i := range js {
		switch js[i].finished() {
		case JobComplete:
			idx[nOK] = i
			nOK++
		case JobFailed:
			nFailed++
			idx[len(idx)-nFailed] = i
		}
	}
	ok, failed := idx[:nOK], idx[len(idx)-nFailed:]
	slices.Reverse(failed) // back in name order, for the stable sort
	beyond := func(set []int, l *int32) int {
		if l == nil {
			return 0
		}
		return max(0, len(set)-int(*l))
	}
	total := beyond(ok, cj.Spec.SuccessfulJobsHistoryLimit) + beyond(failed, cj.Spec.FailedJobsHistoryLimit)
	if total == 0 {
		return
	}
	res.Deletions = slices.Grow(res.Deletions, total)
	// The deletions' events and the few a pass adds later.
	res.Events = slices.Grow(res.Events, total+4)

	// Oldest first, and only the ones beyond the limit.
	pick := func(set []int, l *int32) []int {
		if l == nil || len(set) <= int(*l) {
			return nil
		}
		// Jobs named after their runs are usually in start order already.
		if byStart := func(a, b int) int { return compareStart(&js[a], &js[b]) }; !slices.IsSortedFunc(set, byStart) {
			slices.SortStableFunc(set, byStart)
		}
		return set[:len(set)-int(*l)]
	}
	okGone, failedGone := pick(ok, cj.Spec.SuccessfulJobsHistoryLimit), pick(failed, cj.Spec.FailedJobsHistoryLimit)

	// A deletion's message names its kind and limit (its Job is in Name);
	// the events name the Jobs, as the controller's do. All of it is cut
	// from one string, built in one allocation.
	const (
		beyondText = " job beyond the CronJob's history limit of "
		deleted    = "Deleted job "
	)
	groups := [2]struct {
		set   []int
		kind  string
		limit *int32
	}{{okGone, "successful", cj.Spec.SuccessfulJobsHistoryLimit}, {failedGone, "failed", cj.Spec.FailedJobsHistoryLimit}}
	size := 0
	for _, g := range groups {
		if len(g.set) > 0 {
			size += len(g.kind) + len(beyondText) + 11
		}
		for _, i := range g.set {
			size += len(deleted) + len(js[i].Name)
		}
	}
	buf := make([]byte, 0, size)
	var reasonAt [2][2]int // each kind's message: start and end in buf
	for k, g := range groups {
		if len(g.set) == 0 {
			continue
		}
		reasonAt[k][0] = len(buf)
		buf = append(buf, g.kind...)
		buf = append(buf, beyondText...)
		buf = strconv.AppendInt(buf, int64(*g.limit), 10)
		reasonAt[k][1] = len(buf)
		for _, i := range g.set {
			buf = append(buf, deleted...)
			buf = append(buf, js[i].Name...)
		}
	}
	// buf is complete and never written again: the string shares its bytes,
	// as strings.Builder's String does.
	all := unsafe.String(unsafe.SliceData(buf), len(buf))
	emit := func(k int, set []int, reason Reason) {
		msg := all[reasonAt[k][0]:reasonAt[k][1]]
		at := reasonAt[k][1]
		for _, i := range set {
			j := &js[i]
			end := at + len(deleted) + len(j.Name)
			res.Deletions = append(res.Deletions, JobDeletion{
				Name: j.Name, Namespace: jobNamespace(j, cj.Namespace), UID: j.UID, Reason: reason, Message: msg,
			})
			if err := refused[j.Name]; err != nil {
				// A refused delete leaves the Job where it was (deleteJob).
				res.Events = append(res.Events, failedDeleteEvent(err))
				at = end
				continue
			}
			if len(st.Active) > 0 && hasUID(st.Active, j.UID) {
				st.Active = removeUID(st.Active, j.UID)
			}
			res.Events = append(res.Events, Event{EventNormal, ReasonSuccessfulDelete, all[at:end]})
			at = end
		}
	}
	emit(0, okGone, ReasonSuccessfulHistoryLimit)
	emit(1, failedGone, ReasonFailedHistoryLimit)
}

// syncJobs is the bookkeeping at the start of syncCronJob: unexpected,
// finished and vanished Jobs, lastSuccessfulTime.
func syncJobs(cj CronJob, js []Job, st Status, opts Options, res *Result) Status {
	for i := range js {
		j := &js[i]
		found := hasUID(st.Active, j.UID)
		fin := j.finished()
		if !found && fin == "" {
			if opts.FreshStatus != nil && hasUID(opts.FreshStatus.Active, j.UID) {
				st = copyStatus(*opts.FreshStatus)
				continue
			}
			res.Events = append(res.Events, Event{EventWarning, ReasonUnexpectedJob,
				"Saw a job that the controller did not create or forgot: " + j.Name})
		}
		if found && fin != "" {
			st.Active = removeUID(st.Active, j.UID)
			res.Events = append(res.Events, Event{EventNormal, ReasonSawCompletedJob,
				"Saw completed job: " + j.Name + ", condition: " + string(fin)})
		}
		if j.succeeded() {
			if st.LastSuccessfulTime.IsZero() || j.CompletionTime.After(st.LastSuccessfulTime) {
				if !j.CompletionTime.IsZero() {
					st.LastSuccessfulTime = j.CompletionTime
				}
			}
		}
	}
	// status.active is short; a set of the Jobs' UIDs only pays off when
	// it is not.
	var owned map[string]bool
	if len(st.Active) > 8 {
		owned = make(map[string]bool, len(js))
		for _, j := range js {
			owned[j.UID] = true
		}
	}
	isOwned := func(uid string) bool {
		if owned != nil {
			return owned[uid]
		}
		for i := range js {
			if js[i].UID == uid {
				return true
			}
		}
		return false
	}
	kept := st.Active[:0]
	for _, ref := range st.Active {
		if isOwned(ref.UID) || slices.Contains(opts.Existing, ref.UID) {
			kept = append(kept, ref)
			continue
		}
		res.Events = append(res.Events, Event{EventNormal, ReasonMissingJob, "Active job went missing: " + ref.Name})
	}
	st.Active = kept
	return st
}

// schedulePass decides the run and the wake-up, as the rest of
// syncCronJob and nextScheduleTimeDuration do. It errors only where the
// controller crashes.
func schedulePass(cj CronJob, js []Job, now time.Time, opts Options, rel minor, parsed cron.Schedule, parseErr error, st *Status, res *Result) error {
	name := cj.Name
	if !cj.DeletionTimestamp.IsZero() {
		res.Outcome, res.Message = ReasonDeleting, "CronJob "+name+" is being deleted"
		return nil
	}
	// The zone is loaded once per pass (Kubernetes loads it four times),
	// through the process's memo of loaded zones unless the caller brings
	// its own loader (Options.LoadLocation).
	var tzLoc *time.Location
	if tz := cj.Spec.TimeZone; tz != nil {
		load := opts.LoadLocation
		if load == nil {
			load = loadZone
		}
		loc, err := load(*tz)
		tzLoc = loc
		if err != nil {
			msg := fmt.Sprintf("invalid timeZone: %q: %s", *tz, err)
			res.Events = append(res.Events, Event{EventWarning, ReasonUnknownTimeZone, msg})
			res.Outcome, res.Message = ReasonUnknownTimeZone, msg
			return nil
		}
	}
	if cj.Spec.Suspend {
		res.Outcome, res.Message = ReasonSuspended, "CronJob "+name+" is suspended"
		return nil
	}
	text := cj.Spec.Schedule
	zone := opts.Zone
	var sched Schedule
	var err error
	if strings.Contains(text, "TZ") {
		res.Events = append(res.Events, Event{EventWarning, ReasonUnsupportedSchedule, fmt.Sprintf(
			"CRON_TZ or TZ used in schedule %q is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details", text)})
	} else if tzLoc != nil && tzLoc != time.Local {
		// Kubernetes prefixes "TZ=<timeZone> "; evaluating in the loaded
		// zone is the same schedule ("Local" leaves the times' own zone,
		// as robfig/cron does).
		zone = tzLoc
	}
	if crashesParser(text) && !rel.since(35) {
		// robfig/cron panics on this schedule; up to 1.34 the controller
		// does not recover and kube-controller-manager crashes.
		return field.ErrorList{field.Invalid(field.NewPath("spec", "schedule"), text,
			parseErr.Error()+" (the 1.34 controller crashes on this schedule; 1.35 reports UnparseableSchedule)")}.ToAggregate()
	}
	if parseErr == nil {
		sched, err = newSchedule(text, parsed, zone)
	} else {
		err = parseErr
	}
	if err != nil {
		msg := fmt.Sprintf("unparseable schedule: %q : %s", cj.Spec.Schedule, err)
		res.Events = append(res.Events, Event{EventWarning, ReasonUnparseableSchedule, msg})
		res.Outcome, res.Message = ReasonUnparseableSchedule, msg
		return nil
	}
	sched.DST = opts.DST
	exact := opts.Exact || opts.DST != DSTKubernetes

	earliest := cj.CreationTimestamp
	if !st.LastScheduleTime.IsZero() {
		earliest = st.LastScheduleTime
	}
	since := earliest
	if d := cj.Spec.StartingDeadlineSeconds; d != nil {
		if w := now.Add(-deadline(*d)); w.After(since) {
			since = w
		}
	}
	res.Runs.Since = since
	res.Runs.Due, res.Runs.Latest = sched.Runs(since, now)
	est, estErr := kubernetesEstimate(&sched, since, now)
	res.Runs.Estimated, res.Runs.EstimatedLatest = est.n, est.latest

	var scheduled time.Time
	var missed int64
	if exact {
		if sched.NeverFires() {
			estErr = errNoRuns
		}
		scheduled, missed = res.Runs.Latest, res.Runs.Due
	} else {
		scheduled, missed = est.latest, est.n
	}
	if estErr != nil {
		msg := fmt.Sprintf("invalid schedule: %s : %s", cj.Spec.Schedule, estErr)
		res.Events = append(res.Events, Event{EventWarning, ReasonInvalidSchedule, msg})
		res.Outcome, res.Message = ReasonInvalidSchedule, msg
		return nil
	}
	requeue := func() {
		res.RequeueAt = wakeUp(&sched, cj, *st, now, exact)
	}
	if scheduled.IsZero() {
		res.Outcome, res.Message = ReasonNotDue, "no run of CronJob "+name+" is due"
		requeue()
		return nil
	}
	if missed > tooManyMissed {
		res.Events = append(res.Events, Event{EventWarning, ReasonTooManyMissedTimes,
			"too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"})
	}
	if d := cj.Spec.StartingDeadlineSeconds; d != nil && scheduled.Add(deadline(*d)).Before(now) {
		msg := "Missed scheduled time to start a job: " + scheduled.UTC().Format(time.RFC1123Z)
		res.Events = append(res.Events, Event{EventWarning, ReasonMissSchedule, msg})
		res.Outcome, res.Message = ReasonMissSchedule, msg
		requeue()
		return nil
	}
	jobName := JobName(name, scheduled)
	ns := cj.Namespace
	if hasName(st.Active, jobName, ns) || st.LastScheduleTime.Equal(scheduled) {
		res.Outcome, res.Message = ReasonAlreadyStarted, "the run at "+stamp(scheduled)+" already has job "+jobName
		requeue()
		return nil
	}
	switch cj.Spec.ConcurrencyPolicy {
	case ForbidConcurrent:
		if len(st.Active) > 0 {
			res.Events = append(res.Events, Event{EventNormal, ReasonJobAlreadyActive,
				"Not starting job because prior execution is running and concurrency policy is Forbid"})
			res.Outcome, res.Message = ReasonJobAlreadyActive, "the run at "+stamp(scheduled)+" waits: "+st.Active[0].Name+" is still active and concurrencyPolicy is Forbid"
			requeue()
			return nil
		}
	case ReplaceConcurrent:
		// Each deletion drops its Job from status.active as it succeeds;
		// the first that fails ends the pass with what was done so far.
		refs := st.Active
		if opts.FailedDeletes != nil {
			refs = slices.Clone(st.Active)
		}
		for _, ref := range refs {
			res.Deletions = append(res.Deletions, JobDeletion{Name: ref.Name, Namespace: ref.Namespace, UID: ref.UID,
				Reason: ReasonReplaced, Message: "job " + ref.Name + " is replaced by the run at " + stamp(scheduled)})
			if err := opts.FailedDeletes[ref.Name]; err != nil {
				res.Events = append(res.Events, failedDeleteEvent(err))
				res.Outcome, res.Message = ReasonReplaceFailed, "job "+ref.Name+" could not be deleted to make way for the run at "+stamp(scheduled)+"; Kubernetes fails the pass and retries it with backoff"
				return nil
			}
			res.Events = append(res.Events, Event{EventNormal, ReasonSuccessfulDelete, "Deleted job " + ref.Name})
			if opts.FailedDeletes != nil {
				st.Active = removeUID(st.Active, ref.UID)
			}
		}
		st.Active = nil
	}

	// A Job with the planned name already exists. Kubernetes' create fails
	// with AlreadyExists and it then reads the existing Job back, but from
	// the request object, which carries no namespace (getJobFromTemplate2
	// sets none), so the read finds nothing and the pass fails: no Job, no
	// event, lastScheduleTime unchanged, the work queue's rate limit instead
	// of a requeue. What the pass did before (bookkeeping, Replace
	// deletions) still stands and its status is written.
	//
	// From 1.37 the read-back asks the CronJob's namespace and finds the
	// Job: one this CronJob controls that status.active lacks (a pass whose
	// status write was lost) is recorded there as if just created, without
	// the SuccessfulCreate event; any other Job (someone else's, or one
	// already active) ends the pass without an error, so without a retry.
	taken := slices.Contains(opts.AlreadyExists, jobName)
	var owned *Job
	for i := range js {
		if js[i].Name == jobName {
			taken, owned = true, &js[i]
		}
	}
	for i := range opts.AlreadyExistsJobs {
		if j := &opts.AlreadyExistsJobs[i]; j.Name == jobName && owned == nil {
			taken, owned = true, j
		}
	}
	if taken {
		if !rel.since(37) {
			res.Outcome, res.Message = ReasonNameTaken, "job "+jobName+" for the run at "+stamp(scheduled)+" already exists; Kubernetes fails the pass and retries it with backoff"
			return nil
		}
		if owned == nil || hasUID(st.Active, owned.UID) {
			res.Outcome, res.Message = ReasonNameTaken, "job "+jobName+" for the run at "+stamp(scheduled)+" already exists and is not one status.active lacks; the pass ends"
			return nil
		}
		st.Active = append(st.Active, ObjectReference{Name: owned.Name, Namespace: jobNamespace(owned, cj.Namespace), UID: owned.UID})
		st.LastScheduleTime = scheduled
		res.Outcome, res.Message = ReasonAdoptedExistingJob, "job "+jobName+" for the run at "+stamp(scheduled)+" already exists; it is recorded in status.active"
		requeue()
		return nil
	}

	var createdMsg string
	res.Create, createdMsg = newJob(&cj, jobName, scheduled, tzLoc)
	if err := opts.CreateFailed; err != nil {
		if !opts.NamespaceTerminating {
			res.Events = append(res.Events, Event{EventWarning, ReasonFailedCreate, "Error creating job: " + err.Error()})
		}
		res.Outcome, res.Message = ReasonCreateFailed, "job "+jobName+" for the run at "+stamp(scheduled)+" could not be created ("+err.Error()+"); Kubernetes fails the pass and retries it with backoff"
		return nil
	}
	res.Events = append(res.Events, Event{EventNormal, ReasonSuccessfulCreate, createdMsg})
	st.Active = append(st.Active, ObjectReference{Name: jobName, Namespace: ns})
	st.LastScheduleTime = scheduled
	res.Outcome, res.Message = ReasonRunStarted, res.Create.Message
	requeue()
	return nil
}

// failedDeleteEvent is the event deleteJob records when the API server
// refuses a Job's deletion.
func failedDeleteEvent(err error) Event {
	return Event{EventWarning, ReasonFailedDelete, "Deleted job: " + err.Error()}
}

// deadline converts startingDeadlineSeconds to a duration, saturating
// instead of overflowing.
func deadline(sec int64) time.Duration {
	if sec > int64(math.MaxInt64/time.Second) {
		return math.MaxInt64
	}
	return time.Duration(sec) * time.Second
}

var errNoRuns = errors.New("time difference between two schedules is less than 1 second")

// JobName is the name of the Job for a run: the CronJob's name and the
// scheduled time in minutes since the Unix epoch, so that a retried create
// collides instead of duplicating the run (getJobName).
func JobName(cronJobName string, scheduled time.Time) string {
	var b [64]byte
	return string(strconv.AppendInt(append(append(b[:0], cronJobName...), '-'), scheduled.Unix()/60, 10))
}

// newJob builds the Job for a run and the message of its creation event;
// loc is spec.timeZone loaded (nil when unset), in which the scheduled-time
// annotation is written.
func newJob(cj *CronJob, name string, scheduled time.Time, loc *time.Location) (job *JobCreation, createdEvent string) {
	lbl := maps.Clone(cj.Spec.JobTemplate.Labels)
	if lbl == nil {
		lbl = map[string]string{}
	}
	ann := make(map[string]string, len(cj.Spec.JobTemplate.Annotations)+1)
	for k, v := range cj.Spec.JobTemplate.Annotations {
		ann[k] = v
	}
	if loc == nil {
		loc = time.UTC
	}
	// The message and the annotation's timestamp share one buffer.
	const (
		start   = "start job "
		forRun  = " for the run of CronJob "
		at      = " at "
		created = "Created job "
	)
	buf := make([]byte, 0, len(start)+len(name)+len(forRun)+len(cj.Name)+len(at)+2*len(time.RFC3339)+12+len(created)+len(name))
	buf = append(buf, start...)
	buf = append(buf, name...)
	buf = append(buf, forRun...)
	buf = append(buf, cj.Name...)
	buf = append(buf, at...)
	buf = scheduled.AppendFormat(buf, time.RFC3339)
	msgEnd := len(buf)
	buf = scheduled.In(loc).AppendFormat(buf, time.RFC3339)
	annEnd := len(buf)
	buf = append(buf, created...)
	buf = append(buf, name...)
	// buf is complete and never written again (see cleanupHistory).
	all := unsafe.String(unsafe.SliceData(buf), len(buf))
	ann[ScheduledTimestampAnnotation] = all[msgEnd:annEnd]
	return &JobCreation{
		Name: name, Namespace: cj.Namespace, ScheduledTime: scheduled, Labels: lbl, Annotations: ann,
		Reason: ReasonRunStarted, Message: all[:msgEnd],
	}, all[annEnd:]
}

// estimate is Kubernetes' mostRecentScheduleTime result.
type estimate struct {
	latest time.Time // the run it picks, zero if none
	n      int64     // its missed-run count: 0 none due, 1 the first due, else the estimate
	// wake is robfig Next of the base nextScheduleTimeDuration then uses
	// (the run picked, or the window start when none was due), when the
	// estimate already computed it; zero otherwise.
	wake time.Time
}

// kubernetesEstimate reproduces Kubernetes' mostRecentScheduleTime:
// the first two runs after since give a period, the elapsed time divided by
// it gives the missed count, and Next is walked from one period before the
// estimated last run.
func kubernetesEstimate(s *Schedule, since, now time.Time) (estimate, error) {
	t1 := s.KubernetesNext(since)
	if now.Before(t1) {
		return estimate{wake: t1}, nil
	}
	t2 := s.KubernetesNext(t1)
	if now.Before(t2) {
		return estimate{latest: t1, n: 1, wake: t2}, nil
	}
	period := int64(t2.Sub(t1).Round(time.Second).Seconds())
	if period < 1 {
		return estimate{}, errNoRuns
	}
	n := int64(now.Sub(t1).Seconds())/period + 1
	var latest, wake time.Time
	from := t1.Add(time.Duration((n-2)*period) * time.Second)
	steps := 0
	t := s.KubernetesNext(from)
	for ; !t.IsZero() && !t.After(now); t = s.KubernetesNext(t) {
		latest = t
		if steps++; steps > estimateWalkLimit {
			_, latest = s.Runs(since, now)
			t = time.Time{}
			break
		}
	}
	if !latest.IsZero() {
		wake = t // the first run after the one picked: Next(latest)
	}
	return estimate{latest: latest, n: n, wake: wake}, nil
}

// wakeUp is when the next pass should run (nextScheduleTimeDuration), or zero when no run will
// ever come. Kubernetes measures from the run it would start (or the
// window start); the exact mode from now.
func wakeUp(s *Schedule, cj CronJob, st Status, now time.Time, exact bool) time.Time {
	var next time.Time
	earliest := cj.CreationTimestamp
	if !st.LastScheduleTime.IsZero() {
		earliest = st.LastScheduleTime
	}
	switch {
	case exact && s.every > 0:
		// An @every cadence is anchored at lastScheduleTime (or the
		// creation), as Kubernetes anchors its wake-up: the first run of
		// that sequence after now, not now plus the period.
		next = s.Next(earliest)
		if !next.After(now) {
			if _, last := s.Runs(earliest, now); !last.IsZero() {
				next = s.Next(last)
			}
		}
	case exact:
		// Nothing after now can start before the first run after
		// lastScheduleTime, which a skewed clock can put in the future.
		base := now
		if earliest.After(now) {
			base = earliest
		}
		next = s.Next(base)
	default:
		est, err := kubernetesEstimate(s, earliest, now)
		base := now
		switch {
		case err != nil:
		case !est.latest.IsZero():
			base = est.latest
		case est.n == 0:
			base = earliest
		}
		next = est.wake
		if err != nil || base.Equal(now) || next.IsZero() {
			next = s.KubernetesNext(base)
		}
	}
	if next.IsZero() {
		return time.Time{}
	}
	return next.Add(nextScheduleDelta)
}

func stamp(t time.Time) string { return t.Format(time.RFC3339) }

func jobNamespace(j *Job, cronJobNamespace string) string {
	if j.Namespace != "" {
		return j.Namespace
	}
	return cronJobNamespace
}

func (j *Job) succeeded() bool {
	for _, c := range j.Conditions {
		if c.Type == JobComplete && c.Status == ConditionTrue {
			return true
		}
	}
	return false
}

func hasUID(refs []ObjectReference, uid string) bool {
	for _, r := range refs {
		if r.UID == uid {
			return true
		}
	}
	return false
}

func hasName(refs []ObjectReference, name, ns string) bool {
	for _, r := range refs {
		if r.Name == name && r.Namespace == ns {
			return true
		}
	}
	return false
}

// removeUID drops the references to uid, in place: refs is always the
// pass's own copy of status.active.
func removeUID(refs []ObjectReference, uid string) []ObjectReference {
	return slices.DeleteFunc(refs, func(r ObjectReference) bool { return r.UID == uid })
}

func copyStatus(s Status) Status {
	c := s
	c.Active = append([]ObjectReference(nil), s.Active...)
	return c
}

func statusEqual(a, b Status) bool {
	if !a.LastScheduleTime.Equal(b.LastScheduleTime) || !a.LastSuccessfulTime.Equal(b.LastSuccessfulTime) || len(a.Active) != len(b.Active) {
		return false
	}
	for i := range a.Active {
		if a.Active[i] != b.Active[i] {
			return false
		}
	}
	return true
}
