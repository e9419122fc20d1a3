package cronjob

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

// kubeNextZones mix zones without transitions, whole-hour and half-hour
// daylight saving on both hemispheres, a change at midnight (America/
// Havana, America/Asuncion in some years), an offset of 5:45, and the local
// mean times before standardised time (offsets in seconds, not minutes).
var kubeNextZones = []string{"UTC", "Asia/Kolkata", "Asia/Kathmandu", "America/New_York", "Europe/London",
	"Australia/Lord_Howe", "America/Sao_Paulo", "America/Havana", "America/Asuncion", "Asia/Tehran", "Pacific/Apia",
	"Europe/Amsterdam", "America/Santiago"}

// TestKubernetesNextMatchesRobfig: KubernetesNext, which skips robfig/cron
// where arithmetic gives the same answer, equals robfig/cron's Next (the
// function syncCronJob calls) on random schedules, zones and instants,
// close to transitions, long before standardised time and years apart.
func TestKubernetesNextMatchesRobfig(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		spec := genSpec(t)
		loc := mustLoad(t, rapid.SampledFrom(kubeNextZones).Draw(t, "zone"))
		s, err := ParseSchedule(spec, loc)
		if err != nil {
			t.Fatalf("%q: %v", spec, err)
		}
		at := genWindow(t, loc)
		if rapid.IntRange(0, 9).Draw(t, "ancient") == 0 {
			at = at.AddDate(-130, 0, 0) // local mean time in most zones
		}
		if rapid.Bool().Draw(t, "utcInput") {
			at = at.UTC()
		}
		for range 3 {
			want := robfigOf(&s).Next(at)
			got := s.KubernetesNext(at)
			if !got.Equal(want) || got.Location() != want.Location() {
				t.Fatalf("%q in %s after %s: KubernetesNext %s, robfig/cron %s", spec, loc, at, got, want)
			}
			if want.IsZero() {
				return
			}
			at = want
		}
	})
}

// TestKubernetesNextFallsBack pins cases where robfig/cron's answer is an
// artefact of its search and the arithmetic must not be used.
func TestKubernetesNextFallsBack(t *testing.T) {
	lordHowe := mustLoad(t, "Australia/Lord_Howe")
	london := mustLoad(t, "Europe/London")
	tests := []struct {
		spec string
		loc  *time.Location
		at   time.Time
	}{
		// The Sunday the clocks go back half an hour: robfig/cron skips it.
		{"0 3 * * 0", lordHowe, time.Date(2026, 4, 4, 12, 0, 0, 0, lordHowe)},
		// 01:30 does not exist in London on 29 March 2026.
		{"30 1 * * *", london, time.Date(2026, 3, 28, 12, 0, 0, 0, london)},
		// 01:30 happens twice on 25 October 2026.
		{"30 1 * * *", london, time.Date(2026, 10, 25, 1, 40, 0, 0, time.UTC)},
		// A run a year away, across two changes.
		{"59 23 31 12 *", london, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		s, err := ParseSchedule(tc.spec, tc.loc)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := s.fastRobfigNext(tc.at); ok {
			t.Errorf("%q after %s: the arithmetic answers across a transition", tc.spec, tc.at)
		}
		if got, want := s.KubernetesNext(tc.at), robfigOf(&s).Next(tc.at); !got.Equal(want) {
			t.Errorf("%q after %s: %s, robfig/cron %s", tc.spec, tc.at, got, want)
		}
	}
	// And where it does answer: a quiet week in London.
	s, _ := ParseSchedule("*/5 * * * *", london)
	if _, ok := s.fastRobfigNext(time.Date(2026, 6, 10, 9, 1, 0, 0, time.UTC)); !ok {
		t.Error("no fast answer in the middle of summer time")
	}
}
