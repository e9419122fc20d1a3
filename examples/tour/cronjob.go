package main

import (
	"fmt"
	"io"
	"time"

	"github.com/purectl/purectl/cronjob"
)

func init() { register(40, "CronJob: which run is due", cronJobChapter) }

// cronJobChapter drives an every-minute Forbid CronJob through a few passes
// on a simulated clock, then shows a catch-up after downtime where
// Kubernetes' estimate misses the due run and the exact count finds it.
func cronJobChapter(w io.Writer) error {
	start := time.Date(2026, 3, 2, 10, 0, 20, 0, time.UTC)
	cj := cronjob.Default(cronjob.CronJob{Name: "report", Namespace: "default", CreationTimestamp: start,
		Spec: cronjob.Spec{Schedule: "* * * * *", ConcurrencyPolicy: cronjob.ForbidConcurrent}})
	var jobs []cronjob.Job
	fmt.Fprintln(w, `CronJob "report", schedule "* * * * *", concurrencyPolicy Forbid:`)
	steps := []struct {
		at     time.Duration
		finish bool
	}{{50 * time.Second, false}, {110 * time.Second, false}, {130 * time.Second, true}, {170 * time.Second, false}}
	for i, s := range steps {
		now := start.Add(s.at)
		if s.finish && len(jobs) > 0 {
			jobs[0].Conditions = []cronjob.JobCondition{{Type: cronjob.JobComplete, Status: cronjob.ConditionTrue}}
			jobs[0].CompletionTime = now
			fmt.Fprintf(w, "  %s  job %s completes\n", now.Format("15:04:05"), jobs[0].Name)
		}
		res, err := cronjob.CronDue(cj, jobs, now, cronjob.Options{})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s  pass %d: %s — %s\n", now.Format("15:04:05"), i+1, res.Outcome, res.Message)
		for _, e := range res.Events {
			fmt.Fprintf(w, "            event %s %s: %s\n", e.Type, e.Reason, e.Message)
		}
		cj.Status = res.Status
		if res.Create != nil {
			uid := fmt.Sprintf("uid-%d", i)
			jobs = append(jobs, cronjob.Job{Name: res.Create.Name, Namespace: res.Create.Namespace, UID: uid, StartTime: now})
			cj.Status.Active[len(cj.Status.Active)-1].UID = uid
		}
		fmt.Fprintf(w, "            active %d, lastScheduleTime %s, ask again at %s\n",
			len(cj.Status.Active), cj.Status.LastScheduleTime.Format("15:04"), res.RequeueAt.Format("15:04:05.0"))
	}

	fmt.Fprintln(w, "\nCatch-up: \"0,30 9 * * 1-5\" last ran Thursday 09:30; the controller returns Monday 08:50.")
	thursday := time.Date(2026, 3, 5, 9, 30, 0, 0, time.UTC)
	standup := cronjob.CronJob{Name: "standup", Namespace: "team", CreationTimestamp: thursday.Add(-time.Hour),
		Spec: cronjob.Spec{Schedule: "0,30 9 * * 1-5"}, Status: cronjob.Status{LastScheduleTime: thursday}}
	monday := time.Date(2026, 3, 9, 8, 50, 0, 0, time.UTC)
	for _, exact := range []bool{false, true} {
		res, err := cronjob.CronDue(standup, nil, monday, cronjob.Options{Exact: exact})
		if err != nil {
			return err
		}
		mode := "Kubernetes estimate"
		if exact {
			mode = "exact             "
		}
		fmt.Fprintf(w, "  %s: %s — %s\n", mode, res.Outcome, res.Message)
		if !exact {
			fmt.Fprintf(w, "    estimated %d missed runs; exactly %d were due, the latest %s\n",
				res.Runs.Estimated, res.Runs.Due, res.Runs.Latest.Format("Mon 15:04"))
		}
	}

	fmt.Fprintln(w, "\nExact counting: runs of \"* * * * *\" in the year after 2025-03-01 12:00:30 UTC:")
	s, err := cronjob.ParseSchedule("* * * * *", nil)
	if err != nil {
		return err
	}
	after := time.Date(2025, 3, 1, 12, 0, 30, 0, time.UTC)
	n, last := s.Runs(after, after.AddDate(1, 0, 0))
	fmt.Fprintf(w, "  %d runs, the latest at %s (no walk over them)\n", n, last.Format(time.RFC3339))

	fmt.Fprintln(w, "\nLint:")
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		return err
	}
	for _, spec := range []string{"0 0 30 2 *", "0 0 13 * 5", "30 2 * * *"} {
		for _, f := range cronjob.Lint(spec, ny) {
			fmt.Fprintf(w, "  %-12q %s: %s\n", spec, f.Code, f.Message)
		}
	}
	return nil
}
