package cronjob

import (
	"math"
	"time"
)

// The exact run computations. A cron schedule fires at every whole wall-clock
// minute that matches its fields. Inside one zone period (a stretch of time
// with a constant UTC offset) wall time is UTC shifted by the offset, so the
// runs in that stretch are the matching minutes of a plain calendar interval
// and can be counted field by field: matching days per month from bit masks
// (31-bit day masks built from the weekday of the 1st), matching minutes per
// day from the hour and minute masks. A window is split at the zone's
// transitions (time.Time.ZoneBounds), which is also where the DST policy
// applies: a fall-back repeats a wall interval in the next period, a
// spring-forward leaves a wall interval out.

// maxAbsSeconds bounds the instants the exact computations reason about
// (about ±1.1 million years) so that the arithmetic cannot overflow; later
// or earlier times are clamped.
const maxAbsSeconds = int64(1) << 45

// periodicFrom is 2100-01-01T00:00:00Z. From there on every zone follows
// its final yearly rule, so the zone and the calendar together repeat every
// 400 years and long windows are counted cycle by cycle.
const periodicFrom = 4102444800

// searchMonths caps the month-by-month search for the previous or next
// matching day (a leap-day schedule can wait eight years; 4,800 months is
// a whole 400-year cycle, after which nothing new can match).
const searchMonths = 4801

// searchZones caps the number of zone periods a previous/next search walks.
const searchZones = 4000

func clampSeconds(u int64) int64 {
	return max(-maxAbsSeconds, min(maxAbsSeconds, u))
}

// bounds converts the window (after, upTo] to whole seconds [lo, hi]: runs
// fall on whole seconds, so u > after ⇔ u ≥ ⌊after⌋+1 and u ≤ upTo ⇔ u ≤ ⌊upTo⌋.
func bounds(after, upTo time.Time) (lo, hi int64) {
	return clampSeconds(after.Unix()) + 1, clampSeconds(upTo.Unix())
}

// zone describes the zone period containing an instant: its UTC offset and
// [start, end) in Unix seconds, open ends as MinInt64/MaxInt64.
type zone struct {
	off, start, end int64
}

func zoneAt(loc *time.Location, u int64) zone {
	if loc == time.UTC || loc == nil {
		return zone{0, math.MinInt64, math.MaxInt64}
	}
	t := time.Unix(u, 0).In(loc)
	_, off := t.Zone()
	z := zone{int64(off), math.MinInt64, math.MaxInt64}
	s, e := t.ZoneBounds()
	if !s.IsZero() {
		z.start = s.Unix()
	}
	if !e.IsZero() {
		z.end = e.Unix()
	}
	// Go's rule-based zone bounds can end a period before the instant asked
	// about (seen on the last day of leap years after the tz tables end,
	// e.g. New York on 2040-12-31). The offset itself is right, so treat the
	// period as reaching the next UTC midnight to keep moving.
	if z.end <= u {
		z.end = (floorDiv(u, 86400) + 1) * 86400
	}
	if z.start > u {
		z.start = u
	}
	return z
}

// transition describes the change into zone z for the DST policy: the wall
// minute where the previous period's coverage ended (exclusive) and where
// z's begins. ok is false when z has no predecessor.
func transition(loc *time.Location, z zone) (prevEnd, curStart int64, ok bool) {
	if z.start == math.MinInt64 || z.start <= -maxAbsSeconds {
		return 0, 0, false
	}
	prev := zoneAt(loc, z.start-1)
	return ceilDiv(z.start+prev.off, 60), ceilDiv(z.start+z.off, 60), true
}

// wallWindow returns the wall minutes [wlo, whi] of the instants [lo, hi]
// inside zone z, with the DST policy's exclusion of repeated wall time, and
// whether a skipped-time run falls at z.start (DSTOnce only).
func (s *Schedule) wallWindow(z zone, lo, hi int64) (wlo, whi int64, gapRun bool) {
	wlo, whi = ceilDiv(lo+z.off, 60), floorDiv(hi+z.off, 60)
	if s.DST != DSTOnce {
		return wlo, whi, false
	}
	prevEnd, curStart, ok := transition(s.loc, z)
	if !ok {
		return wlo, whi, false
	}
	switch {
	case curStart < prevEnd: // fall-back: [curStart, prevEnd) already ran
		wlo = max(wlo, prevEnd)
	case curStart > prevEnd && z.start >= lo && z.start <= hi:
		// spring-forward: the skipped minutes [prevEnd, curStart) run once,
		// at the change, unless a regular run is at that very instant.
		regularAtStart := floorMod(z.start+z.off, 60) == 0 && s.wallMatches(curStart)
		gapRun = !regularAtStart && s.firstWall(prevEnd, curStart-1) != math.MinInt64
	}
	return wlo, whi, gapRun
}

