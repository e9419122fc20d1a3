package cronjob

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"
)

// DSTPolicy says what a schedule does with wall-clock times that a
// daylight-saving change skips or repeats.
type DSTPolicy string

const (
	// DSTKubernetes is what Kubernetes (robfig/cron) does and the default: a
	// wall-clock time that does not exist on a spring-forward day does not run
	// that day, and one that occurs twice on a fall-back day runs twice.
	DSTKubernetes DSTPolicy = ""
	// DSTOnce runs every wall-clock time exactly once: times skipped by a
	// spring-forward change run once at the moment of the change, and times
	// repeated by a fall-back change run only at their first occurrence (the
	// behaviour of Vixie cron for fixed-time entries).
	DSTOnce DSTPolicy = "Once"
)

// starBit is robfig/cron's marker of a field written as "*" or "?" (also
// "*/1"); a day field carrying it makes the two day fields combine with AND.
const starBit = uint64(1) << 63

// Schedule is a parsed cron schedule bound to the time zone it evaluates in.
// Build it with ParseSchedule. Its zero value never fires.
type Schedule struct {
	// DST is the daylight-saving policy of the exact computations (Runs,
	// Next, Prev). The Kubernetes estimate (KubernetesNext) always follows
	// robfig/cron, which is DSTKubernetes.
	DST DSTPolicy

	text   string
	loc    *time.Location
	robfig cron.Schedule // an "@every" schedule as parsed, else nil
	// spec is a cron schedule as parsed, bound to loc. It is held by value
	// (robfig's Next reads it through a pointer to a copy) so that binding
	// a memoised parse to a zone costs no allocation on every pass.
	spec  cron.SpecSchedule
	every int64 // seconds between runs of an "@every" schedule, else 0

	minute  uint64 // bits 0-59
	hour    uint64 // bits 0-23
	month   uint64 // bits 1-12
	dom     uint64 // bits 1-31
	dowDays [7]uint64
	and     bool // the day fields combine with AND (one of them is "*")
	perDay  int64
	// everyDay: every date matches (month "*" and the day fields together
	// cover every day), so day counts are plain differences.
	everyDay bool
	fires    bool // some date matches (a leap day counts)
	parsed   bool
}

// ParseSchedule parses a schedule the way Kubernetes does (robfig/cron v3
// ParseStandard: five fields, the @ descriptors, @every and a TZ= or
// CRON_TZ= prefix). zone is where a schedule without a prefix evaluates: for
// kube-controller-manager that is its local zone; nil means UTC. A "Local"
// zone in a prefix also means zone. It never panics: the prefix without a
// following space that crashes robfig/cron v3.0.1 is reported as an error.
func ParseSchedule(spec string, zone *time.Location) (Schedule, error) {
	parsed, err := parseStandard(spec)
	if err != nil {
		return Schedule{}, err
	}
	return newSchedule(spec, parsed, zone)
}

// newSchedule binds what robfig/cron parsed from spec to zone.
func newSchedule(spec string, parsed cron.Schedule, zone *time.Location) (Schedule, error) {
	if zone == nil {
		zone = time.UTC
	}
	s := Schedule{text: spec, loc: zone, parsed: true}
	switch p := parsed.(type) {
	case cron.ConstantDelaySchedule:
		s.every = int64(p.Delay / time.Second)
		s.robfig = p
		s.fires = true
	case *cron.SpecSchedule:
		c := *p
		if c.Location == nil || c.Location == time.Local {
			c.Location = zone
		}
		s.loc = c.Location
		s.spec = c
		s.minute = c.Minute &^ starBit
		s.hour = c.Hour &^ starBit
		s.month = c.Month &^ starBit
		s.dom = c.Dom &^ starBit
		s.and = c.Dom&starBit != 0 || c.Dow&starBit != 0
		dow := c.Dow &^ starBit & 0x7f
		for first := 0; first < 7; first++ {
			// Day d falls on weekday (first+d-1) mod 7: the week's pattern
			// rotated to start at first, repeated over five weeks, day 1 at
			// bit 1.
			week := (dow>>first | dow<<(7-first)) & 0x7f
			s.dowDays[first] = (week | week<<7 | week<<14 | week<<21 | week<<28) << 1 & span(1, 31)
		}
		s.perDay = popcount(s.hour) * popcount(s.minute)
		s.fires = s.perDay > 0 && s.anyDate()
		s.everyDay = s.month&span(1, 12) == span(1, 12)
		for first := 0; first < 7; first++ {
			s.everyDay = s.everyDay && s.days(first)&span(1, 31) == span(1, 31)
		}
	default:
		return Schedule{}, fmt.Errorf("unsupported schedule type %T", parsed)
	}
	return s, nil
}

