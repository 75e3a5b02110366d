// Package legs records which database legs of a storage suite ran, passed, failed or skipped, so CI
// can prove that the PostgreSQL and MariaDB legs ran rather than skipped. It imports nothing of the
// server, so the store's own tests (which cannot import storetest, since storetest imports the store)
// record their legs through it too.
//
// When HOTLINE_TEST_LEGS_FILE names a file, [Record] appends a line
//
//	<leg>\t<PASS|FAIL|SKIP>\t<test name>
//
// to it when the test ends. Without the variable it does nothing.
package legs

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

// EnvFile names the file Record appends to.
const EnvFile = "HOTLINE_TEST_LEGS_FILE"

var mu sync.Mutex

// Record arranges for leg's outcome in tb to be appended to the file named by HOTLINE_TEST_LEGS_FILE
// when tb ends. Call it at the start of the leg's subtest, before anything can skip it. Legs are
// named sqlite, postgres and mariadb.
func Record(tb testing.TB, leg string) {
	name := os.Getenv(EnvFile)
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
		if err := appendLine(name, leg, status, tb.Name()); err != nil {
			tb.Errorf("legs: recording the %s leg in %s: %v", leg, EnvFile, err)
		}
	})
}

// appendLine writes one line in a single append, so lines from parallel tests and processes stay whole.
func appendLine(name, leg, status, test string) error {
	mu.Lock()
	defer mu.Unlock()
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	line := fmt.Sprintf("%s\t%s\t%s\n", leg, status, strings.NewReplacer("\n", " ", "\t", " ").Replace(test))
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
