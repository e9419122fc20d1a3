package cronjob

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func ptr[T any](v T) *T { return &v }

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// base is a stored CronJob: API defaults applied, as the controller sees
// it.
func base(schedule string) CronJob {
	return Default(CronJob{Name: "mycronjob", Namespace: "ns", UID: "cj-uid",
		CreationTimestamp: utc("2016-05-19T09:00:00Z"), Spec: Spec{Schedule: schedule}}, Release{})
}

func complete(name, uid string, start, done string) Job {
	j := Job{Name: name, Namespace: "ns", UID: uid, Conditions: []JobCondition{{JobComplete, ConditionTrue}}}
	if start != "" {
		j.StartTime = utc(start)
	}
	if done != "" {
		j.CompletionTime = utc(done)
	}
	return j
}

func failed(name, uid, start string) Job {
	j := Job{Name: name, Namespace: "ns", UID: uid, Conditions: []JobCondition{{JobFailed, ConditionTrue}}}
	if start != "" {
		j.StartTime = utc(start)
	}
	return j
}

func eventReasons(r Result) []Reason {
	var out []Reason
	for _, e := range r.Events {
		out = append(out, e.Reason)
	}
	return out
}

// TestSchedulingPass covers syncCronJob's scheduling steps and the wake-up
// of nextScheduleTimeDuration.
func TestSchedulingPass(t *testing.T) {
	hourly := "0 * * * *"
	tests := []struct {
		name        string
		cj          func() CronJob
		jobs        []Job
		now         string
		opts        Options
		outcome     Reason
		create      string // job name, "" for none
		events      []Reason
		requeue     string // RFC3339Nano, "" for none
		lastSched   string
		deletions   []string
		activeAfter int
	}{
		{name: "getJobName: the first run names the job after the scheduled minute",
			cj: func() CronJob { return base(hourly) }, now: "2016-05-19T10:01:00Z",
			outcome: ReasonRunStarted, create: "mycronjob-24394200", events: []Reason{ReasonSuccessfulCreate},
			requeue: "2016-05-19T11:00:00.1Z", lastSched: "2016-05-19T10:00:00Z", activeAfter: 1},
		{name: "mostRecentScheduleTime: nothing due before the first run",
			cj: func() CronJob { return base(hourly) }, now: "2016-05-19T09:30:00Z",
			outcome: ReasonNotDue, requeue: "2016-05-19T10:00:00.1Z"},
		{name: "syncCronJob suspended: nothing and no requeue",
			cj: func() CronJob { c := base(hourly); c.Spec.Suspend = true; return c }, now: "2016-05-19T10:01:00Z",
			outcome: ReasonSuspended},
		{name: "syncCronJob being deleted: nothing and no requeue",
			cj: func() CronJob { c := base(hourly); c.DeletionTimestamp = utc("2016-05-19T10:00:00Z"); return c }, now: "2016-05-19T10:01:00Z",
			outcome: ReasonDeleting},
		{name: "syncCronJob already processed: the run is already recorded in lastScheduleTime",
			cj: func() CronJob {
				c := base(hourly)
				c.Status.LastScheduleTime = utc("2016-05-19T10:00:00Z")
				return c
			}, now: "2016-05-19T10:30:00Z",
			outcome: ReasonNotDue, requeue: "2016-05-19T11:00:00.1Z", lastSched: "2016-05-19T10:00:00Z"},
		{name: "syncCronJob Forbid with an active job skips without recording",
			cj: func() CronJob {
				c := base(hourly)
				c.Spec.ConcurrencyPolicy = ForbidConcurrent
				c.Status.Active = []ObjectReference{{Name: "old", Namespace: "ns", UID: "u1"}}
				return c
			}, jobs: []Job{{Name: "old", Namespace: "ns", UID: "u1"}}, now: "2016-05-19T10:01:00Z",
			outcome: ReasonJobAlreadyActive, events: []Reason{ReasonJobAlreadyActive}, requeue: "2016-05-19T11:00:00.1Z", activeAfter: 1},
		{name: "syncCronJob Replace deletes the active job then creates",
			cj: func() CronJob {
				c := base(hourly)
				c.Spec.ConcurrencyPolicy = ReplaceConcurrent
				c.Status.Active = []ObjectReference{{Name: "old", Namespace: "ns", UID: "u1"}}
				return c
			}, jobs: []Job{{Name: "old", Namespace: "ns", UID: "u1"}}, now: "2016-05-19T10:01:00Z",
			outcome: ReasonRunStarted, create: "mycronjob-24394200", deletions: []string{"old"},
			events: []Reason{ReasonSuccessfulDelete, ReasonSuccessfulCreate}, requeue: "2016-05-19T11:00:00.1Z",
			lastSched: "2016-05-19T10:00:00Z", activeAfter: 1},
		{name: "syncCronJob Allow creates alongside an active job",
			cj: func() CronJob {
				c := base(hourly)
				c.Status.Active = []ObjectReference{{Name: "old", Namespace: "ns", UID: "u1"}}
				return c
			}, jobs: []Job{{Name: "old", Namespace: "ns", UID: "u1"}}, now: "2016-05-19T10:01:00Z",
			outcome: ReasonRunStarted, create: "mycronjob-24394200", events: []Reason{ReasonSuccessfulCreate},
			requeue: "2016-05-19T11:00:00.1Z", lastSched: "2016-05-19T10:00:00Z", activeAfter: 2},
		{name: "mostRecentScheduleTime startingDeadlineSeconds drops a run older than the deadline",
			cj:  func() CronJob { c := base(hourly); c.Spec.StartingDeadlineSeconds = ptr(int64(60)); return c },
			now: "2016-05-19T10:05:00Z", outcome: ReasonNotDue, requeue: "2016-05-19T11:00:00.1Z"},
		{name: "mostRecentScheduleTime: a run within the deadline starts",
			cj:  func() CronJob { c := base(hourly); c.Spec.StartingDeadlineSeconds = ptr(int64(600)); return c },
			now: "2016-05-19T10:05:00Z", outcome: ReasonRunStarted, create: "mycronjob-24394200",
			events: []Reason{ReasonSuccessfulCreate}, requeue: "2016-05-19T11:00:00.1Z", lastSched: "2016-05-19T10:00:00Z", activeAfter: 1},
		{name: "nextScheduleTime: 180 missed minutes: TooManyMissedTimes, latest minute starts, wake 30.1s later",
			cj: func() CronJob {
				c := base("* * * * *")
				c.Status.LastScheduleTime = utc("2016-05-19T09:00:00Z")
				return c
			}, now: "2016-05-19T12:00:30Z", outcome: ReasonRunStarted, create: "mycronjob-24394320",
			events: []Reason{ReasonTooManyMissedTimes, ReasonSuccessfulCreate}, requeue: "2016-05-19T12:01:00.1Z",
			lastSched: "2016-05-19T12:00:00Z", activeAfter: 1},
		{name: "mostRecentScheduleTime: a schedule that never fires: InvalidSchedule, no requeue",
			cj: func() CronJob { return base("0 0 30 2 *") }, now: "2016-05-19T10:01:00Z",
			outcome: ReasonInvalidSchedule, events: []Reason{ReasonInvalidSchedule}},
		{name: "mostRecentScheduleTime: never fires, exact mode too",
			cj: func() CronJob { return base("59 23 31 2 *") }, now: "2016-05-19T10:01:00Z", opts: Options{Exact: true},
			outcome: ReasonInvalidSchedule, events: []Reason{ReasonInvalidSchedule}},
		{name: "syncCronJob: an unknown time zone stops the pass without requeue",
			cj:  func() CronJob { c := base(hourly); c.Spec.TimeZone = ptr("Mars/Olympus_Mons"); return c },
			now: "2016-05-19T10:01:00Z", outcome: ReasonUnknownTimeZone, events: []Reason{ReasonUnknownTimeZone}},
		{name: "formatSchedule: a TZ prefix warns UnsupportedSchedule and is honoured",
			cj: func() CronJob { return base("TZ=Europe/Rome 0 12 * * *") }, now: "2016-05-19T10:01:00Z",
			outcome: ReasonRunStarted, create: "mycronjob-24394200", events: []Reason{ReasonUnsupportedSchedule, ReasonSuccessfulCreate},
			requeue: "2016-05-20T10:00:00.1Z", lastSched: "2016-05-19T10:00:00Z", activeAfter: 1},
		{name: "formatSchedule: spec.timeZone evaluates the schedule in that zone",
			cj:  func() CronJob { c := base("0 12 * * *"); c.Spec.TimeZone = ptr("Europe/Rome"); return c },
			now: "2016-05-19T10:01:00Z", outcome: ReasonRunStarted, create: "mycronjob-24394200",
			events: []Reason{ReasonSuccessfulCreate}, requeue: "2016-05-20T10:00:00.1Z", lastSched: "2016-05-19T10:00:00Z", activeAfter: 1},
		{name: "Options.Zone evaluates schedules without a zone",
			cj: func() CronJob { return base("0 6 * * *") }, now: "2016-05-19T10:01:00Z",
			opts:    Options{Zone: time.FixedZone("UTC-4", -4*3600)},
			outcome: ReasonRunStarted, create: "mycronjob-24394200", events: []Reason{ReasonSuccessfulCreate},
			requeue: "2016-05-20T10:00:00.1Z", lastSched: "2016-05-19T10:00:00Z", activeAfter: 1},
		{name: "nextScheduleTimeDuration anchors @every at lastScheduleTime: exact mode wakes on that cadence",
			cj: func() CronJob {
				c := base("@every 90m")
				c.Status.LastScheduleTime = utc("2016-05-19T09:10:00Z")
				return c
			}, now: "2016-05-19T10:00:01Z", opts: Options{Exact: true},
			outcome: ReasonNotDue, requeue: "2016-05-19T10:40:00.1Z", lastSched: "2016-05-19T09:10:00Z"},
		{name: "nextScheduleTimeDuration with lastScheduleTime ahead of now (clock skew): exact mode waits for the run after it",
			cj: func() CronJob {
				c := base(hourly)
				c.Status.LastScheduleTime = utc("2016-05-19T12:00:00Z")
				return c
			}, now: "2016-05-19T10:30:00Z", opts: Options{Exact: true},
			outcome: ReasonNotDue, requeue: "2016-05-19T13:00:00.1Z", lastSched: "2016-05-19T12:00:00Z"},
		{name: "mostRecentScheduleTime, upstream's irregular case: the estimate finds nothing, 30 10,11,12 * * 1-5",
			cj: func() CronJob {
				c := base("30 10,11,12 * * 1-5")
				c.Status.LastScheduleTime = utc("2016-05-19T10:30:00Z") // Thursday
				return c
			}, now: "2016-05-20T16:30:00Z", outcome: ReasonNotDue, requeue: "2016-05-23T10:30:00.1Z",
			lastSched: "2016-05-19T10:30:00Z"},
		{name: "mostRecentScheduleTime: the same case in exact mode starts Friday 12:30",
			cj: func() CronJob {
				c := base("30 10,11,12 * * 1-5")
				c.Status.LastScheduleTime = utc("2016-05-19T10:30:00Z")
				return c
			}, now: "2016-05-20T16:30:00Z", opts: Options{Exact: true}, outcome: ReasonRunStarted,
			create: "mycronjob-24395790", events: []Reason{ReasonSuccessfulCreate}, requeue: "2016-05-23T10:30:00.1Z",
			lastSched: "2016-05-20T12:30:00Z", activeAfter: 1},
		{name: "mostRecentScheduleTime: @every with a deadline shorter than its period never starts",
			cj:  func() CronJob { c := base("@every 1h"); c.Spec.StartingDeadlineSeconds = ptr(int64(600)); return c },
			now: "2016-05-19T12:00:00Z", outcome: ReasonNotDue, requeue: "2016-05-19T13:00:00.1Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := CronDue(tc.cj(), tc.jobs, utc(tc.now), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != tc.outcome {
				t.Errorf("outcome %s (%s), want %s", res.Outcome, res.Message, tc.outcome)
			}
			got := ""
			if res.Create != nil {
				got = res.Create.Name
			}
			if got != tc.create {
				t.Errorf("create %q, want %q", got, tc.create)
			}
			if diff := cmp.Diff(tc.events, eventReasons(res)); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			wantRequeue := time.Time{}
			if tc.requeue != "" {
				wantRequeue, _ = time.Parse(time.RFC3339Nano, tc.requeue)
			}
			if !res.RequeueAt.Equal(wantRequeue) {
				t.Errorf("requeue %s, want %s", res.RequeueAt, wantRequeue)
			}
			wantLast := time.Time{}
			if tc.lastSched != "" {
				wantLast = utc(tc.lastSched)
			}
			if !res.Status.LastScheduleTime.Equal(wantLast) {
				t.Errorf("lastScheduleTime %s, want %s", res.Status.LastScheduleTime, wantLast)
			}
			var dels []string
			for _, d := range res.Deletions {
				dels = append(dels, d.Name)
			}
			if diff := cmp.Diff(tc.deletions, dels); diff != "" {
				t.Errorf("deletions (-want +got):\n%s", diff)
			}
			if len(res.Status.Active) != tc.activeAfter {
				t.Errorf("active %v, want %d entries", res.Status.Active, tc.activeAfter)
			}
		})
	}
}

