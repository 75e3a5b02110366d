package store

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/ticket"
)

// Reviews are published with the unit's reply and the citizen's comment masked for the public; a
// voided review (不属实评价, 000 §6 (二)) is not published (001 (八)).
func TestPublicReviews(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedHall(t, s)
		now := at("2026-11-24 10:00")
		bad, err := s.RateWindow(ctx, WindowRating{Window: "bs-07", Token: token(), Rating: assess.Dissatisfied,
			Comment: "等了两个小时，电话 138 1234 5678，身份证11010519491231002X", IP: "203.0.113.9"}, now)
		require.NoError(t, err)
		good, err := s.RateWindow(ctx, WindowRating{Window: "bs-03", Token: token(), Rating: assess.Satisfied, Comment: "不错"}, now.Add(time.Minute))
		require.NoError(t, err)
		void, err := s.RateWindow(ctx, WindowRating{Window: "bs-03", Token: token(), Rating: assess.VeryDissatisfied}, now.Add(2*time.Minute))
		require.NoError(t, err)
		require.NoError(t, s.VoidReview(ctx, superv, void.Review, "复核认定不属实", now.Add(time.Hour)))

		// The unit replies on the bad review's ticket.
		v := int64(1)
		for _, r := range []struct {
			p   Principal
			req ticket.Request
		}{
			{office, dispatch("bs-sjj")},
			{Principal{Actor: "clerk", Unit: "bs-sjj", Role: RoleHandlingUnit}, ticket.Request{Action: ticket.ActionFirstContact}},
			{Principal{Actor: "clerk", Unit: "bs-sjj", Role: RoleHandlingUnit}, ticket.Request{Action: ticket.ActionReply,
				Payload: ticket.Payload{Reply: &ticket.Reply{Report: "已整改", Summary: "已增开窗口，回电 13812345678 说明", Outcome: ticket.OutcomeResolved}}}},
		} {
			res, err := s.Apply(ctx, r.p, bad.Ticket, v, r.req, now.Add(time.Duration(v)*time.Hour))
			require.NoError(t, err, r.req.Action)
			v = res.Version
		}

		page, err := s.PublicReviews(ctx, PublicReviewFilter{})
		require.NoError(t, err)
		require.Len(t, page.Items, 2, "the voided review is not published")
		assert.Empty(t, page.Next)
		g, b := page.Items[0], page.Items[1]
		assert.Equal(t, good.Review, g.ID, "newest first")
		assert.Equal(t, "不错", g.Comment)
		assert.Equal(t, "宝山区行政服务中心", g.UnitName)
		assert.Equal(t, "3号综合窗口", g.WindowName)
		assert.Equal(t, bad.Review, b.ID)
		assert.Equal(t, assess.Dissatisfied, b.Rating)
		assert.True(t, b.Rectified, "its ticket has been replied")
		assert.NotContains(t, b.Comment, "5678 ", "the phone is masked")
		assert.NotContains(t, b.Comment, "1234")
		assert.NotContains(t, b.Comment, "19491231")
		assert.Contains(t, b.Comment, "等了两个小时")
		assert.Contains(t, b.Reply, "已增开窗口")
		assert.NotContains(t, b.Reply, "13812345678")

		p1, err := s.PublicReviews(ctx, PublicReviewFilter{Limit: 1})
		require.NoError(t, err)
		require.Len(t, p1.Items, 1)
		require.NotEmpty(t, p1.Next)
		p2, err := s.PublicReviews(ctx, PublicReviewFilter{Limit: 1, Cursor: p1.Next})
		require.NoError(t, err)
		require.Len(t, p2.Items, 1)
		assert.Equal(t, bad.Review, p2.Items[0].ID)
		assert.Empty(t, p2.Next)

		byUnit, err := s.PublicReviews(ctx, PublicReviewFilter{Unit: "bs-sjj"})
		require.NoError(t, err)
		require.Len(t, byUnit.Items, 1)
		none, err := s.PublicReviews(ctx, PublicReviewFilter{From: at("2026-12-01 00:00")})
		require.NoError(t, err)
		assert.Empty(t, none.Items)

		for _, f := range []PublicReviewFilter{{Limit: 101}, {Limit: -1}, {Cursor: "!!"}, {Cursor: "bm9kb3Q"}} {
			_, err := s.PublicReviews(ctx, f)
			assert.ErrorIs(t, err, ErrInvalid)
		}

		r, err := s.PublicRatings(ctx, at("2026-11-01 00:00"), at("2026-12-01 00:00"))
		require.NoError(t, err)
		unit := func(id string) RatingCount {
			for _, u := range r.Units {
				if u.Unit == id {
					return u
				}
			}
			t.Fatalf("no unit %s", id)
			return RatingCount{}
		}
		assert.Equal(t, [5]int64{0, 1, 0, 0, 0}, unit("bs-zwzx").Ratings, "the voided review does not count")
		assert.Equal(t, RatingCount{Unit: "bs-sjj", Name: "宝山区市场监管局", Kind: "functional_department",
			Ratings: [5]int64{0, 0, 0, 1, 0}, Reviews: 1, Bad: 1, Rectified: 1}, unit("bs-sjj"))
		assert.Equal(t, int64(0), unit("unit-a").Reviews)
		require.Len(t, r.Districts, 3, "宝山区人民政府 and the two offices of the fixture are district governments")
		var bs RatingCount
		for _, d := range r.Districts {
			if d.Unit == "bs-gov" {
				bs = d
			}
		}
		assert.Equal(t, int64(2), bs.Reviews, "the district counts its units' reviews")
		assert.Equal(t, int64(1), bs.Bad)
		assert.Equal(t, int64(2), r.Total.Reviews)
		_, err = s.PublicRatings(ctx, at("2026-12-01 00:00"), at("2026-11-01 00:00"))
		assert.ErrorIs(t, err, ErrInvalid)
	})
}

