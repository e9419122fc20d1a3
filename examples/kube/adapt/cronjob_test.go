package adapt

import (
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/purectl/purectl/cronjob"
)

// The documentation's hello CronJob under Forbid, driven every 30 seconds
// through the adapters, with Jobs that run 90 seconds: never two Jobs run at
// once, a run that finds one active waits and starts once it finishes (there
// is no starting deadline), starts are at least 90 seconds apart, and the
// history keeps at most 3 successful Jobs (the API default, applied with
// cronjob.Default since the manifest is not stored).
func TestForbidCronJobThroughAdapters(t *testing.T) {
	k := readOne[*batchv1.CronJob](t, "cronjob.yaml", "CronJob")
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	k.Namespace, k.UID, k.CreationTimestamp = "default", types.UID("cj-uid"), metav1.NewTime(start.Add(-30*time.Second))
	k.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	var jobs []*batchv1.Job
	var starts []time.Time
	waited := false
	for now := start.Add(time.Second); now.Before(start.Add(20 * time.Minute)); now = now.Add(30 * time.Second) {
		// Jobs finish 90 seconds after their scheduled time.
		running := 0
		for _, j := range jobs {
			if j.Status.CompletionTime == nil && !now.Before(j.CreationTimestamp.Add(90*time.Second)) {
				done := metav1.NewTime(j.CreationTimestamp.Add(90 * time.Second))
				j.Status.CompletionTime = &done
				j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: v1.ConditionTrue}}
			}
			if j.Status.CompletionTime == nil {
				running++
			}
		}
		if running > 1 {
			t.Fatalf("%s: %d Jobs run at once under Forbid", now, running)
		}
		var observed []cronjob.Job
		for _, j := range jobs {
			observed = append(observed, CronJobJob(j))
		}
		res, err := cronjob.CronDue(cronjob.Default(CronJob(k), cronjob.Release{}), observed, now, cronjob.Options{Zone: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range res.Deletions {
			for i, j := range jobs {
				if j.Name == d.Name {
					jobs = append(jobs[:i], jobs[i+1:]...)
					break
				}
			}
		}
		waited = waited || res.Outcome == cronjob.ReasonJobAlreadyActive
		k.Status = CronJobStatus(res.Status)
		if res.Create != nil {
			j := CronJobJobFor(k, res.Create)
			j.UID, j.CreationTimestamp = types.UID("uid-"+j.Name), metav1.NewTime(now)
			RecordCreatedJob(&k.Status, j)
			jobs = append(jobs, j)
			if n := len(starts); n > 0 && now.Sub(starts[n-1]) < 90*time.Second {
				t.Fatalf("%s: a run started %s after the previous one", now, now.Sub(starts[n-1]))
			}
			starts = append(starts, now)
		}
		succeeded := 0
		for _, j := range jobs {
			if j.Status.CompletionTime != nil {
				succeeded++
			}
		}
		if succeeded > 3 {
			t.Fatalf("%s: %d successful Jobs kept, the limit is 3", now, succeeded)
		}
	}
	// A run every 90 seconds at best, every 2 minutes at worst (a run
	// waits for the next 30-second pass).
	if len(starts) < 10 || len(starts) > 14 || !waited {
		t.Fatalf("%d runs started in 20 minutes, some waited: %v", len(starts), waited)
	}
}