// TestScheduledTimestampAnnotation: getJobFromTemplate2 renders the
// scheduled time in spec.timeZone.
func TestScheduledTimestampAnnotation(t *testing.T) {
	cj := base("0 12 * * *")
	cj.Spec.TimeZone = ptr("Europe/Rome")
	cj.Spec.JobTemplate.Labels = map[string]string{"app": "x"}
	res, err := CronDue(cj, nil, utc("2016-05-19T10:01:00Z"), Options{})
	if err != nil || res.Create == nil {
		t.Fatal(err, res.Outcome)
	}
	if got := res.Create.Annotations[ScheduledTimestampAnnotation]; got != "2016-05-19T12:00:00+02:00" {
		t.Errorf("annotation %q", got)
	}
	if res.Create.Labels["app"] != "x" {
		t.Errorf("labels %v", res.Create.Labels)
	}
}

// TestJobBookkeeping covers syncCronJob's finished and vanished Jobs,
// lastSuccessfulTime, and cleanupFinishedJobs.
func TestJobBookkeeping(t *testing.T) {
	cj := base("0 0 1 1 *") // not due in the window: only bookkeeping
	cj.Status.Active = []ObjectReference{
		{Name: "done", Namespace: "ns", UID: "a"},
		{Name: "gone", Namespace: "ns", UID: "b"},
		{Name: "lagging", Namespace: "ns", UID: "c"},
	}
	jobs := []Job{
		complete("done", "a", "2016-05-19T09:10:00Z", "2016-05-19T09:20:00Z"),
		complete("c1", "c1", "2016-05-19T08:00:00Z", "2016-05-19T08:10:00Z"),
		complete("c2", "c2", "", "2016-05-19T09:40:00Z"),
		complete("c3", "c3", "2016-05-19T07:00:00Z", "2016-05-19T07:10:00Z"),
		failed("f1", "f1", "2016-05-19T06:00:00Z"),
		failed("f2", "f2", "2016-05-19T05:00:00Z"),
		{Name: "stray", Namespace: "ns", UID: "s"},
	}
	res, err := CronDue(cj, jobs, utc("2016-05-19T10:00:00Z"), Options{Existing: []string{"c"}})
	if err != nil {
		t.Fatal(err)
	}
	// Successful by start time: c3 07:00, c1 08:00, done 09:10, c2 (none, last):
	// keep 3, delete c3. Failed: f2 05:00, f1 06:00: keep 1, delete f2.
	var dels []string
	for _, d := range res.Deletions {
		dels = append(dels, d.Name+":"+string(d.Reason))
	}
	want := []string{"c3:SuccessfulJobsHistoryLimit", "f2:FailedJobsHistoryLimit"}
	if diff := cmp.Diff(want, dels); diff != "" {
		t.Errorf("deletions (-want +got):\n%s", diff)
	}
	wantActive := []ObjectReference{{Name: "lagging", Namespace: "ns", UID: "c"}}
	if diff := cmp.Diff(wantActive, res.Status.Active); diff != "" {
		t.Errorf("active (-want +got):\n%s", diff)
	}
	// lastSuccessfulTime: the latest completion among Complete jobs, including the one just
	// removed from active.
	if want := utc("2016-05-19T09:40:00Z"); !res.Status.LastSuccessfulTime.Equal(want) {
		t.Errorf("lastSuccessfulTime %s, want %s", res.Status.LastSuccessfulTime, want)
	}
	wantEvents := []Reason{ReasonSuccessfulDelete, ReasonSuccessfulDelete, ReasonSawCompletedJob, ReasonUnexpectedJob, ReasonMissingJob}
	if diff := cmp.Diff(wantEvents, eventReasons(res)); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if !res.StatusChanged {
		t.Error("status changed but StatusChanged is false")
	}
}

