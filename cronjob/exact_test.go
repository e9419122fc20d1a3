package cronjob

import (
	"fmt"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"pgregory.net/rapid"
)

// Zones for the brute-force comparison: UTC, fixed offsets with odd minutes,
// and DST zones in both hemispheres whose changes move the clock by one
// hour at a time other than midnight, where robfig/cron's Next is exactly
// "every matching wall minute" (see doc.go for the zones where it is not).
var testZones = []string{
	"UTC", "America/New_York", "America/Los_Angeles", "Europe/London", "Europe/Berlin",
	"Australia/Sydney", "Pacific/Auckland", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo",
}

func mustLoad(t interface{ Fatal(...any) }, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// genField draws one cron field for values lo..hi.
func genField(t *rapid.T, label string, lo, hi int) string {
	n := rapid.IntRange(1, 3).Draw(t, label+"#parts")
	parts := make([]string, n)
	for i := range parts {
		a := rapid.IntRange(lo, hi).Draw(t, label+"#a")
		b := rapid.IntRange(a, hi).Draw(t, label+"#b")
		step := rapid.IntRange(1, 1+(hi-lo)/2).Draw(t, label+"#step")
		switch rapid.IntRange(0, 5).Draw(t, label+"#kind") {
		case 0:
			parts[i] = "*"
		case 1:
			parts[i] = fmt.Sprintf("*/%d", step)
		case 2:
			parts[i] = fmt.Sprint(a)
		case 3:
			parts[i] = fmt.Sprintf("%d-%d", a, b)
		case 4:
			parts[i] = fmt.Sprintf("%d-%d/%d", a, b, step)
		default:
			parts[i] = fmt.Sprintf("%d/%d", a, step)
		}
	}
	return strings.Join(parts, ",")
}

func genSpec(t *rapid.T) string {
	if rapid.IntRange(0, 9).Draw(t, "descriptor") == 0 {
		return rapid.SampledFrom([]string{"@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@every 90m", "@every 37s"}).Draw(t, "d")
	}
	return strings.Join([]string{
		genField(t, "minute", 0, 59), genField(t, "hour", 0, 23), genField(t, "dom", 1, 31),
		genField(t, "month", 1, 12), genField(t, "dow", 0, 6),
	}, " ")
}

// genWindow draws a window start between 1995 and 2045, often close to a
// DST change (March, April, October, November at night).
func genWindow(t *rapid.T, loc *time.Location) time.Time {
	year := rapid.IntRange(1995, 2045).Draw(t, "year")
	month := time.Month(rapid.SampledFrom([]int{1, 3, 3, 4, 6, 9, 10, 10, 11, 12}).Draw(t, "month"))
	day := rapid.IntRange(1, 31).Draw(t, "day")
	hour := rapid.IntRange(0, 23).Draw(t, "hour")
	min := rapid.IntRange(0, 59).Draw(t, "min")
	sec := rapid.IntRange(0, 59).Draw(t, "sec")
	ns := rapid.SampledFrom([]int{0, 0, 1, 500000000}).Draw(t, "ns")
	return time.Date(year, month, day, hour, min, sec, ns, loc)
}

// walk is the brute force: robfig/cron's Next from after while ≤ upTo,
// stopping after limit runs; it returns the runs seen and the window end it
// actually covered.
func walk(s *Schedule, after, upTo time.Time, limit int) (n int64, last, end time.Time) {
	end = upTo
	for t := robfigOf(s).Next(after); !t.IsZero() && !t.After(upTo); t = robfigOf(s).Next(t) {
		n++
		last = t
		if int(n) == limit {
			return n, last, t
		}
	}
	return n, last, end
}

// TestExactMatchesRobfigWalk is the property behind "exact for every
// schedule": Runs and Next agree with walking robfig/cron's Next, for random
// schedules, zones (including DST changes) and windows.
func TestExactMatchesRobfigWalk(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		spec := genSpec(t)
		loc := mustLoad(t, rapid.SampledFrom(testZones).Draw(t, "zone"))
		s, err := ParseSchedule(spec, loc)
		if err != nil {
			t.Fatalf("ParseSchedule(%q): %v", spec, err)
		}
		after := genWindow(t, loc)
		span := time.Duration(rapid.Int64Range(0, 3*365*24).Draw(t, "hours")) * time.Hour
		upTo := after.Add(span).Add(time.Duration(rapid.IntRange(0, 3599).Draw(t, "extra")) * time.Second)
		n, last, end := walk(&s, after, upTo, 3000)
		gotN, gotLast := s.Runs(after, end)
		if gotN != n || !gotLast.Equal(last) {
			t.Fatalf("%q in %s, (%s, %s]: Runs = %d, %s; walk = %d, %s", spec, loc, after, end, gotN, gotLast, n, last)
		}
		if want := s.KubernetesNext(end); !want.IsZero() {
			if got := s.Next(end); !got.Equal(want) {
				t.Fatalf("%q in %s: Next(%s) = %s, robfig %s", spec, loc, end, got, want)
			}
		}
	})
}
