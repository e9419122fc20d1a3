package job

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// manageJob's slow start: batches of 1, 2, 4, ... pods, the last holding
// what remains.
func TestManageJobSlowStartBatches(t *testing.T) {
	for n, want := range map[int][]int{0: nil, 1: {1}, 2: {1, 1}, 3: {1, 2}, 7: {1, 2, 4}, 10: {1, 2, 4, 3}, 16: {1, 2, 4, 8, 1}} {
		if got := CreateBatches(n); !cmp.Equal(want, got) {
			t.Errorf("CreateBatches(%d) = %v, want %v", n, got, want)
		}
	}
}

// manageJob: once a batch has a failed create the controller skips the
// rest, and the failed and skipped pods leave the active count, in both of
// the pass's status writes.
func TestManageJobSlowStartStopsAfterAFailedBatch(t *testing.T) {
	j := mkJob(completions(20), parallelism(10), indexed)
	res, err := JobProgress(j, Status{}, nil, at(0), Options{})
	if err != nil || len(res.Create) != 10 || res.Status.Active != 10 {
		t.Fatalf("%v: %d creates, active %d", err, len(res.Create), res.Status.Active)
	}
	// Position 4 is in the third batch (positions 3 to 6): batches one to
	// three are issued, the fourth (7 to 9) is not.
	got, err := JobProgress(j, Status{}, nil, at(0), Options{FailedCreates: []int{4, 8}})
	if err != nil || len(got.Create) != 7 || got.Create[6].Index != 6 {
		t.Fatalf("%v: issued %d creates: %+v", err, len(got.Create), got.Create)
	}
	if got.Status.Active != 10-1-3 {
		t.Fatalf("active %d, want 6 (one failed, three skipped)", got.Status.Active)
	}
	// A failure in the last batch skips nothing.
	if got, _ := JobProgress(j, Status{}, nil, at(0), Options{FailedCreates: []int{9, 8, 42, -1}}); len(got.Create) != 10 || got.Status.Active != 8 {
		t.Fatalf("%d creates, active %d", len(got.Create), got.Status.Active)
	}
}

// syncJob writes the status only when something changed: a pass whose
// only change was the pod it failed to create writes nothing.
func TestManageJobFailedCreatesLeaveNothingToWrite(t *testing.T) {
	j := mkJob(completions(1), parallelism(1))
	// The first pod failed and was counted; its replacement is due now.
	st := Status{Failed: 1, StartTime: at(0), Backoff: BackoffRecord{FailuresAfterLastSuccess: 1, LastFailureTime: at(5)}}
	gone := pod("a", PodFailed, 0, untracked)
	gone.DeletionTimestamp = at(6)
	now := at(60)
	res, err := JobProgress(j, st, []Pod{gone}, now, Options{})
	if err != nil || len(res.Create) != 1 || res.Status.Active != 1 {
		t.Fatalf("%v: %d creates, active %d", err, len(res.Create), res.Status.Active)
	}
	got, err := JobProgress(j, st, []Pod{gone}, now, Options{FailedCreates: []int{0}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Create) != 1 || got.Status.Active != 0 || statusChanged(st, got.Status) || got.Status.Backoff != st.Backoff {
		t.Fatalf("%d creates, status %+v", len(got.Create), got.Status)
	}
}

// The active count drops by the failed creates of the issued batches and
// every create of the batches never issued; the issued ones are a prefix
// of the planned ones that ends at a batch boundary.
func TestFailedCreatesCountFailedAndSkipped(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 40).Draw(t, "parallelism")
		opts := []func(*Job){completions(int32(rapid.IntRange(n, 60).Draw(t, "completions"))), parallelism(int32(n))}
		if rapid.Bool().Draw(t, "indexed") {
			opts = append(opts, indexed)
		}
		j := mkJob(opts...)
		planned, err := JobProgress(j, Status{}, nil, at(0), Options{})
		if err != nil || len(planned.Create) != n {
			t.Fatalf("%v: %d creates for parallelism %d", err, len(planned.Create), n)
		}
		failed := rapid.SliceOfDistinct(rapid.IntRange(-2, n+2), rapid.ID[int]).Draw(t, "failed")
		got, err := JobProgress(j, Status{}, nil, at(0), Options{FailedCreates: failed})
		if err != nil {
			t.Fatal(err)
		}
		first := n
		for _, f := range failed {
			if f >= 0 && f < n {
				first = min(first, f)
			}
		}
		end := n
		if first < n {
			end = 0
			for _, b := range CreateBatches(n) {
				if end += b; first < end {
					break
				}
			}
		}
		if !cmp.Equal(planned.Create[:end], got.Create) {
			t.Fatalf("first failure at %d: issued %d of %d, not the first %d", first, len(got.Create), n, end)
		}
		failedIssued := 0
		for _, f := range failed {
			if f >= 0 && f < end {
				failedIssued++
			}
		}
		if want := planned.Status.Active - int32(failedIssued+n-end); got.Status.Active != want {
			t.Fatalf("active %d, want %d", got.Status.Active, want)
		}
	})
}
