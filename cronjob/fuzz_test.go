package cronjob

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzParseSchedule: parsing never panics, and for a parsed schedule in UTC
// or a fixed zone the exact count and latest run agree with a short walk of
// robfig/cron's Next.
func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{"* * * * *", "0 0 30 2 *", "TZ=UTC", "CRON_TZ=Asia/Tokyo 0 9 * * 1-5", "@every 1m30s",
		"*/7 1-5/2 1,15 JAN-mar sun-TUE", "@yearly", "0 0 29 2 *", "TZ=Local * * * * *", "5-4 * * * *"} {
		f.Add(s, int64(1463652000), uint16(600), false)
	}
	f.Fuzz(func(t *testing.T, spec string, after int64, minutes uint16, fixed bool) {
		var zone *time.Location
		if fixed {
			zone = time.FixedZone("UTC+05:45", 5*3600+45*60)
		}
		s, err := ParseSchedule(spec, zone)
		if err != nil {
			return
		}
		start := time.Unix(after%(1<<36), 0).UTC()
		end := start.Add(time.Duration(minutes) * time.Minute)
		n, last := s.Runs(start, end)
		if n < 0 || (n == 0) != last.IsZero() {
			t.Fatalf("count %d with last %s", n, last)
		}
		if !last.IsZero() && (!last.After(start) || last.After(end)) {
			t.Fatalf("last %s outside (%s, %s]", last, start, end)
		}
		_ = s.Next(end)
		_ = Lint(spec, zone)
		if strings.Contains(spec, "TZ") || start.Year() < 1900 || start.Year() > 2200 || n > 5000 {
			return // keep the walk short, in plain zones and years
		}
		var wn int64
		var wl time.Time
		for u := s.KubernetesNext(start); !u.IsZero() && !u.After(end); u = s.KubernetesNext(u) {
			wn++
			wl = u
		}
		if wn != n || !wl.Equal(last) {
			t.Fatalf("%q (%s, %s]: Runs %d %s, walk %d %s", spec, start, end, n, last, wn, wl)
		}
	})
}

// FuzzCronDue: any CronJob, Jobs and time give a result or an error, never
// a panic; a result has an outcome; the error comes only from a negative
// history limit (the one thing the controller cannot process), whatever
// else validation rejects.
func FuzzCronDue(f *testing.F) {
	f.Add("* * * * *", "Forbid", int64(-1), int64(1463652000), int64(1463655600), int64(3), uint8(5), true)
	f.Add("0,30 9 * * 1-5", "Replace", int64(60), int64(0), int64(1463655600), int64(-1), uint8(2), false)
	f.Add("@every 90m", "", int64(0), int64(1<<40), int64(-1<<40), int64(0), uint8(0), true)
	f.Fuzz(func(t *testing.T, schedule, policy string, deadline, last, now, limit int64, njobs uint8, exact bool) {
		cj := base(schedule)
		cj.Spec.ConcurrencyPolicy = ConcurrencyPolicy(policy)
		if deadline >= 0 {
			cj.Spec.StartingDeadlineSeconds = &deadline
		}
		if limit >= -1 {
			l := int32(limit)
			cj.Spec.SuccessfulJobsHistoryLimit = &l
		}
		if last != 0 {
			cj.Status.LastScheduleTime = time.Unix(last%(1<<40), 0)
		}
		nowT := time.Unix(now%(1<<40), 0)
		var jobs []Job
		for i := 0; i < int(njobs%8); i++ {
			j := Job{Name: "j" + string(rune('a'+i)), Namespace: "ns", UID: string(rune('A' + i)), StartTime: nowT.Add(-time.Duration(i) * time.Minute)}
			switch i % 3 {
			case 1:
				j.Conditions = []JobCondition{{JobComplete, ConditionTrue}}
				j.CompletionTime = nowT
			case 2:
				j.Conditions = []JobCondition{{JobFailed, ConditionTrue}}
			}
			if i%2 == 0 {
				cj.Status.Active = append(cj.Status.Active, ObjectReference{Name: j.Name, Namespace: "ns", UID: j.UID})
			}
			jobs = append(jobs, j)
		}
		// The release comes from the Job count's high bits, so that the
		// corpus keeps its shape.
		rel := Release{Version: releases[int(njobs/8)%len(releases)]}
		res, err := CronDue(cj, jobs, nowT, Options{Exact: exact, Release: rel})
		if err == nil && res.Outcome == "" {
			t.Fatal("result without outcome")
		}
		// Errors only where the controller crashes: a negative limit, and
		// on 1.34 a schedule robfig/cron panics on.
		crash := limit == -1 || crashesParser(schedule) && rel.Version == "1.34"
		if (err != nil) != crash {
			t.Fatalf("release %s, limit %d, schedule %q: error %v", rel.Version, limit, schedule, err)
		}
		if err != nil {
			return
		}
		// The same pass with its writes refused: every other deletion and
		// the create. It never errors, and a refused create or Replace
		// deletion fails the pass without recording the run.
		opts := Options{Exact: exact, Release: rel, FailedDeletes: map[string]error{}, CreateFailed: errors.New("refused")}
		for i, d := range res.Deletions {
			if i%2 == 0 {
				opts.FailedDeletes[d.Name] = errors.New("refused")
			}
		}
		again, err := CronDue(cj, jobs, nowT, opts)
		if err != nil {
			t.Fatalf("with refused writes: %v", err)
		}
		if res.Create != nil {
			if again.Outcome != ReasonCreateFailed && again.Outcome != ReasonReplaceFailed {
				t.Fatalf("refused create: outcome %s", again.Outcome)
			}
			if !again.Status.LastScheduleTime.Equal(cj.Status.LastScheduleTime) || !again.RequeueAt.IsZero() {
				t.Fatalf("a failed pass recorded the run: %+v, requeue %s", again.Status, again.RequeueAt)
			}
		}
	})
}