// parseStandard is cron.ParseStandard without its crash on a TZ prefix that
// has no following space. From 1.35 Kubernetes recovers that panic in both
// the controller and validation (ParseCronScheduleWithPanicRecovery) and
// reports it as "invalid schedule format: " and the runtime error; the error
// here is worded the same, without running into the panic.
func parseStandard(spec string) (sched cron.Schedule, err error) {
	if p, ok := parsedSpecs.Load(spec); ok {
		return p.(cron.Schedule), nil
	}
	sched, err = parseStandardOnce(spec)
	if err == nil && parsedCount.Add(1) <= maxParsedSpecs {
		parsedSpecs.Store(spec, sched)
	}
	return sched, err
}

// parsedSpecs memoises successful parses by schedule text, at most
// maxParsedSpecs of them. A parse depends on nothing but the text (and,
// for a TZ= prefix, the tz database, as loadZone does), and nothing
// mutates what robfig/cron returns (newSchedule copies it), so a memoised
// parse is the same as a fresh one: results do not depend on which
// schedules were parsed before. Failures are parsed again each time; the
// bound keeps a process that sees endless distinct schedules (a fuzzer)
// from growing without limit.
var (
	parsedSpecs sync.Map // string -> cron.Schedule
	parsedCount atomic.Int64
)

const maxParsedSpecs = 4096

// parseStandardOnce is parseStandard without the memo.
func parseStandardOnce(spec string) (sched cron.Schedule, err error) {
	if crashesParser(spec) {
		return nil, errors.New("invalid schedule format: runtime error: slice bounds out of range [:-1]")
	}
	defer func() {
		if r := recover(); r != nil {
			sched, err = nil, fmt.Errorf("invalid schedule format: %v", r)
		}
	}()
	return cron.ParseStandard(spec)
}

// crashesParser reports the schedules on which robfig/cron v3.0.1 panics:
// a TZ= or CRON_TZ= prefix with no space after it (it slices the zone name
// up to the first space).
func crashesParser(spec string) bool {
	return (strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=")) && !strings.Contains(spec, " ")
}

// String returns the schedule as written.
func (s *Schedule) String() string { return s.text }

// Location is the zone the schedule evaluates in.
func (s *Schedule) Location() *time.Location {
	if s.loc == nil {
		return time.UTC
	}
	return s.loc
}

// Every returns the period of an "@every" schedule and 0 for a cron
// schedule.
func (s *Schedule) Every() time.Duration { return time.Duration(s.every) * time.Second }

// NeverFires reports that no date can ever match (e.g. "0 0 30 2 *").
func (s *Schedule) NeverFires() bool { return !s.fires }

// KubernetesNext is robfig/cron's Next, the function Kubernetes uses: the
// first run strictly after t within five years, or the zero time.
//
// It computes the answer by arithmetic wherever that provably equals
// robfig/cron's (the zone keeps one offset across the stretch robfig's
// search covers) and asks robfig/cron itself elsewhere.
func (s *Schedule) KubernetesNext(t time.Time) time.Time {
	switch {
	case s.robfig != nil:
		return s.robfig.Next(t)
	case !s.parsed:
		return time.Time{}
	}
	if next, ok := s.fastRobfigNext(t); ok {
		return next
	}
	c := s.spec
	return c.Next(t)
}

// anyDate reports whether some (month, month length, weekday of the 1st)
// combination has a matching day.
func (s *Schedule) anyDate() bool {
	for m := 1; m <= 12; m++ {
		if s.month&(1<<m) == 0 {
			continue
		}
		lengths := []int{monthLen(2001, m)}
		if m == 2 {
			lengths = append(lengths, 29)
		}
		for _, n := range lengths {
			for w := 0; w < 7; w++ {
				if s.days(w)&span(1, n) != 0 {
					return true
				}
			}
		}
	}
	return false
}

// days returns the matching days of a month whose 1st is weekday first,
// ignoring the month's length and whether the month matches.
func (s *Schedule) days(first int) uint64 {
	if s.and {
		return s.dom & s.dowDays[first]
	}
	return s.dom | s.dowDays[first]
}

// monthDays returns the matching days (bits 1-31) of month m of year y.
func (s *Schedule) monthDays(y int64, m int) uint64 {
	if s.month&(1<<m) == 0 {
		return 0
	}
	return s.days(weekdayOf(daysFromCivil(y, m, 1))) & span(1, monthLen(y, m))
}

func (s *Schedule) dayMatches(day int64) bool {
	if s.everyDay {
		return true
	}
	y, m, d := civilFromDays(day)
	return s.monthDays(y, m)&(1<<d) != 0
}

// wallMatches reports whether wall minute w (minutes since 1970-01-01 00:00
// of the wall clock) matches.
func (s *Schedule) wallMatches(w int64) bool {
	r := floorMod(w, minutesPerDay)
	return s.hour&(1<<(r/60)) != 0 && s.minute&(1<<(r%60)) != 0 && s.dayMatches(floorDiv(w, minutesPerDay))
}
