package cronjob

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestLint(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	tests := []struct {
		spec string
		zone *time.Location
		want []LintCode
	}{
		{"0 0 30 2 *", nil, []LintCode{LintNeverFires}},
		{"59 23 31 4,6 *", nil, []LintCode{LintNeverFires}},
		{"0 0 29 2 *", nil, []LintCode{LintLeapDayOnly}},
		{"0 0 13 * 5", nil, []LintCode{LintDayFieldsOR}},
		{"0 0 */2 * 1-5", nil, []LintCode{LintDayFieldsOR}},
		{"0 0 * * 1-5", nil, nil},
		{"0 0 */1 * 5", nil, nil},
		{"*/7 * * * *", nil, []LintCode{LintUnevenStep}},
		{"0 */5 * * *", nil, []LintCode{LintUnevenStep}},
		{"*/15 */6 * * *", nil, nil},
		{"TZ=UTC 0 0 * * *", nil, []LintCode{LintTZPrefix}},
		{"30 2 * * *", ny, []LintCode{LintDSTSkipped}},
		{"30 1 * * *", ny, []LintCode{LintDSTRepeated}},
		{"0 2 * * *", ny, []LintCode{LintDSTSkipped}},
		{"0 3 * * *", ny, nil},
		{"30 2 * * *", nil, nil},
		{"@every 5m", nil, nil},
		{"* * * *", nil, []LintCode{LintUnparseable}},
	}
	for _, tc := range tests {
		var got []LintCode
		for _, f := range Lint(tc.spec, tc.zone) {
			if f.Message == "" {
				t.Errorf("%q: finding %s without message", tc.spec, f.Code)
			}
			got = append(got, f.Code)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Lint(%q) (-want +got):\n%s", tc.spec, diff)
		}
	}
}
