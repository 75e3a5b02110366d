package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRun checks the sample program against deadlines worked by hand from the State Council's 2026
// schedule (国庆 10-01…10-07 off, 10-10 Sat worked; 春节 02-15…02-23 off, 02-14 Sat and 02-28 Sat
// worked; 清明 04-04…04-06 off) and, for January 2027, the provisional statutory days (元旦 Fri 01-01).
func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	for _, want := range []string{
		// 004 §8 (一): first contact within 1 working day; 2026-10-01…07 are off, so day 1 is 10-08.
		"先行联系 (1 工作日): 2026-10-08 Thu 24:00",
		// 004 §8 (二): 10-08, 10-09, 10-10 (make-up Sat), 10-12, 10-13; complex: … 10-19, 10-20.
		"一般事项 (5 工作日): 2026-10-13 Tue 24:00",
		"复杂、疑难事项 (10 工作日): 2026-10-20 Tue 24:00",
		// 004 §9: the extension request window of 3 working days includes make-up Saturday 10-10.
		"一般事项延期申请 (3 工作日): 2026-10-10 Sat 24:00",
		// 000 §5: received Fri 02-13; make-up working Saturday 02-14 is day 1, then 02-24 … 02-27.
		"先行联系 (1 工作日): 2026-02-14 Sat 24:00",
		"确有问题的整改反馈 (5 工作日): 2026-02-27 Fri 24:00",
		// 000 §5, §6 (二): day 6 is make-up Saturday 02-28, day 15 is Thu 03-12.
		"较为复杂的办结 (15 工作日): 2026-03-12 Thu 24:00",
		"差评申诉：按不属实评价办结 (15 工作日): 2026-03-12 Thu 24:00",
		// 000 §4 (一): received on a Sunday, day 1 is Monday 03-09.
		"退回国办 (5 工作日): 2026-03-13 Fri 24:00",
		// 000 §5: 25 working days skip 清明 Mon 04-06: day 20 is Fri 04-03, day 25 Mon 04-13.
		"“一般”类留言办理期限上限 (25 工作日): 2026-04-13 Mon 24:00",
		// 003 六 (二): cause analysis the same day; 003 四 (四) 2: 12-29, 12-30, 12-31.
		"当天原因分析 (当天): 2026-12-28 Mon 24:00",
		"一般问题 (3 工作日): 2026-12-31 Thu 24:00",
		// 003 四 (四) 3, 4: 2027-01-01 is off provisionally, so day 4 is 01-04.
		"复杂问题 (7 工作日): 2027-01-07 Thu 24:00  [provisional",
		"特殊问题延时办理 (10 工作日): 2027-01-12 Tue 24:00  [provisional",
	} {
		assert.Contains(t, out.String(), want)
	}
	// Exactly the deadlines in the unpublished year are marked provisional.
	for line := range strings.Lines(out.String()) {
		assert.Equal(t, strings.Contains(line, ": 2027-"), strings.Contains(line, "[provisional"), line)
	}
}
