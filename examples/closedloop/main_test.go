package main

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRun checks the program's key lines. The deadlines are worked by hand from the State Council's
// 2026 schedule (deadline/data/holiday-cn/2026.json): 10-01…10-07 off for 国庆, Saturday 10-10 a
// make-up working day; the complaint is dispatched on Monday 09-28, the bad review on Thursday 10-08,
// and the receipt day is not counted (民法典 第二百零一条).
func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	got := out.String()
	for _, want := range []string{
		"screening: 受理 (accept)",
		"ticket BSYYL-20260928-000128-A: 已受理",
		// 000 §4 (二) 谁主管、谁负责, 002 §6 属地管理优先: the street's 城运中心 is nearer than the district bureau.
		"narrowest_area [002 §6 属地管理优先]",
		"decision: 法定 (statutory), lead 友谊路街道城运中心 (yy-cyzx, 职能部门)",
		// 004 §8 (一): the street office contacts within 1 working day of its own receipt (intake on
		// Mon 09-28): Tue 09-29.
		"先行联系 due 2026-09-29 Tue 24:00 [工作日]",
		// 004 §8 (二): 5 working days: 09-29, 09-30, 10-08, 10-09, 10-10 (make-up Saturday).
		"办结 due 2026-10-10 Sat 24:00 [调休上班]",
		// 004 §12 (二) 4: a dissatisfied callback is supervised.
		"note: supervised (督办 #1): dissatisfied at the callback (004 §12 (二) 4)",
		// 004 §11: redo within 3 working days of the reopening on 10-08: 10-09, 10-10, 10-12.
		"不满退回 → 不满退回 (reopened)",
		"重办 due 2026-10-12 Mon 24:00 [工作日]",
		"结案 → 已结案 (closed)",
		"closed: 1 reopening(s), 1 supervision(s), 9 events in the history",
		// The bad review is its own ticket of kind review, from the 好差评 channel, for the same unit.
		"review ticket BSYYL-20261008-000131-3: 已受理, “好差评”差评 评价 (review)",
		// 000 §5: first contact within 1 working day (Fri 10-09); rectification within 5: 10-09,
		// 10-10 (make-up Saturday), 10-12, 10-13, 10-14.
		"先行联系 due 2026-10-09 Fri 24:00 [工作日] (first_contact 先行联系, 000 §5; 001 (六))",
		"办结 due 2026-10-14 Wed 24:00 [工作日] (reply_general 确有问题的整改反馈, 000 §5; 001 (六))",
		// 000 §6 (二): upheld, the review no longer counts.
		"decided 10-16: 成立, still counts in scores: false",
		"void review R-1008-01 of ticket BSYYL-20261008-000131-3 as 不属实评价",
		// 000 §6 (二): 15 working days from the unit's receipt on Thu 10-08: 10-09, 10-10 (make-up
		// Saturday), 10-12 … 10-16, 10-19 … 10-23, 10-26, 10-27, 10-28.
		// server/loop plans the effect: the unit closes the review ticket as unfounded.
		"plan: 承办单位 yy-cyzx 按不属实评价办结, before 2026-10-28 Wed 24:00 [工作日]",
		// The unit closes the review ticket as unfounded on 10-19, in time; the ticket's own clock
		// agrees with the appeal's effect, and the 5-day rectification clock no longer applies.
		"10-19 10:00 承办单位 yy-cyzx: 按不属实评价办结 → 不属实办结 (closed_unfounded)",
		"不属实办结 due 2026-10-28 Wed 24:00 [工作日] (appeal_close 差评申诉：按不属实评价办结, 000 §6 (二)); late: false",
		"note: review R-1008-01 found unfounded (不属实评价) on appeal review by bs-zwfw (区级政务服务主管部门)",
		"note: reply clock (reply_general due 2026-10-15 00:00) no longer applies: the review is unfounded (000 §6 (二))",
		// The review is routed with its own kind, not a hard-coded complaint.
		"routed as 评价 (review): 法定, lead yy-cyzx",
		// The records come from server/loop: the unit's receipt is the ticket's dispatch; the street
		// hotline has no quality check, so the report's acceptance is unknown (the old glue said yes);
		// a bad review is a complaint against the unit (002 §9), left out once unfounded (000 §6 (二)).
		"case BSYYL-20260928-000128-A: unit yy-cyzx, received 09-28 10:00, report accepted 未设置, complaint against the unit false, unfounded false",
		"case BSYYL-20261008-000131-3: unit yy-cyzx, received 10-08 11:30, report accepted 未设置, complaint against the unit true, unfounded true",
		"street-hotline 2026-10, as of 2026-11-02 09:00",
		"1. yy-bg1      100",
		// The voided review is not counted; the review ticket, closed as unfounded, has no reply and
		// no callback; the complaint's first reply, on 09-30 against its due 10-10 24:00 (the
		// ticket's Reply clock, which the reopening leaves alone, 004 §11), puts it in September's
		// cohort, so October has yy-cyzx's five month cases (4 of 5 satisfied).
		"2. yy-cyzx      90  on time 100.00% (5/5), satisfied 80.00% (4/5), bad reviews 0",
		"3. yy-sqglb     85  on time 60.00% (3/5)",
		"verify: ok",
	} {
		assert.Contains(t, got, want)
	}
	assert.Regexp(t, regexp.MustCompile(`(?m)^digest SM3 [0-9a-f]{16}…$`), got)

	// No clock, no randomness: a second run prints the same bytes.
	var again bytes.Buffer
	require.NoError(t, run(&again))
	assert.Equal(t, got, again.String())
}
