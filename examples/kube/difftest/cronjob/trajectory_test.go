package cronjob

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	batchdefaults "k8s.io/kubernetes/pkg/apis/batch/v1"
	"k8s.io/utils/ptr"
	"pgregory.net/rapid"

	pure "github.com/purectl/purectl/cronjob"
	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
)

// schedules mixes regular schedules with the irregular ones the estimate
// gets wrong, descriptors, steps, wall times that daylight saving skips or
// repeats, and dates that never or rarely come.
var schedules = []string{
	"* * * * *",
	"*/5 * * * *",
	"*/7 * * * *",
	"0 * * * *",
	"15 */4 * * *",
	"5 6-16/4 * * 1-5",
	"30 10,11,12 * * 1-5",
	"0,30 9 * * 1-5",
	"0 0 13 * 5",
	"0 0 1,15 * *",
	"30 2 * * *",
	"30 1 * * *",
	"0,30 2 * * *",
	"0 3 * * 0",
	"59 23 31 12 *",
	"0 0 29 2 *",
	"0 0 30 2 *",
	"@hourly",
	"@daily",
	"@weekly",
	"@monthly",
	"@yearly",
	"@every 90m",
	"@every 45s",
	"@every 36h",
	// Seen by the controller, refused by validation: a legacy time-zone
	// prefix (UnsupportedSchedule), a weekday 7 (UnparseableSchedule).
	"TZ=Europe/London 0 9 * * *",
	"CRON_TZ=America/New_York 30 2 * * *",
	"0 0 * * 7",
}

// crashingSchedules are schedules robfig/cron v3.0.1 panics on: the 1.34
// controller crashes on them (CronDue then errors), so only the releases
// that recover the panic (1.35 on) draw them.
var crashingSchedules = []string{"TZ=UTC", "CRON_TZ=Europe/London"}

func drawSchedule(t *rapid.T, label string) string {
	list := schedules
	if testmain.Release().AtLeast("1.35") {
		list = append(append([]string(nil), schedules...), crashingSchedules...)
	}
	return rapid.SampledFrom(list).Draw(t, label)
}

// zones are spec.timeZone values: unset (the controller's zone, UTC here),
// whole-hour daylight saving on both hemispheres' rules, the half-hour
// shift of Lord Howe, and a zone without daylight saving.
var zones = []*string{nil, nil, nil, ptr.To("America/New_York"), ptr.To("Europe/London"), ptr.To("Australia/Lord_Howe"), ptr.To("America/New_York"), ptr.To("Europe/London"), ptr.To("Australia/Lord_Howe"), ptr.To("Asia/Kolkata"), ptr.To("UTC"),
	ptr.To("Mars/Olympus_Mons")} // not in the tz database: UnknownTimeZone

var deadlines = []*int64{nil, nil, ptr.To[int64](0), ptr.To[int64](10), ptr.To[int64](100), ptr.To[int64](200), ptr.To[int64](3600), ptr.To[int64](86400)}

var policies = []batchv1.ConcurrencyPolicy{batchv1.AllowConcurrent, batchv1.ForbidConcurrent, batchv1.ReplaceConcurrent}

// Times close to the daylight-saving changes of 2026 in the zones above, so
// that trajectories cross them often.
var starts = []time.Time{
	time.Date(2026, 3, 8, 6, 0, 0, 0, time.UTC),   // New York springs forward at 07:00 UTC
	time.Date(2026, 11, 1, 5, 0, 0, 0, time.UTC),  // New York falls back at 06:00 UTC
	time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC),  // London at 01:00 UTC
	time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC), // London at 01:00 UTC
	time.Date(2026, 4, 4, 14, 0, 0, 0, time.UTC),  // Lord Howe falls back at 15:00 UTC
	time.Date(2026, 10, 3, 15, 0, 0, 0, time.UTC), // Lord Howe springs forward at 15:30 UTC
	time.Date(2028, 2, 27, 0, 0, 0, 0, time.UTC),  // a leap day ahead
	time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC),
	time.Date(2026, 3, 6, 16, 0, 0, 0, time.UTC), // a Friday afternoon
}

