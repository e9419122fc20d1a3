package cronjob

import (
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"

	pure "github.com/purectl/purectl/cronjob"
)

// scanLimit bounds the minute-by-minute scan that judges the estimate; a
// pass whose window is longer is not judged.
const scanLimit = 100000

// manyMissed is the controller's missedSchedulesType for more than 100
// estimated misses.
const manyMissed = 2

// starBit marks a cron field written as "*" in robfig/cron's bit masks.
const starBit = 1 << 63

// exactTally counts how the estimate fared in the passes judged.
var exactTally struct{ judged, right, wrong int }

// truth is the definition of a schedule, independent of any search: a cron
// schedule runs at every minute whose wall-clock time in its zone matches
// the fields (so a wall time that daylight saving skips never runs and one
// it repeats runs twice, which is Kubernetes' behaviour); "@every d" runs
// at the reference time (seconds dropped) plus d, 2d, and so on.
type truth struct {
	spec  *cron.SpecSchedule
	every time.Duration
}

func newTruth(s cron.Schedule) truth {
	switch s := s.(type) {
	case *cron.SpecSchedule:
		return truth{spec: s}
	case cron.ConstantDelaySchedule:
		return truth{every: s.Delay}
	}
	panic("unknown schedule type")
}

func bit(mask uint64, v int) bool { return mask&(1<<uint(v)) != 0 }

func (tr truth) matches(t time.Time) bool {
	loc := tr.spec.Location
	if loc == time.Local {
		loc = time.UTC // the zone of the times the controller is handed
	}
	w := t.In(loc)
	s := tr.spec
	if w.Second() != 0 || !bit(s.Minute, w.Minute()) || !bit(s.Hour, w.Hour()) || !bit(s.Month, int(w.Month())) {
		return false
	}
	dom, dow := bit(s.Dom, w.Day()), bit(s.Dow, int(w.Weekday()))
	if s.Dom&starBit != 0 || s.Dow&starBit != 0 {
		return dom && dow
	}
	return dom || dow
}

// runs counts the runs in (since, upTo] and finds the latest; ok is false
// when the window is too long to scan.
func (tr truth) runs(since, upTo time.Time) (n int, latest time.Time, ok bool) {
	if tr.every > 0 {
		first := since.Truncate(time.Second).Add(tr.every)
		if first.After(upTo) {
			return 0, time.Time{}, true
		}
		k := int(upTo.Sub(first) / tr.every)
		return k + 1, first.Add(time.Duration(k) * tr.every), true
	}
	if upTo.Sub(since) > scanLimit*time.Minute {
		return 0, time.Time{}, false
	}
	for t := since.Truncate(time.Minute).Add(time.Minute); !t.After(upTo); t = t.Add(time.Minute) {
		if tr.matches(t) {
			n++
			latest = t
		}
	}
	return n, latest, true
}

// next is the first run after t of the sequence anchored at ref; ok is
// false when none comes within the scan limit.
func (tr truth) next(ref, t time.Time) (time.Time, bool) {
	if tr.every > 0 {
		first := ref.Truncate(time.Second).Add(tr.every)
		if first.After(t) {
			return first, true
		}
		return first.Add((t.Sub(first)/tr.every + 1) * tr.every), true
	}
	from := t
	if ref.After(from) {
		from = ref
	}
	r := from.Truncate(time.Minute).Add(time.Minute)
	for range scanLimit {
		if tr.matches(r) {
			return r, true
		}
		r = r.Add(time.Minute)
	}
	return time.Time{}, false
}

