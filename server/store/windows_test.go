package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/ticket"
)

// seedHall writes a district with a hall: 宝山区人民政府 (a district government over 310113), its
// 行政服务中心 with an area of its own, and two windows of the centre.
func seedHall(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	seedUnits(t, s)
	for _, u := range []routing.Unit{
		{ID: "bs-gov", Name: "宝山区人民政府", Kind: routing.UnitDistrictGovernment, Areas: []routing.RegionCode{"310113"}},
		{ID: "bs-zwzx", Name: "宝山区行政服务中心", Kind: routing.UnitFunctionalDepartment, Parent: "bs-gov"},
		{ID: "bs-sjj", Name: "宝山区市场监管局", Kind: routing.UnitFunctionalDepartment, Parent: "bs-gov",
			Areas: []routing.RegionCode{"310113001"}},
	} {
		require.NoError(t, s.PutUnit(ctx, admin, u, at("2026-11-20 09:00")))
	}
	for _, w := range []Window{
		{ID: "bs-03", Unit: "bs-zwzx", Hall: "宝山区行政服务中心", Name: "3号综合窗口", Staff: []WindowStaff{{ID: "0301", Name: "窗口一"}, {ID: "0302", Name: "窗口二"}}},
		{ID: "bs-07", Unit: "bs-sjj", Hall: "宝山区行政服务中心", Name: "7号市场监管窗口"},
	} {
		require.NoError(t, s.PutWindow(ctx, admin, w, at("2026-11-20 09:00")))
	}
}

func token() string { return uuid.NewString() }

func TestWindows(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedHall(t, s)
		ws, err := s.Windows(ctx, unitA, "", "宝山区行政服务中心")
		require.NoError(t, err)
		require.Len(t, ws, 2)
		assert.Equal(t, "bs-03", ws[0].ID)
		assert.Equal(t, []WindowStaff{{ID: "0301", Name: "窗口一"}, {ID: "0302", Name: "窗口二"}}, ws[0].Staff)
		ws, err = s.Windows(ctx, office, "bs-sjj", "")
		require.NoError(t, err)
		require.Len(t, ws, 1)

		w, name, err := s.PublicWindow(ctx, "bs-07")
		require.NoError(t, err)
		assert.Equal(t, "7号市场监管窗口", w.Name)
		assert.Equal(t, "宝山区市场监管局", name)
		_, _, err = s.PublicWindow(ctx, "nope")
		assert.ErrorIs(t, err, ErrNotFound)
		_, _, err = s.PublicWindow(ctx, "../etc")
		assert.ErrorIs(t, err, ErrNotFound)

		require.NoError(t, s.PutWindow(ctx, office, Window{ID: "bs-07", Unit: "bs-sjj", Hall: "宝山区行政服务中心", Name: "7号窗口"}, at("2026-11-21 09:00")),
			"a hotline office replaces a window")
		w, _, err = s.PublicWindow(ctx, "bs-07")
		require.NoError(t, err)
		assert.Equal(t, "7号窗口", w.Name)

		for name, tt := range map[string]struct {
			p   Principal
			w   Window
			err error
		}{
			"a handling unit":  {unitA, Window{ID: "x", Unit: "unit-a", Hall: "h", Name: "n"}, ErrForbidden},
			"bad id":           {admin, Window{ID: "a b", Unit: "unit-a", Hall: "h", Name: "n"}, ErrInvalid},
			"no hall":          {admin, Window{ID: "x", Unit: "unit-a", Name: "n"}, ErrInvalid},
			"no name":          {admin, Window{ID: "x", Unit: "unit-a", Hall: "h"}, ErrInvalid},
			"unknown unit":     {admin, Window{ID: "x", Unit: "nobody", Hall: "h", Name: "n"}, ErrInvalid},
			"staff twice":      {admin, Window{ID: "x", Unit: "unit-a", Hall: "h", Name: "n", Staff: []WindowStaff{{ID: "1"}, {ID: "1"}}}, ErrInvalid},
			"bad staff number": {admin, Window{ID: "x", Unit: "unit-a", Hall: "h", Name: "n", Staff: []WindowStaff{{ID: "一"}}}, ErrInvalid},
		} {
			assert.ErrorIs(t, s.PutWindow(ctx, tt.p, tt.w, at("2026-11-21 09:00")), tt.err, name)
		}
	})
}

