package cronjob_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/purectl/purectl/cronjob"
)

func show(res cronjob.Result) {
	fmt.Println("outcome:", res.Outcome)
	if res.Create != nil {
		fmt.Println("create:", res.Create.Name, "for", res.Create.ScheduledTime.Format(time.RFC3339))
	}
	for _, d := range res.Deletions {
		fmt.Println("delete:", d.Name, "("+d.Reason+")")
	}
	for _, e := range res.Events {
		fmt.Printf("event: %s %s: %s\n", e.Type, e.Reason, e.Message)
	}
	fmt.Println("active:", len(res.Status.Active), "lastScheduleTime:", res.Status.LastScheduleTime.Format(time.RFC3339))
	fmt.Println("requeue at:", res.RequeueAt.Format("15:04:05.000"))
}

// An every-minute CronJob with concurrencyPolicy Forbid: the 10:01 run
// starts; at 10:02 the first Job is still running, so the 10:02 run waits.
func ExampleCronDue_forbid() {
	created := time.Date(2026, 3, 2, 10, 0, 30, 0, time.UTC)
	cj := cronjob.CronJob{
		Name: "report", Namespace: "default", CreationTimestamp: created,
		Spec: cronjob.Spec{Schedule: "* * * * *", ConcurrencyPolicy: cronjob.ForbidConcurrent},
	}
	res, err := cronjob.CronDue(cj, nil, created.Add(40*time.Second), cronjob.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	show(res)

	// The caller created the Job; it is still running a minute later.
	cj.Status = res.Status
	cj.Status.Active[0].UID = "uid-1"
	running := cronjob.Job{Name: res.Create.Name, Namespace: "default", UID: "uid-1"}
	res, _ = cronjob.CronDue(cj, []cronjob.Job{running}, created.Add(100*time.Second), cronjob.Options{})
	fmt.Println("--")
	show(res)
	// Output:
	// outcome: RunStarted
	// create: report-29540761 for 2026-03-02T10:01:00Z
	// event: Normal SuccessfulCreate: Created job report-29540761
	// active: 1 lastScheduleTime: 2026-03-02T10:01:00Z
	// requeue at: 10:02:00.100
	// --
	// outcome: JobAlreadyActive
	// event: Normal JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid
	// active: 1 lastScheduleTime: 2026-03-02T10:01:00Z
	// requeue at: 10:03:00.100
}

// A controller that was down from Friday morning to Monday catches up: only
// the most recent missed run starts. "0,30 9 * * 1-5" last ran Thursday
// 09:30. On Monday 08:50 Kubernetes' estimate (a 30-minute period from the
// first two runs, so 143 missed runs) searches from Monday 08:30 and finds
// nothing, skipping Friday entirely; the exact computation finds the two
// Friday runs and starts the 09:30 one.
func ExampleCronDue_catchUp() {
	thursday := time.Date(2026, 3, 5, 9, 30, 0, 0, time.UTC)
	cj := cronjob.CronJob{
		Name: "standup", Namespace: "team", CreationTimestamp: thursday.Add(-time.Hour),
		Spec:   cronjob.Spec{Schedule: "0,30 9 * * 1-5"},
		Status: cronjob.Status{LastScheduleTime: thursday},
	}
	monday := time.Date(2026, 3, 9, 8, 50, 0, 0, time.UTC)
	for _, exact := range []bool{false, true} {
		res, err := cronjob.CronDue(cj, nil, monday, cronjob.Options{Exact: exact})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("exact=%v: due %d, latest %s; Kubernetes estimates %d\n", exact,
			res.Runs.Due, res.Runs.Latest.Format("Mon 15:04"), res.Runs.Estimated)
		show(res)
	}
	// Output:
	// exact=false: due 2, latest Fri 09:30; Kubernetes estimates 144
	// outcome: NotDue
	// active: 0 lastScheduleTime: 2026-03-05T09:30:00Z
	// requeue at: 09:00:00.100
	// exact=true: due 2, latest Fri 09:30; Kubernetes estimates 144
	// outcome: RunStarted
	// create: standup-29546490 for 2026-03-06T09:30:00Z
	// event: Normal SuccessfulCreate: Created job standup-29546490
	// active: 1 lastScheduleTime: 2026-03-06T09:30:00Z
	// requeue at: 09:00:00.100
}

// A CronJob stored before validation tightened, with a legacy time-zone
// prefix and spec.timeZone both set: the API server would refuse its next
// write, but the controller runs it, and so does CronDue, evaluating the
// prefix. What validation rejects comes back as warnings.
func ExampleCronDue_warnings() {
	cj := cronjob.Default(cronjob.CronJob{
		Name: "legacy", Namespace: "ops", CreationTimestamp: time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC),
		Spec: cronjob.Spec{Schedule: "CRON_TZ=Europe/Paris 0 9 * * *", TimeZone: ptr("Asia/Tokyo")},
	}, cronjob.Release{})
	res, err := cronjob.CronDue(cj, nil, time.Date(2026, 3, 2, 8, 0, 30, 0, time.UTC), cronjob.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	show(res)
	for _, w := range res.Warnings {
		fmt.Println("warning:", w)
	}
	// Output:
	// outcome: RunStarted
	// create: legacy-29540640 for 2026-03-02T08:00:00Z
	// event: Warning UnsupportedSchedule: CRON_TZ or TZ used in schedule "CRON_TZ=Europe/Paris 0 9 * * *" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details
	// event: Normal SuccessfulCreate: Created job legacy-29540640
	// active: 1 lastScheduleTime: 2026-03-02T08:00:00Z
	// requeue at: 08:00:00.100
	// warning: spec.schedule: Invalid value: "CRON_TZ=Europe/Paris 0 9 * * *": cannot use both timeZone field and TZ or CRON_TZ in schedule
}

// Default applies the batch/v1 defaults the API server stores: without
// them the controller keeps every finished Job (nil history limits) and
// validation requires concurrencyPolicy.
func ExampleDefault() {
	cj := cronjob.Default(cronjob.CronJob{Name: "report", Namespace: "team", Spec: cronjob.Spec{Schedule: "@daily"}}, cronjob.Release{})
	fmt.Println(cj.Spec.ConcurrencyPolicy, *cj.Spec.SuccessfulJobsHistoryLimit, *cj.Spec.FailedJobsHistoryLimit)
	fmt.Println(cronjob.Validate(cj, cronjob.Release{}))
	// Output:
	// Allow 3 1
	// <nil>
}

func ptr[T any](v T) *T { return &v }

// A pass whose status write was lost: the 09:00 Job exists but
// status.active does not list it, and the cache does not show it yet, so
// the caller's create is refused with AlreadyExists and it asks again with
// the Job it read back. Up to 1.36 the controller's own read-back looks in
// the wrong namespace and the pass fails (retried with backoff); 1.37
// records the Job in status.active and waits for the next run.
func ExampleCronDue_releases() {
	cj := cronjob.Default(cronjob.CronJob{Name: "report", Namespace: "team", UID: "cj-1",
		CreationTimestamp: time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC),
		Spec:              cronjob.Spec{Schedule: "0 * * * *"}}, cronjob.Release{})
	now := time.Date(2026, 3, 2, 9, 0, 5, 0, time.UTC)
	existing := cronjob.Job{Name: cronjob.JobName("report", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), Namespace: "team", UID: "job-1"}
	for _, rel := range []string{"1.36", "1.37"} {
		res, err := cronjob.CronDue(cj, nil, now, cronjob.Options{
			Release: cronjob.Release{Version: rel}, AlreadyExistsJobs: []cronjob.Job{existing}})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(rel+":", res.Outcome, "active:", res.Status.Active, "requeue:", res.RequeueAt.Format("15:04:05.000"))
	}
	// Output:
	// 1.36: NameTaken active: [] requeue: 00:00:00.000
	// 1.37: AdoptedExistingJob active: [{report-29540700 team job-1}] requeue: 10:00:00.100
}

// The API server refuses the Job create (a quota, say): asked again with
// the refusal, the pass records FailedCreate and leaves the run unrecorded,
// so the controller's retry starts it.
func ExampleCronDue_refusedCreate() {
	created := time.Date(2026, 3, 2, 10, 0, 30, 0, time.UTC)
	cj := cronjob.Default(cronjob.CronJob{Name: "report", Namespace: "default", CreationTimestamp: created,
		Spec: cronjob.Spec{Schedule: "* * * * *"}}, cronjob.Release{})
	now := created.Add(40 * time.Second)
	res, err := cronjob.CronDue(cj, nil, now, cronjob.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("planned:", res.Create.Name)
	// The create fails: ask again with its error.
	res, err = cronjob.CronDue(cj, nil, now, cronjob.Options{CreateFailed: errors.New(`exceeded quota: jobs`)})
	if err != nil {
		fmt.Println(err)
		return
	}
	show(res)
	// Output:
	// planned: report-29540761
	// outcome: CreateFailed
	// create: report-29540761 for 2026-03-02T10:01:00Z
	// event: Warning FailedCreate: Error creating job: exceeded quota: jobs
	// active: 0 lastScheduleTime: 0001-01-01T00:00:00Z
	// requeue at: 00:00:00.000
}
