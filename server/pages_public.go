package server

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket/privacy"
)

// The public pages (001 (八): 企业群众对政务服务的评价内容……公开；定期公开各区、各部门“好差评”综合排名):
// no sign-in and no personal data — a review shows its level, indicators, channel, unit and date, the
// unit's published reply summary; texts are scrubbed of phone and ID numbers for the public
// (ticket/privacy, AudiencePublic). The data are read as the platform (a principal of role system)
// and reduced here to what may be published.

// publicPrincipal reads what the public pages publish.
var publicPrincipal = store.Principal{Actor: "web:public", Role: store.RoleSystem}

// publicScrub masks any phone or ID number left in a published text.
var publicScrub = privacy.Shanghai()

func scrubPublic(s string) string { return publicScrub.Scrub(s, privacy.AudiencePublic) }

type publicReview struct {
	ID, Rating, Unit, Channel, Window, Matter, Dimensions, Text, Reply string
	At                                                                 time.Time
	Bad, Voided                                                        bool
}

// publicReviews reads the month's reviews with what may be published of them.
func (s *server) publicReviewList(ctx context.Context, period assess.Period, unit string) ([]publicReview, []assess.Review, error) {
	rs, err := s.store.PeriodReviews(ctx, publicPrincipal, period.Start, period.End)
	if err != nil {
		return nil, nil, err
	}
	dir, err := s.directory(ctx)
	if err != nil {
		return nil, nil, err
	}
	var out []publicReview
	for i := len(rs) - 1; i >= 0; i-- {
		r := rs[i]
		if unit != "" && r.Unit != unit {
			continue
		}
		pr := publicReview{ID: r.ID, Rating: r.Rating.Label(), Unit: r.Unit, Channel: r.Channel.Label(), Window: r.Window,
			Dimensions: dimensionsText(r), At: r.At, Bad: r.Rating.Bad(), Voided: r.Unfounded}
		if u, ok := dir.Unit(r.Unit); ok {
			pr.Unit = u.Name
		}
		if m, ok := dir.Matter(routing.MatterCode(r.Matter)); ok {
			pr.Matter = m.Name
		}
		if r.Rating.Bad() {
			if sr, err := s.store.Review(ctx, publicPrincipal, r.ID); err == nil && sr.TicketID != "" {
				if rec, err := s.store.Get(ctx, publicPrincipal, sr.TicketID); err == nil {
					if rec.Ticket.Reply != nil {
						pr.Reply = scrubPublic(rec.Ticket.Reply.Summary)
					}
					if rec.Ticket.Kind == "review" {
						pr.Text = scrubPublic(rec.Ticket.Content)
					}
				}
			}
		}
		out = append(out, pr)
	}
	return out, rs, nil
}

func (s *server) publicIndex(c echo.Context) error {
	period, month, err := s.monthParam("")
	if err != nil {
		return err
	}
	_, rs, err := s.publicReviewList(c.Request().Context(), period, "")
	if err != nil {
		return err
	}
	var total, good, bad int
	for _, r := range rs {
		if r.Unfounded {
			continue
		}
		total++
		if r.Rating.Bad() {
			bad++
		} else if r.Rating != assess.FairlySatisfied {
			good++
		}
	}
	data := map[string]any{"KPIs": []kpiView{{month + " 评价数", strconv.Itoa(total)}, {"好评（非常满意、满意）", strconv.Itoa(good)}, {"差评", strconv.Itoa(bad)},
		{"满意率", percentText(total-bad, total)}}}
	return s.render(c, http.StatusOK, "public_index", view{Title: "“好差评”公开", Nav: "index", Data: data})
}

func (s *server) publicReviews(c echo.Context) error {
	ctx := c.Request().Context()
	period, month, err := s.monthParam(c.QueryParam("period"))
	if err != nil {
		return err
	}
	unit := c.QueryParam("unit")
	if len(unit) > 64 {
		return &paramError{Name: "unit", Reason: "at most 64 bytes"}
	}
	list, _, err := s.publicReviewList(ctx, period, unit)
	if err != nil {
		return err
	}
	dir, err := s.directory(ctx)
	if err != nil {
		return err
	}
	if len(list) > 200 {
		list = list[:200]
	}
	data := map[string]any{"Period": month, "Reviews": list, "Units": unitOptions(dir, unit, "全部单位", func(routing.Unit) bool { return true })}
	return s.render(c, http.StatusOK, "public_reviews", view{Title: "评价与回复", Nav: "reviews", Data: data})
}

type ratingRow struct {
	Name         string
	Total        int
	Counts       []int
	Satisfaction string
}

