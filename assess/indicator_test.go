package assess

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func indicatorsOf(t *testing.T, in Input, s Scheme, q Query, unit string) Indicators {
	t.Helper()
	r, err := Score(in, s, q)
	require.NoError(t, err)
	u, ok := r.Unit(unit)
	require.True(t, ok, "unit %s in result", unit)
	return u.Indicators
}

// The hand-computed fixture of unit A, March 2025, as of 2025-04-05 (see fixture_test.go):
//
//	received cohort   A1 A2 A3 A5 A7 A8             = 6 (A4 Feb, A6 Jan)
//	first-contact due A1✓ A2✗ A3✗ A5✓ A7✓           = 3/5
//	replied cohort    A1 A2 A4 A7 A8                = 5
//	on time           A1✓ A2✗ A4✗ A7✓ (A8 no due) + open overdue A3, A6 = 2/6; overdue 4
//	callbacks known   A1 A2 A4 A7 (A8 none)          = 4/5
//	resolution        A1✓ A2✗ A4✓ (A7 unfounded)     = 2/3
//	satisfaction      A1 1✓ A2 4✗ A4 3✓ (A7)         = 2/3
func TestIndicatorsFixture(t *testing.T) {
	x := indicatorsOf(t, fixtureInput(), StreetHotline(), marchQuery(), "A")
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"received (sample)", x.Received, int64(6)},
		// 004 §8 / 001 (六) "1": first contact within 1 working day; by first-contact due date.
		{"first-contact rate 004 §8", x.FirstContact, Rate{3, 5}},
		// 002 §9 按期办结率 / 逾期办件量: open overdue tickets (A3, and A6 from January) count against it.
		{"on-time rate 002 §9", x.OnTime, Rate{2, 6}},
		{"overdue count 002 §9", x.Overdue, int64(4)},
		// 004 §11 (二) 办理结果 / §15 (一) 1 实际解决率; the unfounded A7 is left out (000 §6 (二)).
		{"resolution rate 004 §15", x.Resolution, Rate{2, 3}},
		// 004 §11 (三) 市民满意情况; 满意/基本满意 count as satisfied.
		{"satisfaction rate 004 §11 (三)", x.Satisfaction, Rate{2, 3}},
		// 000 §4 (四), 004 §11: 100% callbacks; A8 had none.
		{"callback coverage 000 §4 (四)", x.CallbackCoverage, Rate{4, 5}},
		// 004 §11 (一) 联系情况: A1 and A7 answered yes (A7's handling duty still counts).
		{"contacted 004 §11 (一)", x.Contacted, Rate{2, 2}},
		{"attitude 004 §11 (三)", x.Attitude, Rate{1, 2}},
		{"conclusion report 004 §15 (一) 1", x.Report, Rate{1, 2}},
		// 002 §9 被投诉率: A2 is a complaint; A7 is unfounded; over 6 received.
		{"complaints", x.Complaints, int64(1)},
		{"complaint rate 002 §9", x.Complaint, Rate{1, 6}},
		{"returns", x.Returns, int64(1)},
		// 004 §12 (二) 2: repeat complaints.
		{"repeats 004 §12", x.Repeats, int64(2)},
		{"supervisions 003 承办单 督办次数", x.Supervisions, int64(1)},
		{"reopens 004 §11 不满退回", x.Reopens, int64(0)},
		// Reviews: R6 unfounded is excluded (000 §6 (二)); R7 with a pending appeal counts (only 复核认定为不属实 voids it, 000 §6 (二));
		// R8 is in February.
		{"five-level distribution 001 (二)", x.Ratings, [5]int64{1, 1, 1, 2, 1}},
		{"bad reviews are the two lowest levels", x.BadReviews, int64(3)},
		{"bad-review rectification 001 (六)(九)", x.Rectification, Rate{1, 3}},
		{"review satisfaction", x.ReviewSatisfaction, Rate{3, 6}},
		{"dimension 服务态度 001 (二)", x.DimensionSatisfaction[DimAttitude.index()], Rate{1, 2}},
		{"dimension 便捷性 has no data", x.DimensionSatisfaction[DimConvenience.index()], Rate{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, tt.got) })
	}
}

