package cronjob

import (
	"strings"
	"testing"
	"time"
)

// TestParseSchedule covers robfig/cron's ParseStandard language.
func TestParseSchedule(t *testing.T) {
	from := utc("2016-05-19T10:00:00Z") // a Thursday
	tests := []struct {
		spec string
		next string // first run after from; "" for a parse error
		err  string
	}{
		{spec: "* * * * *", next: "2016-05-19T10:01:00Z"},
		{spec: "? * * * ?", next: "2016-05-19T10:01:00Z"},
		{spec: "0 0 * * SUN", next: "2016-05-22T00:00:00Z"},
		{spec: "0 0 1 jan,JUL *", next: "2016-07-01T00:00:00Z"},
		{spec: "@yearly", next: "2017-01-01T00:00:00Z"},
		{spec: "@annually", next: "2017-01-01T00:00:00Z"},
		{spec: "@monthly", next: "2016-06-01T00:00:00Z"},
		{spec: "@weekly", next: "2016-05-22T00:00:00Z"},
		{spec: "@daily", next: "2016-05-20T00:00:00Z"},
		{spec: "@midnight", next: "2016-05-20T00:00:00Z"},
		{spec: "@hourly", next: "2016-05-19T11:00:00Z"},
		{spec: "@every 90m", next: "2016-05-19T11:30:00Z"},
		{spec: "@every 1500ms", next: "2016-05-19T10:00:01Z"},
		{spec: "0 0 13 * 5", next: "2016-05-20T00:00:00Z"},                // both day fields restricted: OR — Friday 20th
		{spec: "0 0 13 * */1", next: "2016-06-13T00:00:00Z"},              // */1 is a star — AND
		{spec: "TZ=Europe/Rome 0 12 * * *", next: "2016-05-20T10:00:00Z"}, // a TZ prefix
		{spec: "CRON_TZ=Asia/Tokyo 0 9 * * *", next: "2016-05-20T00:00:00Z"},
		{spec: "0 0 * * 7", err: "above maximum"},
		{spec: "*/0 * * * *", err: "step of range should be a positive number"},
		{spec: "* * * *", err: "expected exactly 5 fields, found 4"},
		{spec: "0 * * * * *", err: "expected exactly 5 fields, found 6"},
		{spec: "@reboot", err: "unrecognized descriptor"},
		{spec: "@every", err: "unrecognized descriptor"},
		{spec: "TZ=UTC", err: "invalid schedule format: runtime error: slice bounds out of range [:-1]"},
		{spec: "CRON_TZ=Mars/Base * * * * *", err: "provided bad location"},
		{spec: "", err: "empty spec string"},
		{spec: "0 0 L * *", err: "failed to parse int"},
	}
	for _, tc := range tests {
		s, err := ParseSchedule(tc.spec, nil)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseSchedule(%q) error %v, want %q", tc.spec, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseSchedule(%q): %v", tc.spec, err)
			continue
		}
		if got := s.Next(from); !got.Equal(utc(tc.next)) {
			t.Errorf("%q Next = %s, want %s", tc.spec, got, tc.next)
		}
		if got := s.KubernetesNext(from); !got.Equal(utc(tc.next)) {
			t.Errorf("%q KubernetesNext = %s, want %s", tc.spec, got, tc.next)
		}
	}
}

// TestRunsExact covers the cases Kubernetes estimates and purectl counts.
func TestRunsExact(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	tests := []struct {
		name        string
		spec        string
		zone        *time.Location
		after, upTo time.Time
		n           int64
		last        string
	}{
		{"a year of minutes", "* * * * *", nil, utc("2025-01-01T00:00:00Z"), utc("2026-01-01T00:00:00Z"), 525600, "2026-01-01T00:00:00Z"},
		{"a leap year of minutes", "* * * * *", nil, utc("2024-01-01T00:00:00Z"), utc("2025-01-01T00:00:00Z"), 527040, "2025-01-01T00:00:00Z"},
		{"30 6-16/4 * * 1-5 after a two-day gap", "30 6-16/4 * * 1-5", nil,
			utc("2026-03-05T14:30:00Z"), utc("2026-03-07T12:00:00Z"), 3, "2026-03-06T14:30:00Z"},
		{"0,30 9 * * 1-5 over a weekend", "0,30 9 * * 1-5", nil,
			utc("2026-03-05T09:30:00Z"), utc("2026-03-09T08:59:00Z"), 2, "2026-03-06T09:30:00Z"},
		{"robfig Next: spring-forward skips 02:30", "30 2 * * *", ny,
			time.Date(2016, 3, 12, 12, 0, 0, 0, ny), time.Date(2016, 3, 14, 12, 0, 0, 0, ny), 1, "2016-03-14T06:30:00Z"},
		{"robfig Next: fall-back runs 01:30 twice", "30 1 * * *", ny,
			time.Date(2016, 11, 6, 0, 0, 0, 0, ny), time.Date(2016, 11, 6, 12, 0, 0, 0, ny), 2, "2016-11-06T06:30:00Z"},
		{"leap days over 400 years", "0 0 29 2 *", nil, utc("2000-01-01T00:00:00Z"), utc("2400-01-01T00:00:00Z"), 97, "2396-02-29T00:00:00Z"},
		{"never fires", "0 0 30 2 *", nil, utc("2000-01-01T00:00:00Z"), utc("2400-01-01T00:00:00Z"), 0, ""},
		{"empty window", "* * * * *", nil, utc("2000-01-01T00:00:00Z"), utc("2000-01-01T00:00:00Z"), 0, ""},
		{"@every from a fractional second", "@every 10s", nil, utc("2000-01-01T00:00:00.5Z"), utc("2000-01-01T00:01:00Z"), 6, "2000-01-01T00:01:00Z"},
		{"10,000 years of Mondays in New York", "0 9 * * 1", ny, utc("2000-01-03T00:00:00Z"), time.Date(12000, 1, 3, 0, 0, 0, 0, time.UTC), 521775, ""},
	}
	for _, tc := range tests {
		s, err := ParseSchedule(tc.spec, tc.zone)
		if err != nil {
			t.Fatal(err)
		}
		n, last := s.Runs(tc.after, tc.upTo)
		if n != tc.n {
			t.Errorf("%s: count %d, want %d", tc.name, n, tc.n)
		}
		if tc.last != "" && !last.Equal(utc(tc.last)) {
			t.Errorf("%s: last %s, want %s", tc.name, last, tc.last)
		}
		if tc.n == 0 && !last.IsZero() {
			t.Errorf("%s: last %s without runs", tc.name, last)
		}
	}
}

// TestDSTOncePolicy: the skipped 02:30 runs at the change (03:00 EDT), the
// repeated 01:30 runs once.
func TestDSTOncePolicy(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	s, _ := ParseSchedule("30 2 * * *", ny)
	s.DST = DSTOnce
	n, last := s.Runs(time.Date(2016, 3, 13, 0, 0, 0, 0, ny), time.Date(2016, 3, 13, 12, 0, 0, 0, ny))
	if n != 1 || !last.Equal(utc("2016-03-13T07:00:00Z")) {
		t.Errorf("spring-forward: %d, %s", n, last)
	}
	s, _ = ParseSchedule("30 1 * * *", ny)
	s.DST = DSTOnce
	n, last = s.Runs(time.Date(2016, 11, 6, 0, 0, 0, 0, ny), time.Date(2016, 11, 6, 12, 0, 0, 0, ny))
	if n != 1 || !last.Equal(utc("2016-11-06T05:30:00Z")) {
		t.Errorf("fall-back: %d, %s", n, last)
	}
}
