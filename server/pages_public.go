package server

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/store"
)

// The public pages (001 (八): 企业群众对政务服务的评价内容……公开；定期公开各区、各部门“好差评”综合排名):
// no sign-in and no personal data. Every figure they show is read from the same store functions as
// the JSON of public disclosure (disclosure.go, /public/v1/...): the reviews from
// store.PublicReviews (level, indicators, channel, window, the citizen's text and the unit's reply,
// masked for the public), the ratings per unit and per district from store.PublicRatings, the
// published rankings from store.Publications. Only the month's provisional ranking (publicResult)
// is computed here, and its JSON is /public/rankings/result.

// publicPrincipal reads what the public pages publish.
var publicPrincipal = store.Principal{Actor: "web:public", Role: store.RoleSystem}

// publicPageSize is how many reviews a page of /public/reviews shows.
const publicPageSize = 50

type publicReview struct {
	ID, Rating, Unit, Channel, Window, Dimensions, Text, Reply string
	At                                                         time.Time
	Bad, Rectified                                             bool
}

// publicReviewView is what the page shows of a published review.
func publicReviewView(r store.PublicReview) publicReview {
	v := publicReview{ID: r.ID, Rating: r.Rating.Label(), Unit: r.UnitName, Window: r.WindowName, At: r.At, Bad: r.Rating.Bad(),
		Text: r.Comment, Reply: r.Reply, Rectified: r.Rectified,
		Dimensions: dimensionsText(assess.Review{Dimensions: r.Dimensions})}
	if v.Unit == "" {
		v.Unit = r.Unit
	}
	if v.Window == "" {
		v.Window = r.Window
	}
	if r.Channel != "" {
		v.Channel = r.Channel.Label()
	}
	return v
}

// publicRatings reads the month's published ratings (as GET /public/v1/ratings).
func (s *server) publicRatingsOf(ctx context.Context, period assess.Period) (store.Ratings, error) {
	return s.store.PublicRatings(ctx, period.Start, period.End)
}

func (s *server) publicIndex(c echo.Context) error {
	period, month, err := s.monthParam("")
	if err != nil {
		return err
	}
	r, err := s.publicRatingsOf(c.Request().Context(), period)
	if err != nil {
		return err
	}
	t := r.Total
	good := t.Ratings[assess.VerySatisfied.Rank()-1] + t.Ratings[assess.Satisfied.Rank()-1]
	data := map[string]any{"KPIs": []kpiView{{month + " 评价数", strconv.FormatInt(t.Reviews, 10)},
		{"好评（非常满意、满意）", strconv.FormatInt(good, 10)}, {"差评", strconv.FormatInt(t.Bad, 10)},
		{"满意率", percentText(t.Reviews-t.Bad, t.Reviews)}}}
	return s.render(c, http.StatusOK, "public_index", view{Title: "“好差评”公开", Nav: "index", Data: data})
}

// publicReviews shows a page of the month's published reviews, newest first (as GET
// /public/v1/reviews), with a link to the next page.
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
	page, err := s.store.PublicReviews(ctx, store.PublicReviewFilter{Unit: unit, From: period.Start, To: period.End,
		Limit: publicPageSize, Cursor: c.QueryParam("cursor")})
	if err != nil {
		return err
	}
	list := make([]publicReview, 0, len(page.Items))
	for _, r := range page.Items {
		list = append(list, publicReviewView(r))
	}
	dir, err := s.directory(ctx)
	if err != nil {
		return err
	}
	next := ""
	if page.Next != "" {
		next = "/public/reviews?" + url.Values{"period": {month}, "unit": {unit}, "cursor": {page.Next}}.Encode()
	}
	data := map[string]any{"Period": month, "Reviews": list, "Next": next,
		"Units": unitOptions(dir, unit, "全部单位", func(routing.Unit) bool { return true })}
	return s.render(c, http.StatusOK, "public_reviews", view{Title: "评价与回复", Nav: "reviews", Data: data})
}

type ratingRow struct {
	Name         string
	Total        int64
	Counts       []int64
	Satisfaction string
}

type ratingGroup struct {
	Heading, KeyLabel string
	Rows              []ratingRow
}

func ratingRows(cs []store.RatingCount) []ratingRow {
	out := make([]ratingRow, 0, len(cs))
	for _, c := range cs {
		name := c.Name
		if name == "" {
			name = c.Unit
		}
		out = append(out, ratingRow{Name: name, Total: c.Reviews, Counts: c.Ratings[:], Satisfaction: percentText(c.Reviews-c.Bad, c.Reviews)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Total > out[j].Total })
	return out
}

// publicRatings shows the month's ratings per district and per unit (001 (八)), as GET
// /public/v1/ratings counts them.
func (s *server) publicRatings(c echo.Context) error {
	period, month, err := s.monthParam(c.QueryParam("period"))
	if err != nil {
		return err
	}
	r, err := s.publicRatingsOf(c.Request().Context(), period)
	if err != nil {
		return err
	}
	var levels []string
	for _, l := range assess.Ratings() {
		levels = append(levels, l.Label())
	}
	data := map[string]any{"Period": month, "Levels": levels, "Groups": []ratingGroup{
		{Heading: "各区", KeyLabel: "区", Rows: ratingRows(r.Districts)}, {Heading: "各单位", KeyLabel: "单位", Rows: ratingRows(r.Units)}}}
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
	pubs, err := s.store.Publications(c.Request().Context(), maxPublications)
	if err != nil {
		return err
	}
	data := map[string]any{"Period": month, "Publications": pubs, "Scheme": res.Scheme, "SchemeVersion": res.SchemeVersion, "AsOf": res.AsOf,
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

func percentText(num, den int64) string {
	if den == 0 {
		return "—"
	}
	return assess.RatioOf(num, den).Percent()
}