func TestIndicatorsAsOf(t *testing.T) {
	in := fixtureInput()
	s := StreetHotline()
	t.Run("as of April 1 the April 2 callback on A4 is unknown", func(t *testing.T) {
		q := marchQuery()
		q.AsOf = on(time.April, 1, 0)
		x := indicatorsOf(t, in, s, q, "A")
		assert.Equal(t, Rate{3, 5}, x.CallbackCoverage)
		assert.Equal(t, Rate{1, 2}, x.Resolution)
		assert.Equal(t, Rate{1, 2}, x.Satisfaction)
		assert.Equal(t, Rate{2, 6}, x.OnTime, "statuses are read at the period end either way")
	})
	t.Run("mid-month: horizon is AsOf", func(t *testing.T) {
		q := marchQuery()
		q.AsOf = mar(20, 12)
		x := indicatorsOf(t, in, s, q, "A")
		assert.Equal(t, int64(4), x.Received, "A1 A2 A3 A7")
		assert.Equal(t, Rate{2, 3}, x.FirstContact, "A1 A2 A7 due; A3 due Mar 21 not yet")
		// replied A1✓ A2✗ A4✗ A7✓, open overdue only A6 (A3 due Mar 27)
		assert.Equal(t, Rate{2, 5}, x.OnTime)
		assert.Equal(t, int64(3), x.Overdue)
	})
}

func TestIndicatorsUnitB(t *testing.T) {
	x := indicatorsOf(t, fixtureInput(), StreetHotline(), marchQuery(), "B")
	assert.Equal(t, int64(2), x.Received)
	assert.Equal(t, Rate{2, 2}, x.FirstContact)
	assert.Equal(t, Rate{2, 2}, x.OnTime)
	assert.Equal(t, Rate{1, 2}, x.Resolution)
	assert.Equal(t, Rate{2, 2}, x.Satisfaction)
	assert.Equal(t, Rate{0, 2}, x.Complaint)
	assert.Equal(t, [5]int64{}, x.Ratings)
	assert.False(t, x.Rectification.Defined())
}

// 002 §9 被投诉率: with a service volume given, complaints are divided by it.
func TestComplaintRateWithVolume(t *testing.T) {
	in := fixtureInput()
	in.Volumes = []Volume{{Unit: "A", Count: 100}}
	in.Adjustments = nil // Hebi has no bonus or deduction items
	x := indicatorsOf(t, in, Hebi(), marchQuery(), "A")
	assert.Equal(t, Rate{1, 100}, x.Complaint)
	assert.Equal(t, Fixed(10_000), x.Complaint.Value())
}

// The satisfied levels are a scheme knob: counting only 非常满意 and 满意 changes the rate.
func TestSatisfiedLevelsKnob(t *testing.T) {
	s := StreetHotline()
	s.SatisfiedRatings = []Rating{VerySatisfied, Satisfied}
	x := indicatorsOf(t, fixtureInput(), s, marchQuery(), "A")
	assert.Equal(t, Rate{1, 3}, x.Satisfaction, "A4's 基本满意 no longer counts")
	assert.Equal(t, Rate{2, 6}, x.ReviewSatisfaction)
}

func TestIndicatorValue(t *testing.T) {
	x := Indicators{OnTime: Rate{1, 3}, Overdue: 2}
	v, ok := x.Value(OnTimeRate)
	assert.True(t, ok)
	assert.Equal(t, Fixed(333_333), v)
	v, ok = x.Value(OverdueCount)
	assert.True(t, ok)
	assert.Equal(t, Int(2), v)
	_, ok = x.Value(ResolutionRate)
	assert.False(t, ok, "no callbacks: undefined, not zero")
	_, ok = x.Value("nonsense")
	assert.False(t, ok)
	for id := range indicatorTable {
		assert.NotEmpty(t, id.Label(), id)
		_, _ = x.Value(id)
	}
	assert.True(t, ComplaintRate.LowerIsBetter())
	assert.False(t, ResolutionRate.LowerIsBetter())
	assert.Equal(t, "33.33% (1/3)", Rate{1, 3}.String())
	assert.Equal(t, "n/a (0/0)", Rate{}.String())
}

