package cronjob

import (
	"math"
	"time"
)

// robfig/cron's SpecSchedule.Next searches field by field on the wall clock
// of the schedule's zone: it moves to the next matching month, day, hour,
// minute and second, at the first mismatch stepping back to the start of
// the current month, day or hour (in the zone) and then forward by whole
// months, days (time.AddDate) and hours, minutes and seconds (time.Add,
// minutes and seconds truncated on the absolute clock). Its DST
// artefacts all come from a zone transition inside the stretch the search
// covers. Where the zone keeps one UTC offset, a whole number of minutes,
// from a day before the start of the month it starts in up to a day after
// the match, every step is plain calendar arithmetic on UTC shifted by that
// offset, and the search finds exactly the first matching wall minute after
// the start: what firstWall computes without walking. fastRobfigNext
// answers in that case and reports false otherwise, where KubernetesNext
// asks robfig/cron itself. TestKubernetesNextMatchesRobfig compares the two
// on random schedules, zones and times, transitions included.

// robfigYears is how far ahead robfig/cron's Next looks (in wall-clock
// years of the zone) before it gives up and returns the zero time.
const robfigYears = 5

// fastRobfigNext is robfig/cron's Next(t) for a parsed cron (not @every)
// schedule where the arithmetic provably agrees; ok is false where it
// cannot tell.
func (s *Schedule) fastRobfigNext(t time.Time) (next time.Time, ok bool) {
	if !s.parsed || s.every > 0 {
		return time.Time{}, false
	}
	lo := t.Unix() + 1 // robfig starts at the next whole second
	if lo <= -maxAbsSeconds || lo >= maxAbsSeconds {
		return time.Time{}, false
	}
	z := zoneAt(s.loc, lo)
	if z.off%60 != 0 {
		return time.Time{}, false
	}
	startDay := floorDiv(lo+z.off, 86400)
	y, m, _ := civilFromDays(startDay)
	monthStart := daysFromCivil(y, m, 1)
	// The search may step back to the first of the month; a day's margin.
	if z.start != math.MinInt64 && (monthStart-1)*86400-z.off < z.start {
		return time.Time{}, false
	}
	if !s.fires {
		// No date ever matches: robfig/cron finds nothing in five years.
		return time.Time{}, true
	}
	// Search the wall minutes up to the earlier of a day before the zone
	// period ends and the end of robfig's five-year horizon.
	limitDay := daysFromCivil(y+robfigYears+1, 1, 1) // first day robfig never reaches
	whi := limitDay*minutesPerDay - 1
	if z.end != math.MaxInt64 {
		whi = min(whi, floorDiv(z.end-86400+z.off, 60))
	}
	wlo := ceilDiv(lo+z.off, 60)
	w := s.firstWall(wlo, whi)
	if w == math.MinInt64 {
		if z.end == math.MaxInt64 || floorDiv(z.end-86400+z.off, 60) >= limitDay*minutesPerDay-1 {
			// Nothing within the horizon, and the horizon lies inside the
			// period: robfig/cron returns the zero time.
			return time.Time{}, true
		}
		return time.Time{}, false
	}
	return time.Unix(w*60-z.off, 0).In(t.Location()), true
}
