package main

import (
	"fmt"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// EnvOtherBuild names another build of the command (a path to its binary) for
// BenchmarkServerPaired to compare this one with.
const EnvOtherBuild = "HOTLINE_BENCH_OTHER_BUILD"

// BenchmarkServerPaired compares the intake of this build of the command with another build (the
// binary EnvOtherBuild names, e.g. built from an earlier commit): both serve one fresh PostgreSQL
// database side by side, and each iteration sends one intake to each (a caller and text of its own,
// as in BenchmarkServerLoad), the order swapped every iteration, so that both see the same load from
// the rest of the machine — on a shared machine the load changes from one run to the next more than
// a small change to the server does. It reports the median, 99th percentile and mean latency of
// each ("this-…", "other-…"). Without EnvOtherBuild it skips.
func BenchmarkServerPaired(b *testing.B) {
	other := os.Getenv(EnvOtherBuild)
	if other == "" {
		b.Skipf("set %s to the path of another build of the command to compare with", EnvOtherBuild)
	}
	s := startLoadServer(b)
	bases := [2]string{s.base, serveHotline(b, other, s.dsn)}
	names := [2]string{"this", "other"}
	var lat [2][]time.Duration
	n := int64(0)
	b.ReportAllocs()
	for b.Loop() {
		for k := range 2 {
			side := (k + int(n%2)) % 2
			body := intakeBody(80_000_000 + 2*n + int64(side))
			t0 := time.Now()
			err := s.doAt(bases[side], http.MethodPost, "/v1/tickets", body, http.StatusCreated,
				"Idempotency-Key", fmt.Sprintf("paired-%d-%d", side, n))
			require.NoError(b, err)
			lat[side] = append(lat[side], time.Since(t0))
		}
		n++
	}
	b.StopTimer()
	for side, l := range lat {
		if len(l) == 0 {
			continue
		}
		slices.Sort(l)
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		b.ReportMetric(ms(l[len(l)/2]), names[side]+"-p50-ms")
		b.ReportMetric(ms(l[int(0.99*float64(len(l)-1))]), names[side]+"-p99-ms")
		b.ReportMetric(ms(sum(l))/float64(len(l)), names[side]+"-mean-ms")
	}
}
