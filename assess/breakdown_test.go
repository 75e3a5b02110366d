package assess

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// 001 (一): reviews by channel, matter, unit, window and staff; 001 (十三): where bad
// reviews concentrate.
func TestBreakdown(t *testing.T) {
	reviews := fixtureReviews()
	reviews[0].Staff, reviews[3].Staff, reviews[4].Staff = "s1", "s2", "s2"
	reviews[6].Staff = "s2"
	reviews[0].Channel, reviews[1].Channel = ChannelServiceHall, ChannelSuishenban
	q := marchQuery()

	breakdown := func(by GroupBy) []ReviewGroup {
		g, err := Breakdown(reviews, q.Period, q.AsOf, by)
		require.NoError(t, err)
		return g
	}
	byStaff := breakdown(ByStaff)
	require.Len(t, byStaff, 3)
	// s2: R4 (不满意), R5 (非常不满意), R7 (不满意, appeal pending: counts) → 3/3 bad.
	assert.Equal(t, ReviewGroup{Key: "s2", Ratings: [5]int64{0, 0, 0, 2, 1}, Total: 3, Bad: 3, BadShare: Rate{3, 3}}, byStaff[0])
	// "" : R2, R3 (R6 unfounded, R8 February).
	assert.Equal(t, "", byStaff[1].Key)
	assert.Equal(t, int64(2), byStaff[1].Total)
	assert.Equal(t, "s1", byStaff[2].Key)

	byUnit := breakdown(ByUnit)
	require.Len(t, byUnit, 1)
	assert.Equal(t, [5]int64{1, 1, 1, 2, 1}, byUnit[0].Ratings, "matches the unit's Indicators.Ratings")

	assert.Len(t, breakdown(ByChannel), 3)
	assert.Len(t, breakdown(ByWindow), 1)
	assert.Len(t, breakdown(ByMatter), 1)

	_, err := Breakdown(reviews, q.Period, q.AsOf, "colour")
	require.ErrorIs(t, err, ErrInvalidInput)
	assert.Contains(t, err.Error(), `by = "colour"`)
	_, err = Breakdown(reviews, Period{}, q.AsOf, ByUnit)
	assert.ErrorIs(t, err, ErrInvalidPeriod)
}

func TestLabels(t *testing.T) {
	for _, l := range Ratings() {
		assert.NotContains(t, l.Label(), "未知", l)
		assert.Equal(t, string(l), l.String())
	}
	assert.Equal(t, []string{"非常满意", "满意", "基本满意", "不满意", "非常不满意"},
		[]string{VerySatisfied.Label(), Satisfied.Label(), FairlySatisfied.Label(), Dissatisfied.Label(), VeryDissatisfied.Label()})
	assert.Equal(t, "未设置", Rating("").Label())
	assert.Equal(t, "未知(nine)", Rating("nine").Label())
	// Bad reviews are the two lowest ratings, which open a ticket (000 §4 (一)).
	assert.False(t, FairlySatisfied.Bad())
	assert.True(t, Dissatisfied.Bad())
	assert.True(t, VeryDissatisfied.Bad())
	// 001 (二): the six indicators.
	var dims []string
	for _, d := range Dimensions() {
		dims = append(dims, d.Label())
	}
	assert.Equal(t, []string{"事项管理", "办事流程", "服务效率", "服务水平", "服务态度", "便捷性"}, dims)
	assert.Equal(t, "未知(x)", Dimension("x").Label())
	// 001 (一): every channel.
	for _, c := range Channels() {
		assert.NotContains(t, c.Label(), "未知", c)
	}
	assert.Equal(t, "未知(fax)", Channel("fax").Label())
	assert.Equal(t, "加分", Bonus.Label())
	assert.Equal(t, "减分", Deduction.Label())
	assert.Equal(t, "未知(x)", AdjustmentKind("x").Label())
	assert.Equal(t, "疑似恶意差评", SignalMaliciousBad.Label())
	assert.Equal(t, "未知(x)", SignalKind("x").Label())
	assert.Equal(t, "是", Yes.Label())
	assert.Equal(t, "否", No.Label())
	assert.Equal(t, "未设置", NoAnswer.Label())
}

