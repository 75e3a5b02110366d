//go:build unix

package assess

import (
	"syscall"
	"time"
)

// processCPU returns the user+system CPU time used by this process so far. Benchmarks report it per
// operation next to wall time: on a shared machine, wall time includes waiting for a core.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
