//go:build race

package sweep_test

// raceEnabled reports a -race build, which runs TestTwoInstances over fewer tickets (see
// instanceTickets): the detector looks for races between the two instances, which a thousand tickets
// exercise as well as ten thousand, at a tenth of a run that would pass the test timeout.
const raceEnabled = true