// Every enum of the package behaves alike (internal/enum): the label parses back, an unknown value is
// refused by Parse and UnmarshalText with an *EnumError wrapping ErrInvalidEnum that does not echo a
// huge input.
func TestEnumsBehaveAlike(t *testing.T) {
	huge := strings.Repeat("x", 64<<10)
	checks := []struct {
		name  string
		parse func(string) error
		text  func([]byte) error
	}{
		{"Rating", func(s string) error { _, err := ParseRating(s); return err }, func(b []byte) error { var v Rating; return v.UnmarshalText(b) }},
		{"Answer", func(s string) error { _, err := ParseAnswer(s); return err }, func(b []byte) error { var v Answer; return v.UnmarshalText(b) }},
		{"Dimension", func(s string) error { _, err := ParseDimension(s); return err }, func(b []byte) error { var v Dimension; return v.UnmarshalText(b) }},
		{"Channel", func(s string) error { _, err := ParseChannel(s); return err }, func(b []byte) error { var v Channel; return v.UnmarshalText(b) }},
		{"Algorithm", func(s string) error { _, err := ParseAlgorithm(s); return err }, func(b []byte) error { var v Algorithm; return v.UnmarshalText(b) }},
		{"ScoringKind", func(s string) error { _, err := ParseScoringKind(s); return err }, func(b []byte) error { var v ScoringKind; return v.UnmarshalText(b) }},
		{"AdjustmentKind", func(s string) error { _, err := ParseAdjustmentKind(s); return err }, func(b []byte) error { var v AdjustmentKind; return v.UnmarshalText(b) }},
		{"MissingRule", func(s string) error { _, err := ParseMissingRule(s); return err }, func(b []byte) error { var v MissingRule; return v.UnmarshalText(b) }},
		{"TieRule", func(s string) error { _, err := ParseTieRule(s); return err }, func(b []byte) error { var v TieRule; return v.UnmarshalText(b) }},
		{"PeriodKind", func(s string) error { _, err := ParsePeriodKind(s); return err }, func(b []byte) error { var v PeriodKind; return v.UnmarshalText(b) }},
		{"SignalKind", func(s string) error { _, err := ParseSignalKind(s); return err }, func(b []byte) error { var v SignalKind; return v.UnmarshalText(b) }},
		{"GroupBy", func(s string) error { _, err := ParseGroupBy(s); return err }, func(b []byte) error { var v GroupBy; return v.UnmarshalText(b) }},
		{"IndicatorID", func(s string) error { _, err := ParseIndicatorID(s); return err }, func(b []byte) error { var v IndicatorID; return v.UnmarshalText(b) }},
		{"RecordKind", func(s string) error { _, err := ParseRecordKind(s); return err }, func(b []byte) error { var v RecordKind; return v.UnmarshalText(b) }},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			for _, bad := range []string{"nope", huge} {
				err := c.parse(bad)
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalidEnum)
				var ee *EnumError
				assert.True(t, errors.As(err, &ee))
				assert.Less(t, len(err.Error()), 1000)
				assert.ErrorIs(t, c.text([]byte(bad)), ErrInvalidEnum)
			}
			assert.NoError(t, c.text(nil), "empty text is the unset value")
		})
	}
	for _, r := range Ratings() {
		got, err := ParseRating(r.Label())
		require.NoError(t, err)
		assert.Equal(t, r, got)
	}
	// The channel wire values are package ticket's (CONTRIBUTING.md, shared vocabularies).
	assert.Equal(t, []Channel{"service_hall", "one_net_portal", "suishenban", "phone", "kiosk", "other"}, Channels())
	assert.Equal(t, []Rating{"very_satisfied", "satisfied", "fairly_satisfied", "dissatisfied", "very_dissatisfied"}, Ratings())
}

func TestAnswerJSON(t *testing.T) {
	var c CaseRecord
	require.NoError(t, json.Unmarshal([]byte(`{"id":"x","unit":"u","received_at":"2025-03-03T09:00:00+08:00","resolved":"yes","attitude":"no","contacted":""}`), &c))
	assert.Equal(t, Yes, c.Resolved)
	assert.Equal(t, No, c.Attitude)
	assert.Equal(t, NoAnswer, c.Contacted)
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"resolved":"yes"`)
	assert.NotContains(t, string(b), "first_contact_at", "zero times are omitted")
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"resolved":"maybe"}`), &c), ErrInvalidEnum)
	c.Resolved = "maybe" // set from Go: refused by validation
	assert.ErrorIs(t, c.validate(0), ErrInvalidInput)
}
