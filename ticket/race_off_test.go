//go:build !race

package ticket

// raceEnabled reports a -race build; see race_on_test.go.
const raceEnabled = false
