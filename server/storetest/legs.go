package storetest

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

var legsFileMu sync.Mutex

// record arranges for the leg's outcome to be appended to HOTLINE_TEST_LEGS_FILE when tb ends.
func record(tb testing.TB, leg Leg) {
	name := os.Getenv(EnvLegsFile)
	if name == "" {
		return
	}
	tb.Cleanup(func() {
		status := "PASS"
		switch {
		case tb.Failed():
			status = "FAIL"
		case tb.Skipped():
			status = "SKIP"
		}
		if err := appendLeg(name, leg, status, tb.Name()); err != nil {
			tb.Errorf("storetest: recording the %s leg in %s: %v", leg, EnvLegsFile, err)
		}
	})
}

// appendLeg writes one line in a single write, so lines from parallel tests and processes stay whole.
func appendLeg(name string, leg Leg, status, test string) error {
	legsFileMu.Lock()
	defer legsFileMu.Unlock()
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	line := fmt.Sprintf("%s\t%s\t%s\n", leg, status, strings.ReplaceAll(test, "\n", " "))
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