// Runs returns how many times the schedule runs in (after, upTo] and the
// latest of those runs (zero when none), exactly, for any schedule and
// window, following s.DST. For "@every d" the runs are after+d, after+2d, …
// (after's sub-second part dropped), as robfig/cron's Next produces them.
func (s *Schedule) Runs(after, upTo time.Time) (count int64, last time.Time) {
	if !s.parsed || !s.fires || !upTo.After(after) {
		return 0, time.Time{}
	}
	lo, hi := bounds(after, upTo)
	if lo > hi {
		return 0, time.Time{}
	}
	if s.every > 0 {
		first := lo - 1 + s.every
		if first > hi {
			return 0, time.Time{}
		}
		n := (hi-first)/s.every + 1
		return n, time.Unix(first+(n-1)*s.every, 0).In(upTo.Location())
	}
	count = s.count(lo, hi)
	if count == 0 {
		return 0, time.Time{}
	}
	u, ok := s.prevRun(lo, hi)
	if !ok {
		return count, time.Time{}
	}
	return count, time.Unix(u, 0).In(upTo.Location())
}

// Prev returns the latest run at or before t and after after, or the zero
// time.
func (s *Schedule) Prev(after, t time.Time) time.Time {
	_, last := s.Runs(after, t)
	return last
}

// Next returns the first run strictly after t following s.DST, or the zero
// time if the schedule never fires. Unlike robfig/cron it has no five-year
// horizon. For "@every d" it is t (sub-second part dropped) plus d.
func (s *Schedule) Next(t time.Time) time.Time {
	if !s.parsed || !s.fires {
		return time.Time{}
	}
	lo := clampSeconds(t.Unix()) + 1
	if s.every > 0 {
		return time.Unix(lo-1+s.every, 0).In(t.Location())
	}
	u, ok := s.nextRun(lo, maxAbsSeconds)
	if !ok {
		return time.Time{}
	}
	return time.Unix(u, 0).In(t.Location())
}

// count returns the number of runs in [lo, hi] (Unix seconds).
func (s *Schedule) count(lo, hi int64) int64 {
	if lo > hi {
		return 0
	}
	if start := max(lo, periodicFrom); hi-start >= 3*cycleSeconds && s.loc != time.UTC {
		k := (hi-start+1)/cycleSeconds - 1
		return s.count(lo, start-1) + k*s.count(start, start+cycleSeconds-1) + s.count(start+k*cycleSeconds, hi)
	}
	var n int64
	for u := lo; u <= hi; {
		z := zoneAt(s.loc, u)
		segHi := hi
		if z.end != math.MaxInt64 && z.end-1 < hi {
			segHi = z.end - 1
		}
		wlo, whi, gap := s.wallWindow(z, u, segHi)
		if gap {
			n++
		}
		n += s.countWall(wlo, whi)
		if segHi >= hi {
			break
		}
		u = segHi + 1
	}
	return n
}

// prevRun returns the latest run in [lo, hi].
func (s *Schedule) prevRun(lo, hi int64) (int64, bool) {
	u := hi
	for i := 0; u >= lo && i < searchZones; i++ {
		z := zoneAt(s.loc, u)
		segLo := max(lo, z.start)
		wlo, whi, gap := s.wallWindow(z, segLo, u)
		if w := s.lastWall(wlo, whi); w != math.MinInt64 {
			return w*60 - z.off, true
		}
		if gap {
			return z.start, true
		}
		if z.start <= lo {
			break
		}
		u = z.start - 1
	}
	return 0, false
}

// nextRun returns the earliest run in [lo, hi].
func (s *Schedule) nextRun(lo, hi int64) (int64, bool) {
	u := lo
	for i := 0; u <= hi && i < searchZones; i++ {
		z := zoneAt(s.loc, u)
		segHi := hi
		if z.end != math.MaxInt64 && z.end-1 < hi {
			segHi = z.end - 1
		}
		wlo, whi, gap := s.wallWindow(z, u, segHi)
		if gap {
			return z.start, true
		}
		if w := s.firstWall(wlo, whi); w != math.MinInt64 {
			return w*60 - z.off, true
		}
		if segHi >= hi {
			break
		}
		u = segHi + 1
	}
	return 0, false
}