func TestInputValidation(t *testing.T) {
	s := StreetHotline()
	base := func() Input { return Input{Cases: fixtureCases()[:1], Reviews: fixtureReviews()[:1]} }
	tests := []struct {
		name   string
		mutate func(*Input)
		field  string
	}{
		{"case without id", func(in *Input) { in.Cases[0].ID = "" }, "id"},
		{"case without unit", func(in *Input) { in.Cases[0].Unit = "" }, "unit"},
		{"case without receipt", func(in *Input) { in.Cases[0].ReceivedAt = time.Time{} }, "received_at"},
		{"reply before receipt", func(in *Input) { in.Cases[0].RepliedAt = mar(1, 0) }, "replied_at"},
		{"bad satisfaction", func(in *Input) { in.Cases[0].Satisfaction = "nine" }, "satisfaction"},
		{"bad answer", func(in *Input) { in.Cases[0].Resolved = "maybe" }, "resolved"},
		{"answers without callback", func(in *Input) { in.Cases[0].CallbackAt = time.Time{} }, "callback_at"},
		{"negative repeats", func(in *Input) { in.Cases[0].Repeats = -1 }, "repeats"},
		{"duplicate case id", func(in *Input) { in.Cases = append(in.Cases, in.Cases[0]) }, "id"},
		{"review without rating", func(in *Input) { in.Reviews[0].Rating = "" }, "rating"},
		{"review unknown channel", func(in *Input) { in.Reviews[0].Channel = "fax" }, "channel"},
		{"review unknown dimension", func(in *Input) { in.Reviews[0].Dimensions = map[Dimension]Rating{"speed": Satisfied} }, "dimensions"},
		{"review dimension level", func(in *Input) { in.Reviews[0].Dimensions = map[Dimension]Rating{DimProcess: "six"} }, "dimensions.process"},
		{"review without time", func(in *Input) { in.Reviews[0].At = time.Time{} }, "at"},
		{"duplicate review id", func(in *Input) { in.Reviews = append(in.Reviews, in.Reviews[0]) }, "id"},
		{"adjustment not in scheme", func(in *Input) { in.Adjustments = []Adjustment{{Unit: "A", Item: "gift", At: mar(3, 0)}} }, "item"},
		{"adjustment negative count", func(in *Input) {
			in.Adjustments = []Adjustment{{Unit: "A", Item: "false_report", Count: -1, At: mar(3, 0)}}
		}, "count"},
		{"duplicate volume", func(in *Input) { in.Volumes = []Volume{{Unit: "A", Count: 1}, {Unit: "A", Count: 2}} }, "unit"},
		{"negative volume", func(in *Input) { in.Volumes = []Volume{{Unit: "A", Count: -1}} }, "count"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.mutate(&in)
			_, err := Score(in, s, marchQuery())
			require.ErrorIs(t, err, ErrInvalidInput)
			var fe *FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.field, fe.Field)
			assert.NotEmpty(t, fe.Error())
		})
	}
}

func TestQueryValidation(t *testing.T) {
	s := StreetHotline()
	tests := []struct {
		name string
		q    Query
	}{
		{"zero as of", Query{Period: must(Month(2025, time.March))}},
		{"as of before period", Query{Period: must(Month(2025, time.March)), AsOf: on(time.February, 1, 0)}},
		{"empty period", Query{Period: Custom(mar(5, 0), mar(5, 0), "x"), AsOf: mar(5, 0)}},
		{"unknown kind", Query{Period: Period{Kind: "week", Start: mar(1, 0), End: mar(8, 0)}, AsOf: mar(9, 0)}},
		{"zero period", Query{Period: Period{Kind: PeriodCustom}, AsOf: mar(9, 0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Score(Input{}, s, tt.q)
			require.ErrorIs(t, err, ErrInvalidPeriod)
		})
	}
}