// genCronJob returns a stored CronJob and when its trajectory starts.
func genCronJob(t *rapid.T) (*batchv1.CronJob, time.Time) {
	start := rapid.SampledFrom(starts).Draw(t, "start")
	start = start.Add(time.Duration(rapid.Int64Range(-3*3600, 3*3600).Draw(t, "startOffset")) * time.Second)
	cj := &batchv1.CronJob{
		TypeMeta: metav1.TypeMeta{Kind: "CronJob", APIVersion: "batch/v1"},
		ObjectMeta: metav1.ObjectMeta{Name: rapid.SampledFrom([]string{"report", "a", "nightly-backup-of-the-production-database-cluster"}).Draw(t, "name"),
			Namespace: "team", UID: "cj-uid", CreationTimestamp: metav1.NewTime(start)},
		Spec: batchv1.CronJobSpec{
			Schedule:                drawSchedule(t, "schedule"),
			TimeZone:                rapid.SampledFrom(zones).Draw(t, "timeZone"),
			StartingDeadlineSeconds: rapid.SampledFrom(deadlines).Draw(t, "deadline"),
			ConcurrencyPolicy:       rapid.SampledFrom(policies).Draw(t, "policy"),
			Suspend:                 ptr.To(rapid.IntRange(0, 9).Draw(t, "suspend") == 0),
			JobTemplate: batchv1.JobTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "report"}, Annotations: map[string]string{"team": "data"}},
				Spec: batchv1.JobSpec{Template: v1.PodTemplateSpec{Spec: v1.PodSpec{RestartPolicy: v1.RestartPolicyOnFailure,
					Containers: []v1.Container{{Name: "c", Image: "busybox"}}}}},
			},
		},
	}
	if rapid.Bool().Draw(t, "limits") {
		cj.Spec.SuccessfulJobsHistoryLimit = ptr.To(rapid.Int32Range(0, 3).Draw(t, "successfulLimit"))
		cj.Spec.FailedJobsHistoryLimit = ptr.To(rapid.Int32Range(0, 2).Draw(t, "failedLimit"))
	}
	if rapid.IntRange(0, 5).Draw(t, "lastScheduled") == 0 {
		// Created long before this trajectory and run since: a
		// lastScheduleTime up to 40 days back, or (a skewed clock) up to a
		// day ahead.
		cj.CreationTimestamp = metav1.NewTime(start.Add(-60 * 24 * time.Hour))
		last := start.Add(-time.Duration(rapid.Int64Range(-24*3600, 40*24*3600).Draw(t, "lastScheduleAgo")) * time.Second).Truncate(time.Minute)
		cj.Status.LastScheduleTime = ptr.To(metav1.NewTime(last))
	}
	batchdefaults.SetObjectDefaults_CronJob(cj)
	return cj, start
}

// ownedJob is a Job controlled by a CronJob named owner with the given UID.
func ownedJob(c *cluster, name, owner string, ownerUID types.UID) *batchv1.Job {
	return &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: c.cj.Namespace, UID: c.newUID(), CreationTimestamp: metav1.NewTime(c.now),
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(&metav1.ObjectMeta{Name: owner, UID: ownerUID},
				batchv1.SchemeGroupVersion.WithKind("CronJob"))}},
	}
}

func finished(j *batchv1.Job) bool {
	for _, c := range j.Status.Conditions {
		if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == v1.ConditionTrue {
			return true
		}
	}
	return false
}

