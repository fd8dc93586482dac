package flows_test

import (
	"syscall"
	"testing"
	"time"
)

// processCPU is the CPU time the process has used, on every thread: the engine's own
// work and the garbage collector's, and none of the time the machine was busy elsewhere.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports, beside the benchmark's wall time, the process's CPU time per
// operation since start ("cpu-ns/op"): on a shared machine it moves less with the
// neighbours' load than the wall time does.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
}
