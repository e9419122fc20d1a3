package bench

import (
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/purectl/purectl/cronjob"
)

// walkRuns counts the runs in (after, upTo] and finds the latest by walking
// robfig/cron's Next one run at a time: what any exact answer costs without
// counting arithmetic.
func walkRuns(s cron.Schedule, after, upTo time.Time) (n int64, last time.Time) {
	for t := s.Next(after); !t.After(upTo); t = s.Next(t) {
		n++
		last = t
	}
	return n, last
}

// BenchmarkMissedRunsOneYear counts the runs of "* * * * *" missed over a
// one-year gap and finds the latest, exactly: purectl's arithmetic against
// the walk.
func BenchmarkMissedRunsOneYear(b *testing.B) {
	const spec = "* * * * *"
	ours, err := cronjob.ParseSchedule(spec, time.UTC)
	if err != nil {
		b.Fatal(err)
	}
	theirs, err := cron.ParseStandard(spec)
	if err != nil {
		b.Fatal(err)
	}
	after := time.Date(2025, 11, 23, 10, 0, 30, 0, time.UTC)
	upTo := after.AddDate(1, 0, 0)
	n1, l1 := ours.Runs(after, upTo)
	n2, l2 := walkRuns(theirs, after, upTo)
	if n1 != n2 || !l1.Equal(l2) || n1 != 525600 {
		b.Fatalf("purectl %d runs, latest %s; walk %d, latest %s", n1, l1, n2, l2)
	}
	b.Run("purectl", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			ours.Runs(after, upTo)
		}
	})
	b.Run("walk", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			walkRuns(theirs, after, upTo)
		}
	})
}