type ratingGroup struct {
	Heading, KeyLabel string
	Rows              []ratingRow
}

// publicRatings shows the month's reviews per unit and per district (001 (八)).
func (s *server) publicRatings(c echo.Context) error {
	ctx := c.Request().Context()
	period, month, err := s.monthParam(c.QueryParam("period"))
	if err != nil {
		return err
	}
	_, rs, err := s.publicReviewList(ctx, period, "")
	if err != nil {
		return err
	}
	dir, err := s.directory(ctx)
	if err != nil {
		return err
	}
	byUnit, byDistrict := map[string][]int{}, map[string][]int{}
	add := func(m map[string][]int, k string, r assess.Rating) {
		if m[k] == nil {
			m[k] = make([]int, len(assess.Ratings()))
		}
		m[k][r.Rank()-1]++
	}
	for _, r := range rs {
		if r.Unfounded || r.Rating.Rank() < 1 {
			continue
		}
		name, district := r.Unit, "其他"
		if u, ok := dir.Unit(r.Unit); ok {
			name = u.Name
			if len(u.Areas) > 0 && len(u.Areas[0]) >= 6 {
				code := routing.RegionCode(string(u.Areas[0])[:6])
				if reg, ok := dir.Tree().Region(code); ok {
					district = reg.Name
				}
			}
		}
		add(byUnit, name, r.Rating)
		add(byDistrict, district, r.Rating)
	}
	rows := func(m map[string][]int) []ratingRow {
		var out []ratingRow
		for k, counts := range m {
			total, bad := 0, 0
			for i, n := range counts {
				total += n
				if assess.Ratings()[i].Bad() {
					bad += n
				}
			}
			out = append(out, ratingRow{Name: k, Total: total, Counts: counts, Satisfaction: percentText(total-bad, total)})
		}
		sort.Slice(out, func(i, j int) bool {
			if out[i].Total != out[j].Total {
				return out[i].Total > out[j].Total
			}
			return out[i].Name < out[j].Name
		})
		return out
	}
	var levels []string
	for _, r := range assess.Ratings() {
		levels = append(levels, r.Label())
	}
	data := map[string]any{"Period": month, "Levels": levels, "Groups": []ratingGroup{
		{Heading: "各区", KeyLabel: "区", Rows: rows(byDistrict)}, {Heading: "各单位", KeyLabel: "单位", Rows: rows(byUnit)}}}
	return s.render(c, http.StatusOK, "public_ratings", view{Title: "各单位、各区评价", Nav: "ratings", Data: data})
}

// publicResult scores the month's reviews under the public 好差评 scheme (assess.ShanghaiReviews, 001
// (八)) as the platform; the published result carries no records.
func (s *server) publicResult(c echo.Context, period assess.Period) (assess.Result, error) {
	scheme := assess.ShanghaiReviews()
	asOf := earlier(s.now(), period.End)
	if asOf.Before(period.Start) {
		asOf = period.Start
	}
	rs, err := s.store.PeriodReviews(c.Request().Context(), publicPrincipal, period.Start, asOf)
	if err != nil {
		return assess.Result{}, err
	}
	res, err := assess.Score(assess.Input{Reviews: rs}, scheme, assess.Query{Period: period, AsOf: asOf})
	if err != nil {
		return assess.Result{}, err
	}
	return res.Public(), nil
}

// publicRankings shows the month's published ranking with its digests and how to verify it (001 (十)).
func (s *server) publicRankings(c echo.Context) error {
	period, month, err := s.monthParam(c.QueryParam("period"))
	if err != nil {
		return err
	}
	res, err := s.publicResult(c, period)
	if err != nil {
		return err
	}
	data := map[string]any{"Period": month, "Scheme": res.Scheme, "SchemeVersion": res.SchemeVersion, "AsOf": res.AsOf,
		"Ranking": s.standings(c, res.Ranking, ""), "Digest": res.Digest, "InputDigest": res.InputDigest,
		"SchemeDigest": res.SchemeDigest, "Algorithm": strings.ToUpper(string(res.Algorithm)),
		"JSON": "/public/rankings/result?period=" + month}
	return s.render(c, http.StatusOK, "public_rankings", view{Title: "综合排名", Nav: "rankings", Data: data})
}

// publicRankingResult is the published result as JSON, to recompute and verify.
func (s *server) publicRankingResult(c echo.Context) error {
	period, _, err := s.monthParam(c.QueryParam("period"))
	if err != nil {
		return err
	}
	res, err := s.publicResult(c, period)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func percentText(num, den int) string {
	if den == 0 {
		return "—"
	}
	return assess.RatioOf(int64(num), int64(den)).Percent()
}
