package cronjob

import (
	"testing"
	"time"
)

// BenchmarkRunsOneYearEveryMinute: the exact count and latest run after a
// one-year gap on "* * * * *" (525,600 runs). Goal ≤ 10 µs.
func BenchmarkRunsOneYearEveryMinute(b *testing.B) {
	s, err := ParseSchedule("* * * * *", nil)
	if err != nil {
		b.Fatal(err)
	}
	after := time.Date(2025, 3, 1, 12, 0, 30, 0, time.UTC)
	upTo := after.AddDate(1, 0, 0)
	b.ReportAllocs()
	for b.Loop() {
		if n, _ := s.Runs(after, upTo); n != 525600 {
			b.Fatal(n)
		}
	}
}

// BenchmarkRunsOneYearEveryMinuteNewYork: the same in a DST zone (three
// zone periods).
func BenchmarkRunsOneYearEveryMinuteNewYork(b *testing.B) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		b.Fatal(err)
	}
	s, _ := ParseSchedule("* * * * *", ny)
	after := time.Date(2025, 3, 1, 12, 0, 30, 0, time.UTC)
	upTo := after.AddDate(1, 0, 0)
	b.ReportAllocs()
	for b.Loop() {
		s.Runs(after, upTo)
	}
}

// BenchmarkWalkOneYearEveryMinute is the brute force the exact count
// replaces: robfig/cron's Next 525,600 times.
func BenchmarkWalkOneYearEveryMinute(b *testing.B) {
	s, _ := ParseSchedule("* * * * *", nil)
	after := time.Date(2025, 3, 1, 12, 0, 30, 0, time.UTC)
	upTo := after.AddDate(1, 0, 0)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for t := s.KubernetesNext(after); !t.After(upTo); t = s.KubernetesNext(t) {
			n++
		}
		if n != 525600 {
			b.Fatal(n)
		}
	}
}

// BenchmarkCronDueOneYearGap: a whole pass, exact mode, after a year of
// downtime on "* * * * *" with Forbid and three finished jobs.
func BenchmarkCronDueOneYearGap(b *testing.B) {
	cj := base("* * * * *")
	cj.Spec.ConcurrencyPolicy = ForbidConcurrent
	cj.Status.LastScheduleTime = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	jobs := []Job{
		complete("a", "a", "2025-03-01T11:58:00Z", "2025-03-01T11:58:30Z"),
		complete("b", "b", "2025-03-01T11:59:00Z", "2025-03-01T11:59:30Z"),
		complete("c", "c", "2025-03-01T12:00:00Z", "2025-03-01T12:00:30Z"),
	}
	now := cj.Status.LastScheduleTime.AddDate(1, 0, 0).Add(30 * time.Second)
	for _, exact := range []bool{true, false} {
		name := "kubernetes"
		if exact {
			name = "exact"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := CronDue(cj, jobs, now, Options{Exact: exact}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// yearGap is the state of examples/kube/bench's BenchmarkCronJobYearGap:
// "* * * * *" in Europe/London, a year since the last run, 20 finished
// Jobs of which 16 go to the history limits.
func yearGap() (CronJob, []Job, time.Time) {
	now := time.Date(2026, 11, 23, 10, 0, 30, 0, time.UTC)
	last := now.AddDate(-1, 0, 0)
	cj := base("* * * * *")
	cj.Name, cj.Namespace = "report", "team"
	cj.CreationTimestamp = last.AddDate(0, -1, 0)
	cj.Spec.TimeZone = ptr("Europe/London")
	cj.Spec.JobTemplate.Labels = map[string]string{"app": "report"}
	cj.Status.LastScheduleTime = last
	var jobs []Job
	for i := range 20 {
		sched := last.Add(time.Duration(i-19) * time.Minute)
		name := JobName(cj.Name, sched)
		j := Job{Name: name, Namespace: "team", UID: "uid-" + name, StartTime: sched.Add(time.Second)}
		if i%3 == 2 {
			j.Conditions = []JobCondition{{JobFailed, ConditionTrue}}
		} else {
			j.Conditions = []JobCondition{{JobComplete, ConditionTrue}}
			j.CompletionTime = sched.Add(40 * time.Second)
		}
		if i >= 18 {
			cj.Status.Active = append(cj.Status.Active, ObjectReference{Name: name, Namespace: "team", UID: j.UID})
		}
		jobs = append(jobs, j)
	}
	return cj, jobs, now
}

// BenchmarkCronDueYearGapLondon is the pass examples/kube/bench times
// against the real controller, in the default (Kubernetes) mode.
func BenchmarkCronDueYearGapLondon(b *testing.B) {
	cj, jobs, now := yearGap()
	res, err := CronDue(cj, jobs, now, Options{})
	if err != nil || res.Create == nil || len(res.Deletions) != 16 {
		b.Fatalf("%v %+v", err, res)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CronDue(cj, jobs, now, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
