package deadline

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"
)

// Benchmarks of the calendar's counting, each next to its baseline: the day-by-day loop
// (refAddWorkdays, refWorkdaysBetween in calendar_ref_test.go) that asks IsWorkday about one date after
// another. Figures and the command are in BENCHMARKS.md.

var benchNs = []int{1, 15, 250, 2500}

// benchStart is a receipt in 2026 (published data); with n = 2500 the count runs into the
// provisional years.
var benchStart = time.Date(2026, 9, 30, 16, 20, 0, 0, time.UTC)

var (
	sinkTime time.Time
	sinkInt  int
)

func BenchmarkAddWorkdays(b *testing.B) {
	c := China()
	for _, n := range benchNs {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkTime = c.AddWorkdays(benchStart, n)
			}
		})
	}
}

func BenchmarkAddWorkdaysLoop(b *testing.B) {
	c := China()
	for _, n := range benchNs {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkTime = refAddWorkdays(c, benchStart, n)
			}
		})
	}
}

func BenchmarkWorkdaysBetween(b *testing.B) {
	c := China()
	for _, n := range benchNs {
		end := c.AddWorkdays(benchStart, n)
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkInt = c.WorkdaysBetween(benchStart, end)
			}
		})
	}
}

func BenchmarkWorkdaysBetweenLoop(b *testing.B) {
	c := China()
	for _, n := range benchNs {
		end := c.AddWorkdays(benchStart, n)
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkInt = refWorkdaysBetween(c, benchStart, end)
			}
		})
	}
}

// BenchmarkIsWorkday and BenchmarkChina are for reference: the per-date lookup, and the cost of the
// first China() call (parsing the embedded notices and building the tables), paid once per process.
func BenchmarkIsWorkday(b *testing.B) {
	c := China()
	b.ReportAllocs()
	for b.Loop() {
		sinkInt++
		if c.IsWorkday(benchStart) {
			sinkInt++
		}
	}
}

func BenchmarkChinaBuild(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := buildChina(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParsePolicy decodes and validates one policy file of n limits (see manyLimits: every
// tenth limit names an extension window). n = 1000 is the baseline: linear cost means the 10k and
// 100k rows cost 10× and 100× as much per op (issue 9: it was quadratic, 37 s at 100k).
func BenchmarkParsePolicy(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		data, err := json.Marshal(manyLimits(n))
		if err != nil {
			b.Fatal(err)
		}
		b.Run("limits="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := ParsePolicy(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