// TestHistoryLimitZero: a limit of 0 deletes every finished job of the kind.
func TestHistoryLimitZero(t *testing.T) {
	cj := base("0 0 1 1 *")
	cj.Spec.SuccessfulJobsHistoryLimit = ptr(int32(0))
	cj.Spec.FailedJobsHistoryLimit = ptr(int32(5))
	jobs := []Job{complete("b", "b", "", ""), complete("a", "a", "", ""), failed("f", "f", "")}
	res, _ := CronDue(cj, jobs, utc("2016-05-19T10:00:00Z"), Options{})
	var dels []string
	for _, d := range res.Deletions {
		dels = append(dels, d.Name)
	}
	if diff := cmp.Diff([]string{"a", "b"}, dels); diff != "" {
		t.Errorf("deletions (-want +got):\n%s", diff)
	}
}

// TestFreshStatus: syncCronJob's fresh read: an unfinished job missing from active but listed in
// a fresh read is not unexpected, and the pass continues with that status.
func TestFreshStatus(t *testing.T) {
	cj := base("0 0 1 1 *")
	fresh := Status{Active: []ObjectReference{{Name: "j", Namespace: "ns", UID: "u"}}}
	res, _ := CronDue(cj, []Job{{Name: "j", Namespace: "ns", UID: "u"}}, utc("2016-05-19T10:00:00Z"), Options{FreshStatus: &fresh})
	if len(res.Events) != 0 || len(res.Status.Active) != 1 {
		t.Errorf("events %v active %v", res.Events, res.Status.Active)
	}
}

