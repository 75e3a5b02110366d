//go:build race

package ticket

// raceEnabled reports a -race build, whose instrumentation adds allocations of its own, so that
// tests that count allocations exactly skip under it.
const raceEnabled = true