// countWall counts the matching wall minutes in [w1, w2].
func (s *Schedule) countWall(w1, w2 int64) int64 {
	if w1 > w2 {
		return 0
	}
	d1, r1 := floorDiv(w1, minutesPerDay), int(floorMod(w1, minutesPerDay))
	d2, r2 := floorDiv(w2, minutesPerDay), int(floorMod(w2, minutesPerDay))
	if d1 == d2 {
		if s.dayMatches(d1) {
			return s.countInDay(r1, r2)
		}
		return 0
	}
	var n int64
	if s.dayMatches(d1) {
		n += s.countInDay(r1, minutesPerDay-1)
	}
	if s.dayMatches(d2) {
		n += s.countInDay(0, r2)
	}
	return n + s.countDays(d1+1, d2-1)*s.perDay
}

// countInDay counts the matching minutes of a matching day in [r1, r2]
// (minutes of the day).
func (s *Schedule) countInDay(r1, r2 int) int64 {
	h1, m1, h2, m2 := r1/60, r1%60, r2/60, r2%60
	if h1 == h2 {
		if s.hour&(1<<h1) == 0 {
			return 0
		}
		return popcount(s.minute & span(m1, m2))
	}
	var n int64
	if s.hour&(1<<h1) != 0 {
		n += popcount(s.minute & span(m1, 59))
	}
	if s.hour&(1<<h2) != 0 {
		n += popcount(s.minute & span(0, m2))
	}
	return n + popcount(s.hour&span(h1+1, h2-1))*popcount(s.minute)
}

// countDays counts the matching days in [d1, d2].
func (s *Schedule) countDays(d1, d2 int64) int64 {
	if d1 > d2 {
		return 0
	}
	if s.everyDay {
		return d2 - d1 + 1
	}
	var n int64
	if d2-d1 >= 2*cycleDays {
		// Dates and weekdays repeat every cycle, so every whole cycle holds
		// the same number of matching days wherever it starts.
		k := (d2-d1+1)/cycleDays - 1
		n += k * s.countDays(d1, d1+cycleDays-1)
		d1 += k * cycleDays
	}
	y, m, d := civilFromDays(d1)
	for {
		ml := monthLen(y, m)
		monthEnd := d1 + int64(ml-d)
		hiDay := ml
		if monthEnd > d2 {
			hiDay = ml - int(monthEnd-d2)
		}
		n += popcount(s.monthDays(y, m) & span(d, hiDay))
		if monthEnd >= d2 {
			return n
		}
		d1, d = monthEnd+1, 1
		if m++; m > 12 {
			m, y = 1, y+1
		}
	}
}

// lastWall returns the latest matching wall minute in [w1, w2] or MinInt64.
func (s *Schedule) lastWall(w1, w2 int64) int64 {
	if w1 > w2 || s.perDay == 0 {
		return math.MinInt64
	}
	d1, r1 := floorDiv(w1, minutesPerDay), int(floorMod(w1, minutesPerDay))
	d2, r2 := floorDiv(w2, minutesPerDay), int(floorMod(w2, minutesPerDay))
	lo := 0
	if d1 == d2 {
		lo = r1
	}
	if s.dayMatches(d2) {
		if r := s.lastInDay(lo, r2); r >= 0 {
			return d2*minutesPerDay + int64(r)
		}
	}
	if d1 == d2 {
		return math.MinInt64
	}
	day, ok := s.lastDay(d1, d2-1)
	if !ok {
		return math.MinInt64
	}
	lo = 0
	if day == d1 {
		lo = r1
	}
	if r := s.lastInDay(lo, minutesPerDay-1); r >= 0 {
		return day*minutesPerDay + int64(r)
	}
	return math.MinInt64
}