// TestValidation: the API server's checks (validateCronJobSpec and the
// object metadata), with its field paths and messages.
func TestValidation(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*CronJob)
		create bool
		want   []string
	}{
		{"schedule required", func(c *CronJob) { c.Spec.Schedule = "" }, false, []string{"spec.schedule: Required value"}},
		{"schedule must parse", func(c *CronJob) { c.Spec.Schedule = "* * * *" }, false,
			[]string{`spec.schedule: Invalid value: "* * * *": expected exactly 5 fields, found 4: [* * * *]`}},
		{"7 is not a weekday", func(c *CronJob) { c.Spec.Schedule = "0 0 * * 7" }, false, []string{"spec.schedule: Invalid value"}},
		{"a TZ prefix without a space is an error, not a panic", func(c *CronJob) { c.Spec.Schedule = "TZ=UTC" }, false, []string{"spec.schedule: Invalid value"}},
		{"TZ prefix rejected on create", func(c *CronJob) { c.Spec.Schedule = "TZ=UTC * * * * *" }, true,
			[]string{"cannot use TZ or CRON_TZ in schedule, use timeZone field instead"}},
		{"TZ prefix with timeZone rejected", func(c *CronJob) { c.Spec.Schedule = "TZ=UTC * * * * *"; c.Spec.TimeZone = ptr("UTC") }, false,
			[]string{"cannot use both timeZone field and TZ or CRON_TZ in schedule"}},
		{"empty time zone", func(c *CronJob) { c.Spec.TimeZone = ptr("") }, true, []string{"spec.timeZone: Invalid value: \"\": timeZone must be nil or non-empty string"}},
		{"Local rejected", func(c *CronJob) { c.Spec.TimeZone = ptr("local") }, true, []string{"timeZone must be an explicit time zone"}},
		{"bad characters", func(c *CronJob) { c.Spec.TimeZone = ptr("Europe/Ro me") }, true, []string{"unknown time zone Europe/Ro me"}},
		{"unknown zone on create", func(c *CronJob) { c.Spec.TimeZone = ptr("Mars/Base") }, true, []string{"spec.timeZone: Invalid value: \"Mars/Base\""}},
		{"concurrency policy unsupported", func(c *CronJob) { c.Spec.ConcurrencyPolicy = "Sometimes" }, false,
			[]string{`spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"`}},
		{"concurrency policy required", func(c *CronJob) { c.Spec.ConcurrencyPolicy = "" }, false,
			[]string{`spec.concurrencyPolicy: Required value`}},
		{"negative deadline", func(c *CronJob) { c.Spec.StartingDeadlineSeconds = ptr(int64(-1)) }, false,
			[]string{"spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0"}},
		{"negative limits", func(c *CronJob) {
			c.Spec.SuccessfulJobsHistoryLimit = ptr(int32(-1))
			c.Spec.FailedJobsHistoryLimit = ptr(int32(-2))
		}, false, []string{"spec.successfulJobsHistoryLimit: Invalid value: -1", "spec.failedJobsHistoryLimit: Invalid value: -2"}},
		{"name at most 52 on create", func(c *CronJob) { c.Name = strings.Repeat("a", 53) }, true, []string{"metadata.name: Invalid value", "must be no more than 52 characters"}},
		{"name required on create", func(c *CronJob) { c.Name = "" }, true, []string{"metadata.name: Required value"}},
		{"namespace with dots: IsDNS1123Label's message", func(c *CronJob) { c.Namespace = "a.b" }, true, []string{`metadata.namespace: Invalid value: "a.b": must not contain dots`}},
		{"namespace not a label: IsDNS1123Label's regex message", func(c *CronJob) { c.Namespace = "Team" }, true,
			[]string{`(e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`}},
		{"name not a subdomain: IsDNS1123Subdomain's message", func(c *CronJob) { c.Name = "Bad_Name" }, true,
			[]string{`metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of`}},
		{"namespace required on create", func(c *CronJob) { c.Namespace = "" }, true, []string{"metadata.namespace: Required value"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cj := base("* * * * *")
			tc.mutate(&cj)
			var err error
			if tc.create {
				err = ValidateCreate(cj, Release{})
			} else {
				err = Validate(cj, Release{})
			}
			if err == nil {
				t.Fatal("no error")
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T is not a field error", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	// A long name is accepted on an existing object (not re-checked on update).
	cj := base("* * * * *")
	cj.Name = strings.Repeat("a", 60)
	if err := Validate(cj, Release{}); err != nil {
		t.Errorf("existing long name: %v", err)
	}
	if err := ValidateUpdate(base("TZ=UTC * * * * *"), base("TZ=UTC 0 * * * *"), Release{}); err != nil {
		t.Errorf("TZ kept on update: %v", err)
	}
	// An unchanged time zone is not checked again on update.
	cj = base("* * * * *")
	cj.Spec.TimeZone = ptr("Mars/Base")
	if err := Validate(cj, Release{}); err != nil {
		t.Errorf("unchanged unknown zone: %v", err)
	}
}

// TestCronDueFollowsTheController: on what validation rejects, syncCronJob
// acts (an event for an unparseable schedule, Allow for an empty policy, a
// legacy TZ prefix honoured); CronDue does the same and lists the
// rejections as warnings. A negative history limit, on which
// cleanupFinishedJobs indexes past its Jobs, is refused.
func TestCronDueFollowsTheController(t *testing.T) {
	now := utc("2016-05-19T10:01:00Z")
	tests := []struct {
		name    string
		mutate  func(*CronJob)
		outcome Reason
		warning string
	}{
		{"weekday 7: UnparseableSchedule", func(c *CronJob) { c.Spec.Schedule = "0 0 * * 7" }, ReasonUnparseableSchedule, "spec.schedule: Invalid value"},
		{"empty policy acts as Allow", func(c *CronJob) { c.Spec.ConcurrencyPolicy = "" }, ReasonRunStarted, "spec.concurrencyPolicy: Required value"},
		{"unknown policy acts as Allow", func(c *CronJob) { c.Spec.ConcurrencyPolicy = "Sometimes" }, ReasonRunStarted, "spec.concurrencyPolicy: Unsupported value"},
		{"negative deadline: nothing is ever due", func(c *CronJob) { c.Spec.StartingDeadlineSeconds = ptr(int64(-60)) }, ReasonNotDue, "spec.startingDeadlineSeconds"},
		{"TZ prefix and timeZone: the prefix wins", func(c *CronJob) { c.Spec.Schedule = "TZ=UTC 0 * * * *"; c.Spec.TimeZone = ptr("Asia/Tokyo") }, ReasonRunStarted, "cannot use both"},
		{"an empty schedule: UnparseableSchedule", func(c *CronJob) { c.Spec.Schedule = "" }, ReasonUnparseableSchedule, "spec.schedule: Required value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cj := base("0 * * * *")
			tc.mutate(&cj)
			res, err := CronDue(cj, nil, now, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != tc.outcome {
				t.Errorf("outcome %s (%s), want %s", res.Outcome, res.Message, tc.outcome)
			}
			var ws []string
			for _, w := range res.Warnings {
				ws = append(ws, w.Error())
			}
			if !strings.Contains(strings.Join(ws, "\n"), tc.warning) {
				t.Errorf("warnings %q lack %q", ws, tc.warning)
			}
		})
	}
	cj := base("0 * * * *")
	cj.Spec.FailedJobsHistoryLimit = ptr(int32(-1))
	if _, err := CronDue(cj, nil, now, Options{}); err == nil || !strings.Contains(err.Error(), "spec.failedJobsHistoryLimit") {
		t.Errorf("negative limit: %v", err)
	}
	if res, _ := CronDue(base("0 * * * *"), nil, now, Options{}); res.Warnings != nil {
		t.Errorf("a valid CronJob warns %v", res.Warnings)
	}
}

// TestCleanupFinishedJobsNilLimits: cleanupFinishedJobs does nothing when
// both limits are nil and applies only the one that is set otherwise.
func TestCleanupFinishedJobsNilLimits(t *testing.T) {
	jobs := []Job{
		complete("ok-1", "u1", "2016-05-19T07:00:00Z", "2016-05-19T07:01:00Z"),
		complete("ok-2", "u2", "2016-05-19T08:00:00Z", "2016-05-19T08:01:00Z"),
		failed("bad-1", "u3", "2016-05-19T07:30:00Z"),
		failed("bad-2", "u4", "2016-05-19T08:30:00Z"),
	}
	now := utc("2016-05-19T09:30:00Z")
	for _, tc := range []struct {
		name     string
		ok, bad  *int32
		deletion []string
	}{
		{"both nil: no clean-up", nil, nil, nil},
		{"only successful set", ptr(int32(1)), nil, []string{"ok-1"}},
		{"only failed set", nil, ptr(int32(0)), []string{"bad-1", "bad-2"}},
	} {
		cj := base("0 0 1 1 *")
		cj.Spec.SuccessfulJobsHistoryLimit, cj.Spec.FailedJobsHistoryLimit = tc.ok, tc.bad
		res, err := CronDue(cj, jobs, now, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var dels []string
		for _, d := range res.Deletions {
			dels = append(dels, d.Name)
		}
		if diff := cmp.Diff(tc.deletion, dels); diff != "" {
			t.Errorf("%s: deletions (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestDefault: SetDefaults_CronJob fills concurrencyPolicy and both
// history limits, and keeps what is set.
func TestDefault(t *testing.T) {
	got := Default(CronJob{Spec: Spec{Schedule: "@daily"}}, Release{})
	if got.Spec.ConcurrencyPolicy != AllowConcurrent || *got.Spec.SuccessfulJobsHistoryLimit != 3 || *got.Spec.FailedJobsHistoryLimit != 1 ||
		got.Spec.StartingDeadlineSeconds != nil || got.Spec.TimeZone != nil {
		t.Errorf("defaults: %+v", got.Spec)
	}
	set := CronJob{Spec: Spec{ConcurrencyPolicy: ForbidConcurrent, SuccessfulJobsHistoryLimit: ptr(int32(0)), FailedJobsHistoryLimit: ptr(int32(7))}}
	got = Default(set, Release{})
	if got.Spec.ConcurrencyPolicy != ForbidConcurrent || *got.Spec.SuccessfulJobsHistoryLimit != 0 || *got.Spec.FailedJobsHistoryLimit != 7 {
		t.Errorf("kept: %+v", got.Spec)
	}
}

// TestDSTPolicyInPass: with DSTOnce the 02:30 run skipped by New York's
// spring-forward starts at the change; Kubernetes' default skips it.
func TestDSTPolicyInPass(t *testing.T) {
	cj := base("30 2 * * *")
	cj.Spec.TimeZone = ptr("America/New_York")
	cj.Status.LastScheduleTime = utc("2016-03-12T07:30:00Z") // 02:30 EST on the 12th
	now := utc("2016-03-13T07:05:00Z")                       // 03:05 EDT on the 13th
	res, err := CronDue(cj, nil, now, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != ReasonNotDue || res.Create != nil {
		t.Errorf("default policy: %s %v", res.Outcome, res.Create)
	}
	res, err = CronDue(cj, nil, now, Options{DST: DSTOnce})
	if err != nil {
		t.Fatal(err)
	}
	if res.Create == nil || !res.Create.ScheduledTime.Equal(utc("2016-03-13T07:00:00Z")) {
		t.Fatalf("DSTOnce: %s %+v", res.Outcome, res.Create)
	}
	if got := res.Create.Annotations[ScheduledTimestampAnnotation]; got != "2016-03-13T03:00:00-04:00" {
		t.Errorf("annotation %q", got)
	}
	if want := utc("2016-03-14T06:30:00.1Z"); !res.RequeueAt.Equal(want) {
		t.Errorf("requeue %s, want %s", res.RequeueAt, want)
	}
}

// TestCleanupFinishedJobsMessages: each deletion beyond a history limit
// carries its reason and message, and Kubernetes' SuccessfulDelete event
// ("Deleted job <name>"), successful Jobs first, oldest first within a kind.
func TestCleanupFinishedJobsMessages(t *testing.T) {
	cj := base("0 0 1 1 *")
	cj.Spec.SuccessfulJobsHistoryLimit = ptr(int32(1))
	cj.Spec.FailedJobsHistoryLimit = ptr(int32(12))
	jobs := []Job{complete("new", "n", "2016-05-19T09:00:00Z", ""), complete("old", "o", "2016-05-18T09:00:00Z", ""),
		complete("mid", "m", "2016-05-18T19:00:00Z", "")}
	for i := range 14 {
		jobs = append(jobs, failed(fmt.Sprintf("f%02d", i), fmt.Sprintf("f%d", i), fmt.Sprintf("2016-05-19T08:%02d:00Z", 59-i)))
	}
	res, err := CronDue(cj, jobs, utc("2016-05-19T10:00:00Z"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []JobDeletion{
		{Name: "old", Namespace: "ns", UID: "o", Reason: ReasonSuccessfulHistoryLimit, Message: "successful job beyond the CronJob's history limit of 1"},
		{Name: "mid", Namespace: "ns", UID: "m", Reason: ReasonSuccessfulHistoryLimit, Message: "successful job beyond the CronJob's history limit of 1"},
		{Name: "f13", Namespace: "ns", UID: "f13", Reason: ReasonFailedHistoryLimit, Message: "failed job beyond the CronJob's history limit of 12"},
		{Name: "f12", Namespace: "ns", UID: "f12", Reason: ReasonFailedHistoryLimit, Message: "failed job beyond the CronJob's history limit of 12"},
	}
	if d := cmp.Diff(want, res.Deletions); d != "" {
		t.Errorf("deletions (-want +got):\n%s", d)
	}
	var evs []string
	for _, e := range res.Events {
		evs = append(evs, string(e.Type)+" "+string(e.Reason)+" "+e.Message)
	}
	wantEvs := []string{"Normal SuccessfulDelete Deleted job old", "Normal SuccessfulDelete Deleted job mid",
		"Normal SuccessfulDelete Deleted job f13", "Normal SuccessfulDelete Deleted job f12"}
	if d := cmp.Diff(wantEvs, evs); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
}

func eventTexts(r Result) []string {
	var out []string
	for _, e := range r.Events {
		out = append(out, string(e.Type)+" "+string(e.Reason)+" "+e.Message)
	}
	return out
}

// deleteJob: a history deletion the API server refuses records
// FailedDelete and leaves the Job in status.active; the pass goes on, and
// syncCronJob then finds the finished Job still active (SawCompletedJob).
func TestDeleteJobRefusedKeepsTheJob(t *testing.T) {
	cj := base("0 0 1 1 *")
	cj.Spec.SuccessfulJobsHistoryLimit = ptr(int32(1))
	jobs := []Job{complete("new", "n", "2016-05-19T09:00:00Z", ""), complete("old", "o", "2016-05-18T09:00:00Z", "")}
	cj.Status.Active = []ObjectReference{{Name: "old", Namespace: "ns", UID: "o"}}
	now := utc("2016-05-19T10:00:00Z")
	res, err := CronDue(cj, jobs, now, Options{FailedDeletes: map[string]error{"old": errors.New("etcd timeout")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Deletions) != 1 || res.Deletions[0].Name != "old" {
		t.Fatalf("deletions %+v", res.Deletions)
	}
	want := []string{"Warning FailedDelete Deleted job: etcd timeout", "Normal SawCompletedJob Saw completed job: old, condition: Complete"}
	if d := cmp.Diff(want, eventTexts(res)); d != "" {
		t.Fatalf("events (-want +got):\n%s", d)
	}
	if len(res.Status.Active) != 0 || res.Outcome != ReasonNotDue {
		t.Fatalf("status %+v, outcome %s", res.Status, res.Outcome)
	}
	// Without the refusal the deletion takes the Job out of active itself.
	ok, err := CronDue(cj, jobs, now, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"Normal SuccessfulDelete Deleted job old"}, eventTexts(ok)); d != "" {
		t.Fatalf("events without the refusal (-want +got):\n%s", d)
	}
}

// syncCronJob with Replace: each active Job is deleted in turn; the first
// deletion the API server refuses records FailedDelete and fails the pass
// ("could not replace job"): no Job is created, the later active Jobs are
// not deleted, and the status keeps what was deleted before it.
func TestReplaceDeleteRefusedFailsThePass(t *testing.T) {
	cj := base("0 * * * *")
	cj.Spec.ConcurrencyPolicy = ReplaceConcurrent
	cj.Status.LastScheduleTime = utc("2016-05-19T09:00:00Z")
	cj.Status.Active = []ObjectReference{{Name: "a", Namespace: "ns", UID: "ua"}, {Name: "b", Namespace: "ns", UID: "ub"}, {Name: "c", Namespace: "ns", UID: "uc"}}
	jobs := []Job{{Name: "a", Namespace: "ns", UID: "ua"}, {Name: "b", Namespace: "ns", UID: "ub"}, {Name: "c", Namespace: "ns", UID: "uc"}}
	now := utc("2016-05-19T10:00:10Z")
	res, err := CronDue(cj, jobs, now, Options{FailedDeletes: map[string]error{"b": errors.New("forbidden")}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != ReasonReplaceFailed || res.Create != nil || !res.RequeueAt.IsZero() {
		t.Fatalf("outcome %s, create %+v, requeue %s", res.Outcome, res.Create, res.RequeueAt)
	}
	var dels []string
	for _, d := range res.Deletions {
		dels = append(dels, d.Name)
	}
	if d := cmp.Diff([]string{"a", "b"}, dels); d != "" {
		t.Fatalf("deletions (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]ObjectReference{{Name: "b", Namespace: "ns", UID: "ub"}, {Name: "c", Namespace: "ns", UID: "uc"}}, res.Status.Active); d != "" {
		t.Fatalf("status.active (-want +got):\n%s", d)
	}
	if !res.Status.LastScheduleTime.Equal(cj.Status.LastScheduleTime) || !res.StatusChanged {
		t.Fatalf("status %+v (changed %v)", res.Status, res.StatusChanged)
	}
	want := []string{"Normal SuccessfulDelete Deleted job a", "Warning FailedDelete Deleted job: forbidden"}
	if d := cmp.Diff(want, eventTexts(res)); d != "" {
		t.Fatalf("events (-want +got):\n%s", d)
	}
}

// syncCronJob: a create the API server refuses (other than AlreadyExists)
// records FailedCreate ("Error creating job") and fails the pass with the
// status made before it; in a terminating namespace it records nothing.
func TestCreateJobRefusedFailsThePass(t *testing.T) {
	cj := base("0 * * * *")
	cj.Status.LastScheduleTime = utc("2016-05-19T09:00:00Z")
	jobs := []Job{complete("done", "ud", "2016-05-19T09:00:01Z", "2016-05-19T09:00:30Z")}
	cj.Status.Active = []ObjectReference{{Name: "done", Namespace: "ns", UID: "ud"}}
	now := utc("2016-05-19T10:00:10Z")
	ok, err := CronDue(cj, jobs, now, Options{})
	if err != nil || ok.Create == nil {
		t.Fatalf("%v %+v", err, ok)
	}
	for _, terminating := range []bool{false, true} {
		res, err := CronDue(cj, jobs, now, Options{CreateFailed: errors.New("quota exceeded"), NamespaceTerminating: terminating})
		if err != nil {
			t.Fatal(err)
		}
		if res.Outcome != ReasonCreateFailed || !res.RequeueAt.IsZero() || res.Create == nil || res.Create.Name != ok.Create.Name {
			t.Fatalf("outcome %s, requeue %s, create %+v", res.Outcome, res.RequeueAt, res.Create)
		}
		// The bookkeeping before the create stands: the finished Job
		// leaves active and lastSuccessfulTime moves; the run is not
		// recorded.
		want := Status{LastScheduleTime: cj.Status.LastScheduleTime, LastSuccessfulTime: utc("2016-05-19T09:00:30Z")}
		if d := cmp.Diff(want, res.Status, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("status (-want +got):\n%s", d)
		}
		evs := []string{"Normal SawCompletedJob Saw completed job: done, condition: Complete"}
		if !terminating {
			evs = append(evs, "Warning FailedCreate Error creating job: quota exceeded")
		}
		if d := cmp.Diff(evs, eventTexts(res)); d != "" {
			t.Fatalf("terminating %v: events (-want +got):\n%s", terminating, d)
		}
	}
}
