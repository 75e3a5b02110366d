package assess

import (
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// mar returns 2025-03-day hh:00 in Asia/Shanghai.
func mar(day, hour int) time.Time {
	return time.Date(2025, time.March, day, hour, 0, 0, 0, deadline.Location())
}

func on(m time.Month, day, hour int) time.Time {
	return time.Date(2025, m, day, hour, 0, 0, 0, deadline.Location())
}

// fixtureCases are the hand-worked cases of unit A and B; expected figures are derived in
// indicator_test.go, period March 2025, as of 2025-04-05.
func fixtureCases() []CaseRecord {
	return []CaseRecord{
		// A1: everything on time, callback all good.
		{ID: "A1", Unit: "A", ReceivedAt: mar(3, 9), FirstContactDue: mar(4, 9), FirstContactAt: mar(3, 15),
			ReplyDue: mar(10, 9), RepliedAt: mar(7, 10), CallbackAt: mar(8, 10),
			Contacted: Yes, Resolved: Yes, Satisfaction: VerySatisfied, Attitude: Yes, ReportAccepted: Yes},
		// A2: complaint against A; first contact late, reply late, callback all bad, repeats and a supervision.
		{ID: "A2", Unit: "A", Complaint: true, ReceivedAt: mar(5, 9), FirstContactDue: mar(6, 9), FirstContactAt: mar(7, 9),
			ReplyDue: mar(12, 9), RepliedAt: mar(14, 9), CallbackAt: mar(15, 9),
			Resolved: No, Satisfaction: Dissatisfied, Attitude: No, ReportAccepted: No, Repeats: 2, Supervisions: 1},
		// A3: never contacted, still open and overdue at the end of March; returned once.
		{ID: "A3", Unit: "A", ReceivedAt: mar(20, 9), FirstContactDue: mar(21, 9), ReplyDue: mar(27, 9), Returns: 1},
		// A4: received in February, replied late in March; callback on April 2 (after End, before AsOf).
		{ID: "A4", Unit: "A", ReceivedAt: on(time.February, 10, 9), FirstContactDue: on(time.February, 11, 9), FirstContactAt: on(time.February, 10, 15),
			ReplyDue: on(time.February, 17, 9), RepliedAt: mar(2, 9), CallbackAt: on(time.April, 2, 9),
			Resolved: Yes, Satisfaction: FairlySatisfied},
		// A5: received late March, contacted on time, reply not yet due.
		{ID: "A5", Unit: "A", ReceivedAt: mar(28, 9), FirstContactDue: mar(31, 9), FirstContactAt: mar(28, 12), ReplyDue: on(time.April, 8, 9)},
		// A6: received in January, due January 20, never replied: open overdue, counts against March.
		{ID: "A6", Unit: "A", ReceivedAt: on(time.January, 5, 9), ReplyDue: on(time.January, 20, 9)},
		// A7: bad-review ticket ruled unfounded (000 §6 (二)); handled on time.
		{ID: "A7", Unit: "A", Complaint: true, Unfounded: true, ReceivedAt: mar(10, 9), FirstContactDue: mar(11, 9), FirstContactAt: mar(10, 11),
			ReplyDue: mar(17, 9), RepliedAt: mar(15, 9), CallbackAt: mar(16, 9),
			Contacted: Yes, Resolved: No, Satisfaction: VeryDissatisfied, Attitude: No},
		// A8: no first-contact stage, no reply deadline, replied, no callback.
		{ID: "A8", Unit: "A", ReceivedAt: mar(25, 9), RepliedAt: mar(26, 9)},
		// B1, B2: unit B, all on time; B2 unresolved.
		{ID: "B1", Unit: "B", ReceivedAt: mar(3, 9), FirstContactDue: mar(4, 9), FirstContactAt: mar(3, 10),
			ReplyDue: mar(10, 9), RepliedAt: mar(6, 9), CallbackAt: mar(7, 9),
			Contacted: Yes, Resolved: Yes, Satisfaction: Satisfied, Attitude: Yes, ReportAccepted: Yes},
		{ID: "B2", Unit: "B", ReceivedAt: mar(3, 9), FirstContactDue: mar(4, 9), FirstContactAt: mar(3, 10),
			ReplyDue: mar(10, 9), RepliedAt: mar(6, 9), CallbackAt: mar(7, 9),
			Contacted: Yes, Resolved: No, Satisfaction: FairlySatisfied, Attitude: Yes, ReportAccepted: Yes},
	}
}

func fixtureReviews() []Review {
	return []Review{
		{ID: "R1", Unit: "A", Rating: VerySatisfied, At: mar(2, 9), Dimensions: map[Dimension]Rating{DimAttitude: VerySatisfied}, Rater: "r1"},
		{ID: "R2", Unit: "A", Rating: Satisfied, At: mar(3, 9), Rater: "r2"},
		{ID: "R3", Unit: "A", Rating: FairlySatisfied, At: mar(4, 9), Rater: "r3"},
		{ID: "R4", Unit: "A", Rating: Dissatisfied, At: mar(5, 9), Rectified: true, Dimensions: map[Dimension]Rating{DimAttitude: Dissatisfied}, Rater: "r4"},
		{ID: "R5", Unit: "A", Rating: VeryDissatisfied, At: mar(6, 9), Rater: "r5"},
		{ID: "R6", Unit: "A", Rating: VeryDissatisfied, At: mar(7, 9), Unfounded: true, Rater: "r6"},
		{ID: "R7", Unit: "A", Rating: Dissatisfied, At: mar(8, 9), AppealPending: true, Rater: "r7"},
		{ID: "R8", Unit: "A", Rating: VerySatisfied, At: on(time.February, 20, 9), Rater: "r8"},
	}
}

func fixtureAdjustments() []Adjustment {
	return []Adjustment{
		{Unit: "A", Item: "false_report", At: mar(12, 9), Evidence: "A2"},
		{Unit: "A", Item: "cold_attitude", Count: 6, At: mar(13, 9)},
		{Unit: "A", Item: "lead_hard_cases", Count: 3, At: mar(14, 9)},
		{Unit: "A", Item: "media_exposure", At: on(time.April, 2, 9)}, // outside March
	}
}

func fixtureInput() Input {
	return Input{Cases: fixtureCases(), Reviews: fixtureReviews(), Adjustments: fixtureAdjustments(), Units: []string{"Z"}}
}

func marchQuery() Query {
	return Query{Period: must(Month(2025, time.March)), AsOf: on(time.April, 5, 0)}
}

// must returns v, panicking on err: for fixtures built from constants.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
