package cronjob

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// LintCode names a schedule finding.
type LintCode string

// The schedule findings.
const (
	// LintUnparseable: the schedule does not parse.
	LintUnparseable LintCode = "Unparseable"
	// LintNeverFires: no date matches (e.g. "0 0 30 2 *"); Kubernetes
	// reports InvalidSchedule on every pass.
	LintNeverFires LintCode = "NeverFires"
	// LintLeapDayOnly: only February 29 matches; around 2100 the gap is
	// eight years, past robfig/cron's five-year search.
	LintLeapDayOnly LintCode = "LeapDayOnly"
	// LintDayFieldsOR: both day fields are restricted, so they combine with
	// OR ("0 0 13 * 5" is every 13th and every Friday).
	LintDayFieldsOR LintCode = "DayFieldsOR"
	// LintTZPrefix: a TZ= or CRON_TZ= prefix; the API rejects it on create,
	// use spec.timeZone.
	LintTZPrefix LintCode = "TZPrefix"
	// LintUnevenStep: a "*/n" step that does not divide the field's range,
	// so the gap across the wrap is shorter ("*/7" runs at :56 then :00).
	LintUnevenStep LintCode = "UnevenStep"
	// LintDSTSkipped and LintDSTRepeated: some run falls in wall-clock time
	// that a daylight-saving change skips (it does not run that day) or
	// repeats (it runs twice), checked on the zone's changes in 2024-2026.
	LintDSTSkipped  LintCode = "DSTSkipped"
	LintDSTRepeated LintCode = "DSTRepeated"
)

// Finding is one lint result.
type Finding struct {
	Code    LintCode
	Message string
}

// lintFrom and lintTo bound the DST check: 2024-01-01 to 2027-01-01 UTC.
const lintFrom, lintTo = 1704067200, 1798761600

// Lint reports surprising properties of a schedule evaluated in zone (nil
// means UTC), in a fixed order.
func Lint(spec string, zone *time.Location) []Finding {
	s, err := ParseSchedule(spec, zone)
	if err != nil {
		return []Finding{{LintUnparseable, err.Error()}}
	}
	var out []Finding
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		out = append(out, Finding{LintTZPrefix, "the time zone prefix is rejected by the API on create; set spec.timeZone instead"})
	}
	if s.every > 0 {
		return out
	}
	if !s.fires {
		return append(out, Finding{LintNeverFires, fmt.Sprintf("%q matches no date, so it never runs", spec)})
	}
	if s.leapDayOnly() {
		out = append(out, Finding{LintLeapDayOnly, "only February 29 matches: runs in leap years only"})
	}
	fields := strings.Fields(spec)
	if len(fields) == 5 && !s.and {
		out = append(out, Finding{LintDayFieldsOR, fmt.Sprintf(
			"day-of-month %q and day-of-week %q are both restricted, so they combine with OR: a day matching either runs", fields[2], fields[4])})
	}
	if len(fields) == 5 {
		for i, f := range fields[:2] {
			size := []int{60, 24}[i]
			for _, part := range strings.Split(f, ",") {
				if n, err := strconv.Atoi(strings.TrimPrefix(part, "*/")); err == nil && strings.HasPrefix(part, "*/") && n > 1 && size%n != 0 {
					out = append(out, Finding{LintUnevenStep, fmt.Sprintf(
						"%q in the %s field does not divide %d: the interval across the wrap is %d, not %d",
						part, []string{"minute", "hour"}[i], size, size-(size-1)/n*n, n)})
				}
			}
		}
	}
	skipped, repeated := false, false
	for u := int64(lintFrom); u < lintTo; {
		z := zoneAt(s.loc, u)
		if z.start >= lintFrom {
			if prevEnd, curStart, ok := transition(s.loc, z); ok {
				if curStart > prevEnd && s.countWall(prevEnd, curStart-1) > 0 {
					skipped = true
				}
				if curStart < prevEnd && s.countWall(curStart, prevEnd-1) > 0 {
					repeated = true
				}
			}
		}
		if z.end >= lintTo {
			break
		}
		u = z.end
	}
	if skipped {
		out = append(out, Finding{LintDSTSkipped, "some runs fall in wall-clock time skipped by a daylight-saving change in " + s.loc.String() + "; they do not run that day"})
	}
	if repeated {
		out = append(out, Finding{LintDSTRepeated, "some runs fall in wall-clock time repeated by a daylight-saving change in " + s.loc.String() + "; they run twice"})
	}
	return out
}

// leapDayOnly reports that only February 29 matches.
func (s *Schedule) leapDayOnly() bool {
	for m := 1; m <= 12; m++ {
		if s.month&(1<<m) == 0 {
			continue
		}
		for w := 0; w < 7; w++ {
			if s.days(w)&span(1, monthLen(2001, m)) != 0 {
				return false
			}
		}
	}
	return s.fires
}
