package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRun checks the sample program against deadlines worked by hand from the State Council's 2026
// schedule (国庆 10-01…10-07 off, 10-10 Sat worked; 春节 02-15…02-23 off, 02-14 Sat and 02-28 Sat worked).
func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	for _, want := range []string{
		// 004 §8 (一): first contact within 1 working day; 2026-10-01…07 are off, so day 1 is 10-08.
		"先行联系 (1 工作日): 2026-10-08 Thu 24:00",
		// 004 §9: the extension request window of 3 working days includes make-up Saturday 10-10.
		"一般事项延期申请 (3 工作日): 2026-10-10 Sat 24:00",
		// 000 §5: received Fri 02-13; make-up working Saturday 02-14 is day 1.
		"先行联系 (1 工作日): 2026-02-14 Sat 24:00",
		// 000 §4 (一): received on a Sunday, day 1 is Monday 03-09.
		"退回国办 (5 工作日): 2026-03-13 Fri 24:00",
		// 003 六 (二): cause analysis the same day.
		"当天原因分析 (当天): 2026-12-28 Mon 24:00",
	} {
		assert.Contains(t, out.String(), want)
	}
	assert.Contains(t, out.String(), "[provisional", "January 2027 is beyond the published schedule")
}