// firstWall returns the earliest matching wall minute in [w1, w2] or
// MinInt64.
func (s *Schedule) firstWall(w1, w2 int64) int64 {
	if w1 > w2 || s.perDay == 0 {
		return math.MinInt64
	}
	d1, r1 := floorDiv(w1, minutesPerDay), int(floorMod(w1, minutesPerDay))
	d2, r2 := floorDiv(w2, minutesPerDay), int(floorMod(w2, minutesPerDay))
	hi := minutesPerDay - 1
	if d1 == d2 {
		hi = r2
	}
	if s.dayMatches(d1) {
		if r := s.firstInDay(r1, hi); r >= 0 {
			return d1*minutesPerDay + int64(r)
		}
	}
	if d1 == d2 {
		return math.MinInt64
	}
	day, ok := s.firstDay(d1+1, d2)
	if !ok {
		return math.MinInt64
	}
	hi = minutesPerDay - 1
	if day == d2 {
		hi = r2
	}
	if r := s.firstInDay(0, hi); r >= 0 {
		return day*minutesPerDay + int64(r)
	}
	return math.MinInt64
}

// lastInDay returns the latest matching minute of the day in [r1, r2] or -1.
func (s *Schedule) lastInDay(r1, r2 int) int {
	if r1 > r2 {
		return -1
	}
	h1, m1, h2, m2 := r1/60, r1%60, r2/60, r2%60
	if s.hour&(1<<h2) != 0 {
		lo := 0
		if h1 == h2 {
			lo = m1
		}
		if mm := s.minute & span(lo, m2); mm != 0 {
			return h2*60 + highBit(mm)
		}
	}
	if h1 == h2 {
		return -1
	}
	if hh := s.hour & span(h1+1, h2-1); hh != 0 && s.minute != 0 {
		return highBit(hh)*60 + highBit(s.minute)
	}
	if s.hour&(1<<h1) != 0 {
		if mm := s.minute & span(m1, 59); mm != 0 {
			return h1*60 + highBit(mm)
		}
	}
	return -1
}

// firstInDay returns the earliest matching minute of the day in [r1, r2] or
// -1.
func (s *Schedule) firstInDay(r1, r2 int) int {
	if r1 > r2 {
		return -1
	}
	h1, m1, h2, m2 := r1/60, r1%60, r2/60, r2%60
	if s.hour&(1<<h1) != 0 {
		hi := 59
		if h1 == h2 {
			hi = m2
		}
		if mm := s.minute & span(m1, hi); mm != 0 {
			return h1*60 + lowBit(mm)
		}
	}
	if h1 == h2 {
		return -1
	}
	if hh := s.hour & span(h1+1, h2-1); hh != 0 && s.minute != 0 {
		return lowBit(hh)*60 + lowBit(s.minute)
	}
	if s.hour&(1<<h2) != 0 {
		if mm := s.minute & span(0, m2); mm != 0 {
			return h2*60 + lowBit(mm)
		}
	}
	return -1
}

// lastDay returns the latest matching day in [d1, d2].
func (s *Schedule) lastDay(d1, d2 int64) (int64, bool) {
	if d1 > d2 {
		return 0, false
	}
	if s.everyDay {
		return d2, true
	}
	y, m, d := civilFromDays(d2)
	monthStart := d2 - int64(d-1)
	for i := 0; i < searchMonths; i++ {
		lo := 1
		if monthStart < d1 {
			lo = int(d1 - monthStart + 1)
		}
		if mask := s.monthDays(y, m) & span(lo, d); mask != 0 {
			return monthStart + int64(highBit(mask)-1), true
		}
		if monthStart <= d1 {
			return 0, false
		}
		if m--; m < 1 {
			m, y = 12, y-1
		}
		d = monthLen(y, m)
		monthStart -= int64(d)
	}
	return 0, false
}

// firstDay returns the earliest matching day in [d1, d2].
func (s *Schedule) firstDay(d1, d2 int64) (int64, bool) {
	if d1 > d2 {
		return 0, false
	}
	if s.everyDay {
		return d1, true
	}
	y, m, d := civilFromDays(d1)
	monthStart := d1 - int64(d-1)
	for i := 0; i < searchMonths; i++ {
		ml := monthLen(y, m)
		hi := ml
		if end := monthStart + int64(ml-1); end > d2 {
			hi = int(d2 - monthStart + 1)
		}
		if mask := s.monthDays(y, m) & span(d, hi); mask != 0 {
			return monthStart + int64(lowBit(mask)-1), true
		}
		monthStart += int64(ml)
		if monthStart > d2 {
			return 0, false
		}
		d = 1
		if m++; m > 12 {
			m, y = 1, y+1
		}
	}
	return 0, false
}