// exactAgrees is the second property: Options.Exact agrees with the
// default mode (which the pass just proved equal to the controller)
// wherever the controller's estimate is right, and finds the true runs
// where it is not.
//
// How "right" is decided: the definition of the schedule (truth) is
// evaluated by brute force, minute by minute over the window the
// controller searches (from lastScheduleTime or the creation time, raised
// to now minus startingDeadlineSeconds, up to now). The estimate is right
// on a pass when mostRecentScheduleTime, called on the same CronJob,
// returns no error and the truly latest run (or none when there is none),
// its missed count is on the same side of 100 as the true count (that
// decides TooManyMissedTimes), and the controller's wake-up is the first
// true run after now (or after lastScheduleTime when a skewed clock put it
// ahead). The wake-up needs its own check because robfig/cron's Next, on
// which the estimate walks, can skip a run beside a half-hour daylight
// saving change (Lord Howe).
func exactAgrees(t tb, c *cluster, up upstreamPass, def pure.Result) {
	t.Helper()
	if up.err != nil || c.cj.Spec.Suspend != nil && *c.cj.Spec.Suspend || c.cj.DeletionTimestamp != nil {
		return
	}
	switch def.Outcome {
	case pure.ReasonUnknownTimeZone, pure.ReasonUnparseableSchedule:
		return // the pass stops before it looks for runs, in both modes
	}
	sched, err := cron.ParseStandard(scheduleText(c.cj))
	if err != nil {
		return
	}
	tr := newTruth(sched)
	since, pick, missed, estErr := mostRecentScheduleTime(c.cj, c.now, sched, true)
	n, latest, ok := tr.runs(since, c.now)
	if !ok {
		return
	}
	ref := c.cj.CreationTimestamp.Time
	if c.cj.Status.LastScheduleTime != nil {
		ref = c.cj.Status.LastScheduleTime.Time
	}
	ex := purectlPass(t, c, true)
	switch {
	case ex.Create != nil:
		ref = ex.Create.ScheduledTime // the wake-up is computed after the run is recorded
	case ex.Outcome == pure.ReasonAdoptedExistingJob:
		ref = ex.Status.LastScheduleTime // 1.37 records the existing Job's run, as a create would
	}
	next, nextOK := tr.next(ref, c.now)
	exactTally.judged++
	right := estErr == nil && (missed == manyMissed) == (n > 100) &&
		(pick == nil && n == 0 || pick != nil && n > 0 && pick.Equal(latest))
	if nextOK && def.RequeueAt.IsZero() != next.IsZero() || nextOK && !def.RequeueAt.IsZero() && !def.RequeueAt.Equal(next.Add(100*time.Millisecond)) {
		right = false
	}
	if right {
		exactTally.right++
		opts := []cmp.Option{cmpopts.EquateEmpty(), cmpopts.IgnoreFields(pure.Result{}, "Runs", "Message"), cmpopts.IgnoreFields(pure.JobCreation{}, "Message")}
		if d := cmp.Diff(def, ex, opts...); d != "" {
			t.Fatalf("at %s, schedule %q zone %s: the estimate is right (%v) but Exact differs (-default +exact):\n%s",
				c.now, c.cj.Spec.Schedule, ptrString(c.cj.Spec.TimeZone), latest, d)
		}
		return
	}
	exactTally.wrong++
	if estErr != nil && n == 0 {
		// A schedule that never fires: the exact mode reports it as the
		// controller does (InvalidSchedule), with nothing due.
		if ex.Outcome != def.Outcome {
			t.Fatalf("at %s, schedule %q: never fires, exact outcome %s, controller %s", c.now, c.cj.Spec.Schedule, ex.Outcome, def.Outcome)
		}
		return
	}
	if ex.Runs.Due != int64(n) || !ex.Runs.Latest.Equal(latest) {
		t.Fatalf("at %s, schedule %q zone %s since %s: the scan finds %d runs, latest %s; Exact %d, latest %s",
			c.now, c.cj.Spec.Schedule, ptrString(c.cj.Spec.TimeZone), since, n, latest, ex.Runs.Due, ex.Runs.Latest)
	}
	if ex.Create != nil && !ex.Create.ScheduledTime.Equal(latest) {
		t.Fatalf("at %s, schedule %q: Exact starts %s, the latest run is %s", c.now, c.cj.Spec.Schedule, ex.Create.ScheduledTime, latest)
	}
	if n > 0 && ex.Create == nil && ex.Outcome != pure.ReasonAlreadyStarted && ex.Outcome != pure.ReasonMissSchedule &&
		ex.Outcome != pure.ReasonNameTaken && ex.Outcome != pure.ReasonAdoptedExistingJob && // 1.37: the due run's Job exists and is recorded
		ex.Outcome != pure.ReasonReplaceFailed && // a refused Replace delete ends the pass before the create
		c.cj.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
		t.Fatalf("at %s, schedule %q: a run is due (%s) and Exact starts none: %s %s", c.now, c.cj.Spec.Schedule, latest, ex.Outcome, ex.Message)
	}
	if nextOK && !ex.RequeueAt.IsZero() && !ex.RequeueAt.Equal(next.Add(100*time.Millisecond)) {
		t.Fatalf("at %s, schedule %q zone %s: the next run after %s is %s, Exact wakes at %s (outcome %s: %s; default wakes at %s)",
			c.now, c.cj.Spec.Schedule, ptrString(c.cj.Spec.TimeZone), ref, next, ex.RequeueAt, ex.Outcome, ex.Message, def.RequeueAt)
	}
}
