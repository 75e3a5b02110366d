//go:build linux || darwin || freebsd

package routing

import (
	"syscall"
	"time"
)

// processCPU returns the user+system CPU time the process has used so far,
// or 0 if it cannot tell. Benchmarks report it per operation next to the
// wall-clock ns/op, which a busy machine inflates.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