// A rating through a window's QR code is a review of the offline channel (001 (一), (四)) naming the
// window and the staff member, with keyed hashes of the rater's address and device; a bad one opens a
// ticket like any other (000 §2: 好差评差评 enter the 12345 system), all in one transaction.
func TestRateWindow(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedHall(t, s)
		now := at("2026-11-24 10:00")
		const ip, ua = "203.0.113.9", "Mozilla/5.0 (iPhone) 随申办"

		good := WindowRating{Window: "bs-03", Token: token(), Rating: assess.VerySatisfied, Staff: "0301",
			Dimensions: map[assess.Dimension]assess.Rating{assess.DimAttitude: assess.VerySatisfied}, Comment: "办事很快", IP: ip, UserAgent: ua}
		res, err := s.RateWindow(ctx, good, now)
		require.NoError(t, err)
		assert.Equal(t, "qr-"+good.Token, res.Review)
		assert.Empty(t, res.Ticket, "a good rating opens no ticket")

		bad := WindowRating{Window: "bs-07", Token: token(), Rating: assess.VeryDissatisfied,
			Comment: "等了两个小时，我的电话13812345678", IP: ip, UserAgent: ua}
		res2, err := s.RateWindow(ctx, bad, now.Add(time.Minute))
		require.NoError(t, err)
		require.NotEmpty(t, res2.Ticket)
		assert.NotEmpty(t, res2.Number)

		t.Run("the reviews are the offline channel's, with window, staff and hashes", func(t *testing.T) {
			rs, err := s.Reviews(ctx, superv, "bs-zwzx", at("2026-11-01 00:00"), at("2026-12-01 00:00"))
			require.NoError(t, err)
			require.Len(t, rs, 1)
			r := rs[0]
			assert.Equal(t, assess.ChannelServiceHall, r.Channel)
			assert.Equal(t, "bs-03", r.Window)
			assert.Equal(t, "0301", r.Staff)
			rater, err := s.RaterHash(biRater, ip)
			require.NoError(t, err)
			device, err := s.RaterHash(biDevice, ua)
			require.NoError(t, err)
			assert.Equal(t, rater, r.Rater)
			assert.Equal(t, device, r.Device)
			assert.Len(t, r.Rater, 64)
			assert.NotEqual(t, r.Rater, r.Device, "the two fields are keyed apart")
		})
		t.Run("the bad rating's ticket is a review ticket in the unit's area, which the district office sees", func(t *testing.T) {
			rec, err := s.Get(ctx, office, res2.Ticket)
			require.NoError(t, err)
			tk := rec.Ticket
			assert.Equal(t, ticket.KindReview, tk.Kind)
			assert.Equal(t, ticket.ChannelBadReview, tk.Channel)
			assert.Equal(t, ticket.StateReceived, tk.State)
			assert.Equal(t, "310113001", tk.Place.RegionCode)
			assert.Contains(t, tk.Content, "7号市场监管窗口")
			assert.Contains(t, tk.Content, "非常不满意")
			recs, err := s.ReviewRecords(ctx, superv, at("2026-11-01 00:00"), at("2026-12-01 00:00"))
			require.NoError(t, err)
			require.Len(t, recs, 2)
			assert.Equal(t, res2.Ticket, recs[1].Ticket)
			assert.False(t, recs[1].Review.Rectified, "not replied yet")
		})
		t.Run("the same form twice stores one review and one ticket", func(t *testing.T) {
			before, err := s.db.NewSelect().Model((*ticketRow)(nil)).Count(ctx)
			require.NoError(t, err)
			_, err = s.RateWindow(ctx, bad, now.Add(2*time.Minute))
			assert.ErrorIs(t, err, ErrDuplicate)
			after, err := s.db.NewSelect().Model((*ticketRow)(nil)).Count(ctx)
			require.NoError(t, err)
			assert.Equal(t, before, after, "nothing half-written")
		})
		t.Run("refusals", func(t *testing.T) {
			for name, tt := range map[string]struct {
				r   WindowRating
				err error
			}{
				"unknown window": {WindowRating{Window: "bs-99", Token: token(), Rating: assess.Satisfied}, ErrNotFound},
				"bad window":     {WindowRating{Window: "bs 03", Token: token(), Rating: assess.Satisfied}, ErrNotFound},
				"no token":       {WindowRating{Window: "bs-03", Rating: assess.Satisfied}, ErrInvalid},
				"no rating":      {WindowRating{Window: "bs-03", Token: token()}, ErrInvalid},
				"unknown staff":  {WindowRating{Window: "bs-03", Token: token(), Rating: assess.Satisfied, Staff: "9999"}, ErrInvalid},
				"long comment":   {WindowRating{Window: "bs-03", Token: token(), Rating: assess.Satisfied, Comment: strings.Repeat("长", MaxComment+1)}, ErrInvalid},
				"bad dimension": {WindowRating{Window: "bs-03", Token: token(), Rating: assess.Satisfied,
					Dimensions: map[assess.Dimension]assess.Rating{"speed": assess.Satisfied}}, ErrInvalid},
			} {
				_, err := s.RateWindow(ctx, tt.r, now)
				assert.ErrorIs(t, err, tt.err, name)
			}
		})
		t.Run("the raw address and device are stored nowhere", func(t *testing.T) {
			for _, q := range []string{"SELECT body FROM reviews", "SELECT fields FROM audit_log", "SELECT snapshot FROM tickets",
				"SELECT body FROM ticket_events", "SELECT payload FROM outbox"} {
				var blobs [][]byte
				require.NoError(t, s.db.NewRaw(q).Scan(ctx, &blobs))
				for _, b := range blobs {
					assert.NotContains(t, string(b), ip, q)
					assert.NotContains(t, string(b), "iPhone", q)
				}
			}
		})
		t.Run("the fraud signals see the hashes (001 (十) 刷好评)", func(t *testing.T) {
			for i := range 5 {
				_, err := s.RateWindow(ctx, WindowRating{Window: "bs-03", Token: token(), Rating: assess.VerySatisfied, IP: "198.51.100.7",
					UserAgent: fmt.Sprintf("ua-%d", i)}, now.Add(time.Duration(10+i)*time.Minute))
				require.NoError(t, err)
			}
			rs, err := s.Reviews(ctx, superv, "bs-zwzx", at("2026-11-01 00:00"), at("2026-12-01 00:00"))
			require.NoError(t, err)
			sig, err := assess.FakePraise(rs, assess.DefaultFakePraise())
			require.NoError(t, err)
			require.Len(t, sig, 1)
			h, err := s.RaterHash(biRater, "198.51.100.7")
			require.NoError(t, err)
			assert.Equal(t, "rater:"+h, sig[0].By)
			assert.Equal(t, 5, sig[0].Count)
		})
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}
