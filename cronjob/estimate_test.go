package cronjob

import (
	"testing"
	"time"
)

// TestKubernetesEstimateMisses: the irregular schedules where
// Kubernetes' period estimate finds no run although one is due, and the
// exact count does.
func TestKubernetesEstimateMisses(t *testing.T) {
	tests := []struct {
		spec        string
		last, now   time.Time
		exactLatest time.Time
		exactDue    int64
	}{
		// last Thursday 14:30; runs 06:30 10:30 14:30 on weekdays; back Saturday noon.
		{"30 6-16/4 * * 1-5", utc("2026-03-05T14:30:00Z"), utc("2026-03-07T12:00:00Z"), utc("2026-03-06T14:30:00Z"), 3},
		{"0,30 9 * * 1-5", utc("2026-03-05T09:30:00Z"), utc("2026-03-09T08:50:00Z"), utc("2026-03-06T09:30:00Z"), 2},
		{"30 10,11,12 * * 1-5", utc("2016-05-19T10:30:00Z"), utc("2016-05-20T16:30:00Z"), utc("2016-05-20T12:30:00Z"), 5},
	}
	for _, tc := range tests {
		cj := base(tc.spec)
		cj.Status.LastScheduleTime = tc.last
		res, err := CronDue(cj, nil, tc.now, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Runs.EstimatedLatest.IsZero() || res.Create != nil {
			t.Errorf("%q: Kubernetes estimate found %s", tc.spec, res.Runs.EstimatedLatest)
		}
		if res.Runs.Due != tc.exactDue || !res.Runs.Latest.Equal(tc.exactLatest) {
			t.Errorf("%q: exact %d %s, want %d %s", tc.spec, res.Runs.Due, res.Runs.Latest, tc.exactDue, tc.exactLatest)
		}
		res, _ = CronDue(cj, nil, tc.now, Options{Exact: true})
		if res.Create == nil || !res.Create.ScheduledTime.Equal(tc.exactLatest) {
			t.Errorf("%q: exact mode created %+v", tc.spec, res.Create)
		}
	}
}
