package assess

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// DESIGN §6 / 001 (一): reviews by channel, matter, unit, window and staff; 001 (十三): where bad
// reviews concentrate.
func TestBreakdown(t *testing.T) {
	reviews := fixtureReviews()
	reviews[0].Staff, reviews[3].Staff, reviews[4].Staff = "s1", "s2", "s2"
	reviews[6].Staff = "s2"
	reviews[0].Channel, reviews[1].Channel = ChannelWindow, ChannelMobile
	q := marchQuery()

	breakdown := func(by GroupBy) []ReviewGroup {
		g, err := Breakdown(reviews, q.Period, q.AsOf, by)
		require.NoError(t, err)
		return g
	}
	byStaff := breakdown(ByStaff)
	require.Len(t, byStaff, 3)
	// s2: R4 (不满意), R5 (非常不满意), R7 (不满意, appeal pending: counts) → 3/3 bad.
	assert.Equal(t, ReviewGroup{Key: "s2", Levels: [5]int64{0, 0, 0, 2, 1}, Total: 3, Bad: 3, BadShare: Rate{3, 3}}, byStaff[0])
	// "" : R2, R3 (R6 unfounded, R8 February).
	assert.Equal(t, "", byStaff[1].Key)
	assert.Equal(t, int64(2), byStaff[1].Total)
	assert.Equal(t, "s1", byStaff[2].Key)

	byUnit := breakdown(ByUnit)
	require.Len(t, byUnit, 1)
	assert.Equal(t, [5]int64{1, 1, 1, 2, 1}, byUnit[0].Levels, "matches the unit's Indicators.Levels")

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
	for l := VerySatisfied; l <= VeryDissatisfied; l++ {
		assert.NotEmpty(t, l.Label())
		assert.Equal(t, l.Label(), l.String())
	}
	assert.Equal(t, []string{"非常满意", "满意", "基本满意", "不满意", "非常不满意"},
		[]string{VerySatisfied.Label(), Satisfied.Label(), FairlySatisfied.Label(), Dissatisfied.Label(), VeryDissatisfied.Label()})
	assert.Empty(t, Level(0).Label())
	assert.Equal(t, "Level(9)", Level(9).String())
	// Bad reviews are the two lowest levels (DESIGN §6).
	assert.False(t, FairlySatisfied.Bad())
	assert.True(t, Dissatisfied.Bad())
	assert.True(t, VeryDissatisfied.Bad())
	// 001 (二): the six indicators.
	var dims []string
	for _, d := range Dimensions() {
		dims = append(dims, d.Label())
	}
	assert.Equal(t, []string{"事项管理", "办事流程", "服务效率", "服务水平", "服务态度", "便捷性"}, dims)
	assert.Empty(t, Dimension("x").Label())
	// 001 (一): every channel.
	for _, c := range []Channel{ChannelWindow, ChannelPortal, ChannelMobile, ChannelHotline, ChannelKiosk, ChannelOther} {
		assert.NotEmpty(t, c.Label(), c)
	}
	assert.Empty(t, Channel("fax").Label())
	assert.Equal(t, "加分", Bonus.Label())
	assert.Equal(t, "减分", Deduction.Label())
	assert.Empty(t, AdjustmentKind("x").Label())
	assert.Equal(t, "疑似恶意差评", SignalMaliciousBad.Label())
	assert.Empty(t, SignalKind("x").Label())
	assert.Equal(t, "是", Yes.Label())
	assert.Equal(t, "否", No.Label())
	assert.Equal(t, "未答", NoAnswer.Label())
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
	assert.Error(t, json.Unmarshal([]byte(`{"resolved":"maybe"}`), &c))
	_, err = Answer(5).MarshalText()
	assert.ErrorIs(t, err, ErrInvalidInput)
}