// A published ranking verifies against its stored input and carries the chain head; it cannot be
// changed (001 (十)).
func TestPublishRanking(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedHall(t, s)
		recs, err := s.ReviewRecords(ctx, superv, at("2026-11-01 00:00"), at("2026-12-01 00:00"))
		require.NoError(t, err)
		assert.Empty(t, recs)
		for i, r := range []assess.Rating{assess.VerySatisfied, assess.Satisfied, assess.Dissatisfied} {
			_, err := s.RateWindow(ctx, WindowRating{Window: []string{"bs-03", "bs-07"}[i%2], Token: token(), Rating: r, Comment: "评价"}, at("2026-11-10 10:00").Add(time.Duration(i)*time.Minute))
			require.NoError(t, err)
		}
		recs, err = s.ReviewRecords(ctx, superv, at("2026-11-01 00:00"), at("2026-12-01 00:00"))
		require.NoError(t, err)
		in := assess.Input{Units: []string{"bs-sjj", "bs-zwzx"}}
		for _, r := range recs {
			in.Reviews = append(in.Reviews, r.Review)
		}
		scheme := assess.ShanghaiReviews()
		period, err := assess.Month(2026, time.November)
		require.NoError(t, err)
		res, err := assess.Score(in, scheme, assess.Query{Period: period, AsOf: at("2026-12-01 09:00")})
		require.NoError(t, err)
		head, err := s.AuditHead(ctx, superv)
		require.NoError(t, err)

		pub, err := s.PublishRanking(ctx, office, "宝山区2026年11月“好差评”排名", "office-bs", scheme, in, res, at("2026-12-01 09:00"))
		require.NoError(t, err)
		assert.Equal(t, head, pub.Chain, "the chain as it stood before the publication's own row")
		assert.Empty(t, pub.Result.Records, "published in its public form")

		got, err := s.Publication(ctx, pub.ID)
		require.NoError(t, err)
		assert.Equal(t, pub.Result.Digest, got.Result.Digest)
		assert.Equal(t, scheme.Version, got.Scheme.Version)
		gotIn, err := s.PublicationInput(ctx, pub.ID)
		require.NoError(t, err)
		require.NoError(t, assess.Verify(gotIn, got.Scheme, got.Result), "anyone can recompute it")
		list, err := s.Publications(ctx, 10)
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, pub.ID, list[0].ID)

		after, err := s.AuditHead(ctx, superv)
		require.NoError(t, err)
		assert.Equal(t, head.Size+1, after.Size, "the publication is on the chain")

		t.Run("a result that is not what its input gives is refused", func(t *testing.T) {
			forged := res
			forged.Units = append([]assess.UnitScore(nil), res.Units...)
			forged.Units[0].Total += assess.Int(10)
			_, err := s.PublishRanking(ctx, office, "伪造", "", scheme, in, forged, at("2026-12-01 09:00"))
			assert.ErrorIs(t, err, ErrInvalid)
			_, err = s.PublishRanking(ctx, unitA, "x", "", scheme, in, res, at("2026-12-01 09:00"))
			assert.ErrorIs(t, err, ErrForbidden)
		})
		t.Run("published rankings are append-only", func(t *testing.T) {
			_, err := s.db.NewRaw("UPDATE published_rankings SET label = 'x'").Exec(ctx)
			assert.Error(t, err)
			_, err = s.db.NewRaw("DELETE FROM published_rankings").Exec(ctx)
			assert.Error(t, err)
			_, err = s.db.NewRaw("DELETE FROM review_notes").Exec(ctx)
			assert.Error(t, err)
		})
		_, err = s.Publication(ctx, "nope")
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = s.PublicationInput(ctx, "nope")
		assert.ErrorIs(t, err, ErrNotFound)
	})
}