// step draws what happens between two passes: time moves on (mostly to the
// requested wake-up, otherwise by seconds to days), Jobs start, finish or
// vanish, the informer lags, someone edits the spec or creates Jobs.
func step(t *rapid.T, c *cluster, requeue *time.Duration) {
	var d time.Duration
	switch k := rapid.IntRange(0, 9).Draw(t, "jump"); {
	case k < 4 && requeue != nil && *requeue > 0 && *requeue < 400*24*time.Hour:
		d = *requeue + time.Duration(rapid.IntRange(0, 3000).Draw(t, "late"))*time.Millisecond
	case k < 6:
		d = time.Duration(rapid.IntRange(1, 120).Draw(t, "seconds")) * time.Second
	case k < 8:
		d = time.Duration(rapid.IntRange(1, 240).Draw(t, "minutes")) * time.Minute
	case k < 9:
		d = time.Duration(rapid.IntRange(1, 72).Draw(t, "hours")) * time.Hour
	default:
		d = time.Duration(rapid.IntRange(1, 40).Draw(t, "days"))*24*time.Hour + time.Duration(rapid.IntRange(0, 86399).Draw(t, "daySeconds"))*time.Second
	}
	c.now = c.now.Add(d)

	c.hidden = map[types.UID]bool{}
	for _, j := range c.jobs {
		if finished(j) {
			continue
		}
		age := c.now.Sub(j.CreationTimestamp.Time)
		switch rapid.IntRange(0, 11).Draw(t, "jobEvent") {
		case 0, 1:
			if j.Status.StartTime == nil {
				j.Status.StartTime = ptr.To(metav1.NewTime(j.CreationTimestamp.Add(time.Duration(rapid.Int64Range(0, int64(age/time.Second)).Draw(t, "startAfter")) * time.Second)))
			}
		case 2, 3, 4:
			cond := batchv1.JobComplete
			if rapid.IntRange(0, 2).Draw(t, "failed") == 0 {
				cond = batchv1.JobFailed
			}
			if j.Status.StartTime == nil && rapid.IntRange(0, 4).Draw(t, "noStartTime") > 0 {
				j.Status.StartTime = ptr.To(j.CreationTimestamp)
			}
			j.Status.Conditions = append(j.Status.Conditions, batchv1.JobCondition{Type: cond, Status: v1.ConditionTrue})
			// Finished at some point after it started, never in the future.
			from := j.CreationTimestamp.Time
			if j.Status.StartTime != nil {
				from = j.Status.StartTime.Time
			}
			done := from.Add(time.Duration(rapid.Int64Range(0, max(0, int64(c.now.Sub(from)/time.Second))).Draw(t, "doneAfter")) * time.Second)
			if cond == batchv1.JobComplete {
				j.Status.CompletionTime = ptr.To(metav1.NewTime(done))
			}
		case 5:
			j.UID = "" // marked for removal below: deleted by someone else
		case 6:
			c.hidden[j.UID] = true
		}
	}
	kept := c.jobs[:0]
	for _, j := range c.jobs {
		if j.UID != "" {
			kept = append(kept, j)
		}
	}
	c.jobs = kept

	spec := &c.cj.Spec
	if *spec.Suspend && rapid.IntRange(0, 2).Draw(t, "resume") == 0 {
		spec.Suspend = ptr.To(false)
	}
	switch rapid.IntRange(0, 24).Draw(t, "specEvent") {
	case 0:
		if rapid.Bool().Draw(t, "suspending") {
			spec.Suspend = ptr.To(true)
		}
	case 8:
		if c.cj.DeletionTimestamp == nil && rapid.IntRange(0, 9).Draw(t, "deleting") == 0 {
			c.cj.DeletionTimestamp = ptr.To(metav1.NewTime(c.now))
		}
	case 1:
		spec.ConcurrencyPolicy = rapid.SampledFrom(policies).Draw(t, "newPolicy")
	case 2:
		spec.StartingDeadlineSeconds = rapid.SampledFrom(deadlines).Draw(t, "newDeadline")
	case 3:
		spec.SuccessfulJobsHistoryLimit = ptr.To(rapid.Int32Range(0, 3).Draw(t, "newSuccessfulLimit"))
		spec.FailedJobsHistoryLimit = ptr.To(rapid.Int32Range(0, 2).Draw(t, "newFailedLimit"))
	case 4:
		spec.Schedule = drawSchedule(t, "newSchedule")
	case 5:
		spec.TimeZone = rapid.SampledFrom(zones).Draw(t, "newTimeZone")
	case 6:
		// Someone else creates a Job owned by this CronJob: unexpected,
		// possibly with the name the next run will use.
		name := fmt.Sprintf("%s-manual-%d", c.cj.Name, c.uids)
		if rapid.Bool().Draw(t, "takesNextName") {
			if next := nextRun(c); !next.IsZero() {
				name = pure.JobName(c.cj.Name, next)
			}
		}
		owner := c.cj.UID
		if rapid.IntRange(0, 2).Draw(t, "previousIncarnation") == 0 {
			owner = "old-cj-uid" // left by an earlier CronJob of the same name
		}
		if c.job(c.cj.Namespace, name) == nil {
			c.jobs = append(c.jobs, ownedJob(c, name, c.cj.Name, owner))
		}
	case 7:
		// Jobs that are not this CronJob's: another owner, or none.
		j := ownedJob(c, fmt.Sprintf("other-%d", c.uids), "other", "other-uid")
		if rapid.Bool().Draw(t, "orphan") {
			j.OwnerReferences = nil
		}
		c.jobs = append(c.jobs, j)
	}
	// The informer has not delivered the last status write yet. Only when
	// that write just added the Job it created (and removed nothing from
	// status.active): then the controller's walk over its Jobs, in map
	// order, switches to the fresh copy at that Job and every other Job
	// sees the same active list on either copy, so the pass is
	// deterministic. That needs every active Job listed and running too:
	// the history clean-up and SawCompletedJob edit only the copy in hand,
	// so a finished active Job would be seen differently before and after
	// the switch.
	if c.createdLast && c.before != nil && addedOnly(c.before.Status.Active, c.cj.Status.Active) && activeRunning(c) && rapid.IntRange(0, 5).Draw(t, "staleCache") == 0 {
		// Only the status is behind: Options.FreshStatus carries a fresh
		// status, not a fresh spec or deletion.
		c.stale = c.cj.DeepCopy()
		c.stale.Status = *c.before.Status.DeepCopy()
		c.stale.ResourceVersion = c.before.ResourceVersion
	}

	sort.Slice(c.jobs, func(a, b int) bool { return c.jobs[a].Name < c.jobs[b].Name })
}

