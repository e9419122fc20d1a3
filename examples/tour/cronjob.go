package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/purectl/purectl/cronjob"
	"github.com/purectl/purectl/job"
	"github.com/purectl/purectl/sim"
)

func init() { register(40, "CronJob: which run is due", cronJobChapter) }

// cronJobChapter drives an every-minute Forbid CronJob through a few passes
// on a simulated clock, then shows a catch-up after downtime where
// Kubernetes' estimate misses the due run and the exact count finds it.
func cronJobChapter(w io.Writer) error {
	start := time.Date(2026, 3, 2, 10, 0, 20, 0, time.UTC)
	fmt.Fprintln(w, `CronJob "report", schedule "* * * * *", concurrencyPolicy Forbid, whose runs take 80s,`)
	fmt.Fprintln(w, "over five minutes: a run that comes due while one is active waits; once that one finishes,")
	fmt.Fprintln(w, "the run still due starts at once, late.")
	world := &sim.World{Now: start, Lifecycle: sim.Lifecycle{Run: 80 * time.Second},
		CronJobs: []sim.CronJob{{CronJob: cronjob.CronJob{Name: "report", Namespace: "default", CreationTimestamp: start,
			Spec: cronjob.Spec{Schedule: "* * * * *", ConcurrencyPolicy: cronjob.ForbidConcurrent}},
			JobSpec: job.Spec{Template: job.PodTemplate{RestartPolicy: job.RestartNever, Containers: []string{"report"}}}}}}
	tl, err := world.Run(start.Add(5*time.Minute), 1000)
	if err != nil {
		return err
	}
	for _, p := range tl.Passes {
		for _, a := range p.Actions {
			if !strings.HasPrefix(a.Object, "cronjob/") {
				continue
			}
			st := p.CronJobs[0]
			fmt.Fprintf(w, "  %s  %-6s %-17s %-22s active %d, lastScheduleTime %s\n", p.At.Format("15:04:05"), a.Verb, a.Target, a.Reason,
				st.Active, st.LastSchedule.Format("15:04"))
		}
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
