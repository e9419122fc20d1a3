package sim_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/purectl/purectl/cronjob"
	"github.com/purectl/purectl/job"
	"github.com/purectl/purectl/ptr"
	"github.com/purectl/purectl/sim"
)

func indexedJob(completions, parallelism, backoffLimit int32) sim.Job {
	return sim.Job{Job: job.Job{Name: "render", Namespace: "batch", Spec: job.Spec{
		Completions: ptr.To(completions), Parallelism: ptr.To(parallelism), BackoffLimit: ptr.To(backoffLimit),
		CompletionMode: job.Indexed,
		Template:       job.PodTemplate{RestartPolicy: job.RestartNever, Containers: []string{"main"}},
	}}}
}

// An Indexed Job driven to the end: whatever fails, no more pods run at once
// than parallelism allows, and the Job ends Complete with every index
// succeeded exactly when the failures stayed within backoffLimit.
func TestIndexedJobTrajectory(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		completions := int32(rapid.IntRange(1, 20).Draw(t, "completions"))
		parallelism := int32(rapid.IntRange(1, 6).Draw(t, "parallelism"))
		limit := int32(rapid.IntRange(0, 4).Draw(t, "backoffLimit"))
		failing := map[int]int{} // index -> attempts that fail
		for range rapid.IntRange(0, 4).Draw(t, "failingIndexes") {
			failing[rapid.IntRange(0, int(completions)-1).Draw(t, "index")] = rapid.IntRange(1, 2).Draw(t, "attempts")
		}
		life := sim.Lifecycle{Start: time.Duration(rapid.IntRange(0, 20).Draw(t, "start")) * time.Second,
			Run: time.Duration(rapid.IntRange(1, 120).Draw(t, "run")) * time.Second,
			ExitCode: func(p *sim.Pod) int32 {
				if p.Attempt < failing[p.Index] {
					return 1
				}
				return 0
			}}
		j := indexedJob(completions, parallelism, limit)
		j.Options.Release.Version = rapid.SampledFrom(releases).Draw(t, "release")
		w := &sim.World{Now: t0, Lifecycle: life, Jobs: []sim.Job{j}}
		tl, err := w.Run(t0.Add(24*time.Hour), 5000)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range tl.Passes {
			if r := p.Jobs[0].Running; r > int(parallelism) {
				t.Fatalf("%d pods running at %v, parallelism %d", r, p.At, parallelism)
			}
		}
		if !tl.Finished {
			t.Fatalf("job did not finish: %+v", tl.Passes[len(tl.Passes)-1].Jobs)
		}
		failures := 0
		for _, n := range failing {
			failures += n
		}
		end := tl.Passes[len(tl.Passes)-1].Jobs[0]
		succeeded := map[int]bool{}
		for _, p := range w.Pods {
			if p.Phase == sim.Succeeded {
				succeeded[p.Index] = true
			}
		}
		switch {
		case int32(failures) <= limit:
			if end.Condition != job.ConditionComplete || len(succeeded) != int(completions) {
				t.Fatalf("%d failures within backoffLimit %d, but %s with %d of %d indexes", failures, limit, end.Condition, len(succeeded), completions)
			}
		case end.Condition != job.ConditionFailed || end.Reason != job.Reason("BackoffLimitExceeded"):
			// Every failing attempt of the drawn indexes happens before their
			// success, so more failures than the limit always fail the Job.
			t.Fatalf("%d failures over backoffLimit %d, but %s (%s)", failures, limit, end.Condition, end.Reason)
		}
	})
}

// A Forbid CronJob whose runs outlast the schedule's period: runs never
// overlap, and without startingDeadlineSeconds a run that came due while
// the previous one was active starts late, as soon as that one finishes
// (the controller syncs on the Job's update and the missed time is still
// the most recent one), so the runs go back to back.
func TestForbidCronJobNeverOverlaps(t *testing.T) {
	const start, run = 5 * time.Second, 7 * time.Minute
	w := &sim.World{Now: t0, Lifecycle: sim.Lifecycle{Start: start, Run: run},
		CronJobs: []sim.CronJob{{CronJob: cronjob.CronJob{Name: "report", Namespace: "batch", CreationTimestamp: t0.Add(-time.Second),
			Spec: cronjob.Spec{Schedule: "*/5 * * * *", ConcurrencyPolicy: cronjob.ForbidConcurrent}},
			JobSpec: job.Spec{Template: job.PodTemplate{RestartPolicy: job.RestartNever, Containers: []string{"report"}}}}}}
	tl, err := w.Run(t0.Add(2*time.Hour), 10000)
	if err != nil {
		t.Fatal(err)
	}
	var starts []time.Duration
	for _, p := range tl.Passes {
		st := p.CronJobs[0]
		if st.Active > 1 {
			t.Fatalf("%d Jobs active at %v under Forbid", st.Active, p.At)
		}
		if st.Jobs > cronjob.DefaultSuccessfulJobsHistoryLimit+1 {
			t.Fatalf("%d Jobs kept at %v, history limit %d", st.Jobs, p.At, cronjob.DefaultSuccessfulJobsHistoryLimit)
		}
		for _, a := range p.Actions {
			if a.Object == "cronjob/batch/report" && a.Verb == "create" {
				starts = append(starts, p.At.Sub(t0))
			}
		}
	}
	for i, s := range starts {
		if want := time.Duration(i) * (start + run); s != want {
			t.Fatalf("run %d started at +%v, want +%v (back to back): %v", i, s, want, starts)
		}
	}
	if want := int(2*time.Hour/(start+run)) + 1; len(starts) != want {
		t.Fatalf("%d runs in two hours, want %d", len(starts), want)
	}
}

// Deleting a Job's TTL: a finished Job with ttlSecondsAfterFinished is
// removed with its pods once the TTL runs out.
func TestJobTTLRemovesJobAndPods(t *testing.T) {
	j := indexedJob(2, 2, 0)
	j.Spec.TTLSecondsAfterFinished = ptr.To(int32(60))
	w := &sim.World{Now: t0, Lifecycle: sim.Lifecycle{Run: 30 * time.Second}, Jobs: []sim.Job{j}}
	tl, err := w.Run(t0.Add(time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Jobs) != 0 || len(w.Pods) != 0 || !tl.Finished {
		t.Fatalf("jobs %d pods %d finished %v", len(w.Jobs), len(w.Pods), tl.Finished)
	}
	// The pods finish at +30s; the TTL of 60s runs from the Complete
	// condition, so the Job goes at +90s, not earlier.
	var deletedAt time.Duration = -1
	for _, p := range tl.Passes {
		for _, a := range p.Actions {
			if a.Verb == "delete" && a.Target == "render" {
				deletedAt = p.At.Sub(t0)
			}
		}
	}
	if deletedAt != 90*time.Second || !strings.Contains(fmt.Sprint(tl.Passes[0].Actions), "create") {
		t.Fatalf("job deleted at +%v", deletedAt)
	}
}