// nextRun is the first scheduled time after now as the controller parses
// the schedule, or zero.
func nextRun(c *cluster) time.Time {
	s, err := pure.ParseSchedule(scheduleText(c.cj), time.UTC)
	if err != nil {
		return time.Time{}
	}
	return s.KubernetesNext(c.now)
}

// scheduleText is the schedule with spec.timeZone as a prefix, as the
// controller evaluates it.
func scheduleText(cj *batchv1.CronJob) string {
	if cj.Spec.TimeZone != nil && !strings.Contains(cj.Spec.Schedule, "TZ") {
		if _, err := time.LoadLocation(*cj.Spec.TimeZone); err == nil {
			return "TZ=" + *cj.Spec.TimeZone + " " + cj.Spec.Schedule
		}
	}
	return cj.Spec.Schedule
}

// purectlPass runs CronDue on the state the controller saw: the informer's
// Jobs filtered as the controller lists them, and, for status.active
// entries missing from the informer, whether a direct read finds them.
func purectlPass(t tb, c *cluster, exact bool) pure.Result {
	visible := c.visible()
	rel := testmain.Release()
	jobs := adapt.CronJobJobs(c.cj, visible, rel)
	listed := map[string]bool{}
	for _, j := range jobs {
		listed[j.UID] = true
	}
	opts := pure.Options{Zone: time.UTC, Exact: exact, Release: rel}
	if c.stale != nil {
		fresh := adapt.CronJob(c.cj).Status
		opts.FreshStatus = &fresh
	}
	for _, ref := range append(append([]v1.ObjectReference(nil), c.informed().Status.Active...), c.cj.Status.Active...) {
		if !listed[string(ref.UID)] && c.job(ref.Namespace, ref.Name) != nil && !slices.Contains(opts.Existing, string(ref.UID)) {
			opts.Existing = append(opts.Existing, string(ref.UID))
		}
	}
	res, err := pure.CronDue(adapt.CronJob(c.informed()), jobs, c.now, opts)
	if err != nil {
		t.Fatalf("CronDue: %v", err)
	}
	if res.Create != nil && c.job(res.Create.Namespace, res.Create.Name) != nil {
		// The caller's create is refused with AlreadyExists: it reads the
		// Job and asks again with its name, or with the Job itself when the
		// CronJob controls it, as Options.AlreadyExists says.
		if j := c.job(res.Create.Namespace, res.Create.Name); metav1.IsControlledBy(j, c.cj) {
			opts.AlreadyExistsJobs = []pure.Job{adapt.CronJobJob(j)}
		} else {
			opts.AlreadyExists = []string{res.Create.Name}
		}
		if res, err = pure.CronDue(adapt.CronJob(c.informed()), jobs, c.now, opts); err != nil {
			t.Fatalf("CronDue: %v", err)
		}
	}
	// Writes the API server refuses (c.refused): the caller asks again
	// with them, as Options.FailedDeletes and Options.CreateFailed say.
	again := false
	for _, d := range res.Deletions {
		if err := c.refused("delete", d.Name); err != nil {
			if opts.FailedDeletes == nil {
				opts.FailedDeletes = map[string]error{}
			}
			opts.FailedDeletes[d.Name], again = err, true
		}
	}
	if res.Create != nil && c.job(res.Create.Namespace, res.Create.Name) == nil {
		if err := c.refused("create", res.Create.Name); err != nil {
			opts.CreateFailed, opts.NamespaceTerminating, again = err, apierrors.HasStatusCause(err, v1.NamespaceTerminatingCause), true
		}
	}
	if again {
		if res, err = pure.CronDue(adapt.CronJob(c.informed()), jobs, c.now, opts); err != nil {
			t.Fatalf("CronDue: %v", err)
		}
	}
	return res
}

