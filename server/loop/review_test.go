package loop_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/ticket"
)

func badReview(r assess.Rating) assess.Review {
	return assess.Review{ID: "R-1", Rating: r, Unit: "yy-cyzx", Matter: "050201", Channel: assess.ChannelSuishenban,
		Rater: "rater-hash", At: at("2026-11-30 10:00")}
}

// 001 (二): the two lowest of the five ratings are bad reviews; 001 (六): the 12345 hotline 转办s
// them, so each opens a review ticket, and nothing else does.
func TestReviewIntakeOnlyBadReviews(t *testing.T) {
	for _, r := range assess.Ratings() {
		t.Run(string(r), func(t *testing.T) {
			in, err := loop.ReviewIntake(badReview(r), ticket.Intake{Content: "窗口人员态度差"})
			if !r.Bad() {
				assert.ErrorIs(t, err, loop.ErrNotBadReview)
				var re *loop.ReviewError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, "rating", re.Field)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, ticket.KindReview, in.Kind, "closable as unfounded after an upheld appeal (000 §6 (二))")
			assert.Equal(t, ticket.ChannelBadReview, in.Channel)
			assert.Equal(t, "窗口人员态度差", in.Content)
		})
	}
}

func TestReviewIntakeFillsAndRefuses(t *testing.T) {
	t.Run("an empty title and content are filled from the review, never the rater", func(t *testing.T) {
		in, err := loop.ReviewIntake(badReview(assess.VeryDissatisfied), ticket.Intake{})
		require.NoError(t, err)
		assert.Equal(t, "“好差评”差评：非常不满意", in.Title)
		assert.Contains(t, in.Content, "yy-cyzx")
		assert.Contains(t, in.Content, "050201")
		assert.NotContains(t, in.Content, "rater-hash")
	})
	t.Run("what the hotline recorded is kept", func(t *testing.T) {
		given := ticket.Intake{Title: "差评：办证排队", Content: "排队两小时", Citizen: ticket.Person{Phone: "13812345678"},
			Place: ticket.Place{RegionCode: "310113003"}, Kind: ticket.KindReview, Channel: ticket.ChannelBadReview}
		in, err := loop.ReviewIntake(badReview(assess.Dissatisfied), given)
		require.NoError(t, err)
		assert.Equal(t, given, in)
	})
	tests := []struct {
		name  string
		r     assess.Review
		in    ticket.Intake
		field string
	}{
		{"no id", assess.Review{Rating: assess.Dissatisfied, Unit: "u"}, ticket.Intake{}, "id"},
		{"no unit", assess.Review{ID: "R", Rating: assess.Dissatisfied}, ticket.Intake{}, "unit"},
		{"unknown rating", assess.Review{ID: "R", Unit: "u", Rating: "awful"}, ticket.Intake{}, "rating"},
		{"another kind", badReview(assess.Dissatisfied), ticket.Intake{Kind: ticket.KindComplaint}, "ticket.kind"},
		{"another channel", badReview(assess.Dissatisfied), ticket.Intake{Channel: ticket.ChannelPhone}, "ticket.channel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loop.ReviewIntake(tt.r, tt.in)
			assert.ErrorIs(t, err, loop.ErrInvalidReview)
			var re *loop.ReviewError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.field, re.Field)
		})
	}
}

// The intake is one the lifecycle accepts, and the ticket it makes can be closed as unfounded.
func TestReviewIntakeIsAccepted(t *testing.T) {
	m, err := ticket.NewMachine(deadline.China(), deadline.StreetHotline(), ticket.StreetHotline())
	require.NoError(t, err)
	in, err := loop.ReviewIntake(badReview(assess.Dissatisfied), ticket.Intake{Place: ticket.Place{RegionCode: "310113003"}})
	require.NoError(t, err)
	in.Number, err = ticket.NewNumber("BSYYL", at("2026-11-30 10:00"), 1)
	require.NoError(t, err)
	tk, err := m.Accept(in, "operator-07", ticket.RoleHotlineOffice, at("2026-11-30 10:05"))
	require.NoError(t, err)
	assert.Equal(t, ticket.KindReview, tk.Kind)
}

// A bad review from the 随申办 app opens its review ticket; a satisfied one opens none.
func ExampleReviewIntake() {
	r := assess.Review{ID: "R-1", Rating: assess.VeryDissatisfied, Unit: "yy-cyzx", Channel: assess.ChannelSuishenban,
		At: at("2026-11-30 10:00")}
	in, err := loop.ReviewIntake(r, ticket.Intake{Place: ticket.Place{RegionCode: "310113003"}})
	fmt.Println(in.Kind, in.Channel, in.Title, err)
	r.Rating = assess.Satisfied
	_, err = loop.ReviewIntake(r, ticket.Intake{})
	fmt.Println(err)
	// Output:
	// review bad_review “好差评”差评：非常不满意 <nil>
	// loop: not a bad review: review R-1: rating: 满意 (satisfied) is not 不满意 or 非常不满意: only a bad review opens a ticket (001 (二), (六))
}
