package cronjob_test

import (
	"fmt"
	"time"

	"github.com/purectl/purectl/cronjob"
)

// Counting the runs of an every-minute schedule over a whole year, exactly
// and without walking them: 365 days of 1,440 minutes.
func ExampleSchedule_Runs() {
	s, err := cronjob.ParseSchedule("* * * * *", time.UTC)
	if err != nil {
		fmt.Println(err)
		return
	}
	after := time.Date(2025, 3, 1, 0, 0, 30, 0, time.UTC)
	n, last := s.Runs(after, after.AddDate(1, 0, 0))
	fmt.Println(n, last.Format(time.RFC3339))
	// Output:
	// 525600 2026-03-01T00:00:00Z
}

// A schedule for February 30 never fires; a schedule that names both a day
// of the month and a day of the week runs when either matches.
func ExampleLint() {
	for _, spec := range []string{"0 0 30 2 *", "0 9 13 * 5"} {
		for _, f := range cronjob.Lint(spec, time.UTC) {
			fmt.Printf("%s: %s\n", spec, f.Code)
		}
	}
	// Output:
	// 0 0 30 2 *: NeverFires
	// 0 9 13 * 5: DayFieldsOR
}