// compare checks one pass. Normalisations, each sound for the reason given:
//   - events are compared as a sorted list: the controller walks its Jobs in
//     the informer's list order, which is Go map order, so the order of
//     SawCompletedJob/UnexpectedJob events among themselves is random
//     upstream; purectl walks them by name. Type, reason and message are
//     all compared.
//   - status is compared after the controller's write (or as stored when it
//     wrote nothing) against purectl's Result.Status, with the created Job's
//     UID (assigned by the API server) filled into purectl's new active
//     entry; the controller sometimes writes a status identical to the
//     stored one (a history deletion of a Job not in active), a no-op, so
//     whether a write happened is not compared, only what the status is.
//   - the requeue is upstream's delay from now against purectl's absolute
//     RequeueAt; nil against the zero time.
func compare(t tb, c *cluster, up upstreamPass, res pure.Result) {
	t.Helper()
	var diffs []string
	// The one pass the controller fails in this model up to 1.36: the due
	// run's Job name is taken (AlreadyExists, then a read-back that cannot
	// find it). From 1.37 the read-back finds the Job and the pass does not
	// fail.
	conflict := apierrors.IsConflict(up.err)
	failsPass := res.Outcome == pure.ReasonNameTaken && !testmain.Release().AtLeast("1.37") ||
		res.Outcome == pure.ReasonCreateFailed || res.Outcome == pure.ReasonReplaceFailed
	if !conflict && (up.err != nil) != failsPass {
		diffs = append(diffs, fmt.Sprintf("the controller's error: %v; purectl: %s", up.err, res.Outcome))
	}
	// Job created.
	switch {
	case res.Outcome == pure.ReasonCreateFailed:
		// The create was issued and refused: the same Job on both sides.
		if up.created != nil || res.Create == nil || up.refusedCreate != res.Create.Name {
			diffs = append(diffs, fmt.Sprintf("refused create: the controller's %q, purectl's %+v", up.refusedCreate, res.Create))
		}
	case up.created == nil && res.Create != nil:
		diffs = append(diffs, fmt.Sprintf("purectl creates %s, the controller nothing", res.Create.Name))
	case up.created != nil && res.Create == nil:
		diffs = append(diffs, fmt.Sprintf("the controller creates %s, purectl nothing (%s: %s)", up.created.Name, res.Outcome, res.Message))
	case up.created != nil:
		want := up.created.DeepCopy()
		want.UID = ""
		got := adapt.CronJobJobFor(c.cj, res.Create)
		got.CreationTimestamp = metav1.NewTime(res.Create.ScheduledTime)
		if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
			diffs = append(diffs, "created Job (-controller +purectl):\n"+d)
		}
		if !up.created.CreationTimestamp.Time.Equal(res.Create.ScheduledTime) {
			diffs = append(diffs, fmt.Sprintf("scheduled time: controller %s, purectl %s", up.created.CreationTimestamp, res.Create.ScheduledTime))
		}
	}
	// Jobs deleted, in order, the refused deletes included.
	var dels []string
	for _, d := range res.Deletions {
		dels = append(dels, d.Namespace+"/"+d.Name)
	}
	if d := cmp.Diff(up.issued, dels, cmpopts.EquateEmpty()); d != "" {
		diffs = append(diffs, "deletions (-controller +purectl):\n"+d)
	}
	// Status. A pass that started from a stale copy writes it back and the
	// API server refuses the write (Conflict): the controller's status is
	// lost and it retries with backoff, so neither status nor requeue is
	// compared. purectl's caller writing from the same stale copy is
	// refused the same way.
	// A pass that changes nothing writes nothing, so what it leaves is
	// the stored status, whichever copy it started from.
	st := adapt.CronJobStatus(res.Status)
	if !res.StatusChanged {
		st = *c.cj.Status.DeepCopy()
	}
	if conflict {
		res.Status = adapt.CronJob(&batchv1.CronJob{Status: up.status}).Status
		st = up.status
	}
	if up.created != nil {
		adapt.RecordCreatedJob(&st, up.created)
	}
	if d := cmp.Diff(adapt.CronJob(&batchv1.CronJob{Status: up.status}).Status, adapt.CronJob(&batchv1.CronJob{Status: st}).Status, cmpopts.EquateEmpty()); d != "" {
		diffs = append(diffs, "status (-controller +purectl):\n"+d)
	}
	// Events.
	var evs []string
	for _, e := range res.Events {
		evs = append(evs, string(e.Type)+" "+string(e.Reason)+" "+e.Message)
	}
	want := append([]string(nil), up.events...)
	sort.Strings(want)
	sort.Strings(evs)
	if d := cmp.Diff(want, evs, cmpopts.EquateEmpty()); d != "" {
		diffs = append(diffs, "events (-controller +purectl):\n"+d)
	}
	// Requeue.
	switch {
	case conflict:
	case up.requeue == nil && !res.RequeueAt.IsZero():
		diffs = append(diffs, fmt.Sprintf("purectl requeues at %s, the controller not at all", res.RequeueAt))
	case up.requeue != nil && !c.now.Add(*up.requeue).Equal(res.RequeueAt):
		diffs = append(diffs, fmt.Sprintf("requeue: controller after %s (at %s), purectl at %s", *up.requeue, c.now.Add(*up.requeue), res.RequeueAt))
	}
	if len(diffs) > 0 {
		diffs = append(diffs, fmt.Sprintf("(the controller's error: %v; stale cache: %v)", up.err, c.stale != nil))
		t.Fatalf("at %s, CronJob %s (schedule %q, timeZone %v, policy %s, deadline %v, suspend %v), status %s, jobs:\n%s\n%s",
			c.now, c.cj.Name, c.cj.Spec.Schedule, ptrString(c.cj.Spec.TimeZone), c.cj.Spec.ConcurrencyPolicy, ptrInt(c.cj.Spec.StartingDeadlineSeconds),
			*c.cj.Spec.Suspend, statusString(c.cj.Status), jobsString(c), strings.Join(diffs, "\n"))
	}
}

