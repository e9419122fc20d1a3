package job

import (
	"time"
)

// Pod-failure back-off of the Job controller: 10 s after the first failure,
// doubling, at most 10 minutes.
const (
	InitialBackoff = 10 * time.Second
	MaxBackoff     = 10 * time.Minute
)

// BackoffDelay is how long the controller waits before creating a pod after
// failures consecutive failures (0 means no wait).
func BackoffDelay(failures int64) time.Duration {
	if failures <= 0 {
		return 0
	}
	d := InitialBackoff
	for i := int64(1); i < failures; i++ {
		d *= 2
		if d >= MaxBackoff {
			return MaxBackoff
		}
	}
	return d
}

// remainingBackoff is what is left of the delay after failures counted
// failures, the latest at last; exactly elapsed is 0.
func remainingBackoff(failures int64, last, now time.Time) time.Duration {
	d := BackoffDelay(failures)
	if d == 0 {
		return 0
	}
	elapsed := now.Sub(last)
	if d < elapsed {
		return 0
	}
	return d - elapsed
}

// updateBackoff folds this pass's newly finished pods into the record: a
// success resets it, and only failures that finished strictly after the
// latest success still count.
func updateBackoff(pods []Pod, old BackoffRecord, succeeded, failed []*podView) BackoffRecord {
	if len(succeeded) == 0 {
		if len(failed) == 0 {
			return old
		}
		var last time.Time
		for i, v := range failed {
			if t := finishTime(&pods[v.at]); i == 0 || t.After(last) {
				last = t
			}
		}
		n := int64(old.FailuresAfterLastSuccess) + int64(len(failed))
		return BackoffRecord{FailuresAfterLastSuccess: int32(min(n, int64(1<<31-1))), LastFailureTime: last}
	}
	var lastSuccess time.Time
	for i, v := range succeeded {
		if t := finishTime(&pods[v.at]); i == 0 || t.After(lastSuccess) {
			lastSuccess = t
		}
	}
	var rec BackoffRecord
	for _, v := range failed {
		t := finishTime(&pods[v.at])
		if !t.After(lastSuccess) {
			continue
		}
		rec.FailuresAfterLastSuccess++
		if rec.LastFailureTime.IsZero() || t.After(rec.LastFailureTime) {
			rec.LastFailureTime = t
		}
	}
	return rec
}
