package daemonset

import (
	"syscall"
	"time"
)

// threadCPU is the CPU time the calling OS thread has used: on a shared
// machine it counts a pass's own work, where the wall clock also counts
// the time other processes held the processor.
func threadCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