func ptrString(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func ptrInt(p *int64) string {
	if p == nil {
		return "<nil>"
	}
	return fmt.Sprint(*p)
}

func statusString(s batchv1.CronJobStatus) string {
	var act []string
	for _, a := range s.Active {
		act = append(act, a.Name+"("+string(a.UID)+")")
	}
	return fmt.Sprintf("active=%v last=%v success=%v", act, s.LastScheduleTime, s.LastSuccessfulTime)
}

func jobsString(c *cluster) string {
	var b strings.Builder
	for _, j := range c.jobs {
		fmt.Fprintf(&b, "  %s uid=%s hidden=%v owner=%v start=%v done=%v conds=%v\n", j.Name, j.UID, c.hidden[j.UID],
			j.OwnerReferences, j.Status.StartTime, j.Status.CompletionTime, j.Status.Conditions)
	}
	return b.String()
}

// passes counts the passes compared, for the report of a long campaign.
var passes int

// outcomes counts purectl's outcomes and event reasons, to show what the
// trajectories reached.
var outcomes = map[string]int{}

// TestCronJobTrajectoriesAgainstController runs random trajectories of at
// least 20 passes; every pass runs the real controller's sync and CronDue
// (default mode) on the same state, compares, and applies the controller's
// writes.
func TestCronJobTrajectoriesAgainstController(t *testing.T) {
	d := newDriver(t)
	defer d.stop()
	start := passes
	rapid.Check(t, func(rt *rapid.T) {
		cj, start := genCronJob(rt)
		c := &cluster{cj: cj, hidden: map[types.UID]bool{}}
		c.now = start.Add(time.Duration(rapid.Int64Range(0, 7200).Draw(rt, "firstPass")) * time.Second)
		n := rapid.IntRange(20, 30).Draw(rt, "passes")
		var requeue *time.Duration
		for range n {
			up := d.run(rt, c)
			res := purectlPass(rt, c, false)
			compare(rt, c, up, res)
			outcomes[string(res.Outcome)]++
			if c.stale != nil {
				outcomes["stale cache"]++
			}
			if apierrors.IsConflict(up.err) {
				outcomes["status write refused"]++
			}
			for _, e := range res.Events {
				outcomes["event "+string(e.Reason)]++
			}
			exactAgrees(rt, c, up, res)
			passes++
			c.apply(up)
			requeue = up.requeue
			step(rt, c, requeue)
		}
	})
	t.Logf("%d passes compared; the estimate judged on %d, right on %d, wrong on %d", passes-start, exactTally.judged, exactTally.right, exactTally.wrong)
	t.Logf("outcomes and events: %v", outcomes)
}

// addedOnly reports whether after holds every reference of before.
func addedOnly(before, after []v1.ObjectReference) bool {
	for _, b := range before {
		if !slices.ContainsFunc(after, func(a v1.ObjectReference) bool { return a.UID == b.UID }) {
			return false
		}
	}
	return len(after) > len(before)
}

// activeRunning reports whether every status.active entry has a Job the
// informer lists and that has not finished.
func activeRunning(c *cluster) bool {
	for _, ref := range c.cj.Status.Active {
		j := c.job(ref.Namespace, ref.Name)
		if j == nil || j.UID != ref.UID || c.hidden[j.UID] || finished(j) {
			return false
		}
	}
	return true
}
