package server

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/public"
	"github.com/hotline12345/hotline/server/store"
)

// disclosure serves the unauthenticated routes of public disclosure (001 (八), (十)). Its group has a
// short cache of its own and limits every caller by client address.
type disclosure struct {
	*server
	cache *public.Cache
}

func (s *server) newDisclosure() *disclosure {
	return &disclosure{server: s, cache: public.NewCache(public.DefaultTTL, public.DefaultMaxItems, public.DefaultMaxBody, time.Now)}
}

// limit is the public group's per-address limit, in front of its cache, so a cached page is no free
// flood: every caller of the group, with a key or without, is counted by its client address (the
// configured IP extractor) at the server's address rate (RateLimits.AddressRate; zero turns it off).
// It is the one set of address buckets of the server (the auth's public limiter, ratelimit.go):
// identify has already counted a caller without a key there, so only a caller with a key, whom
// identify counted by key, is counted here as well. A request over it is 429 "rate_limited" with
// Retry-After.
func (d *disclosure) limit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := c.Get(ctxPrincipal).(store.Principal); ok {
			if err := d.server.limit(c, d.auth.public, "address", c.RealIP()); err != nil {
				return err
			}
		}
		return next(c)
	}
}

// html renders a page with status.
func (d *disclosure) html(c echo.Context, status int, view any) error {
	var buf bytes.Buffer
	if err := public.Render(&buf, view); err != nil {
		return err
	}
	return c.Blob(status, public.ContentTypeHTML, buf.Bytes())
}

// reviewFilter reads unit, month or from/to, limit and cursor.
func reviewFilter(c echo.Context) (store.PublicReviewFilter, error) {
	q := c.QueryParams()
	unit, err := textQuery(c, "unit", 64)
	if err != nil {
		return store.PublicReviewFilter{}, err
	}
	f := store.PublicReviewFilter{Unit: unit, Cursor: q.Get("cursor")}
	if q.Get("month") != "" || q.Get("from") != "" || q.Get("to") != "" {
		per, err := spanQuery(c)
		if err != nil {
			return f, err
		}
		f.From, f.To = per.From, per.To
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return f, &paramError{Name: "limit", Reason: "an integer from 1 to 100"}
		}
		f.Limit = n
	}
	return f, nil
}

// reviews answers published reviews (level, indicators, comment and the unit's reply, masked for the
// public), newest first.
func (d *disclosure) reviews(c echo.Context) error {
	f, err := reviewFilter(c)
	if err != nil {
		return err
	}
	page, err := d.store.PublicReviews(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// RatingsResponse is a month's published ratings per unit, per district and in all.
type RatingsResponse struct {
	Period assess.Period `json:"period"`
	store.Ratings
}

// ratingsMonth reads month (default: the current month).
func (d *disclosure) ratingsMonth(c echo.Context) (assess.Period, error) {
	m := c.QueryParam("month")
	if m == "" {
		m = d.now().In(deadline.Location()).Format("2006-01")
	}
	return monthQuery(m)
}

func (d *disclosure) ratings(c echo.Context) error {
	per, err := d.ratingsMonth(c)
	if err != nil {
		return err
	}
	r, err := d.store.PublicRatings(c.Request().Context(), per.Start, per.End)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, RatingsResponse{Period: per, Ratings: r})
}

// RankingsResponse lists the published rankings, newest first.
type RankingsResponse struct {
	Items []store.Publication `json:"items"`
}

// maxPublications is how many publications a listing shows.
const maxPublications = 100

func (d *disclosure) rankings(c echo.Context) error {
	ps, err := d.store.Publications(c.Request().Context(), maxPublications)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, RankingsResponse{Items: ps})
}

// ranking answers one published ranking: its result (public form), scheme, chain head and digests.
func (d *disclosure) ranking(c echo.Context) error {
	p, err := d.store.Publication(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// rankingInput answers the input a published ranking was computed from, for assess.Verify.
func (d *disclosure) rankingInput(c echo.Context) error {
	in, err := d.store.PublicationInput(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, in)
}

func (d *disclosure) rankingPage(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := d.store.Publication(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	names, err := d.store.PublicUnitNames(ctx)
	if err != nil {
		return err
	}
	reasons := map[string]string{}
	for _, st := range append(append([]assess.Standing{}, p.Result.Ranking.Ranked...), p.Result.Ranking.NotRanked...) {
		if st.Reason != "" {
			reasons[st.Reason] = d.reasonText(ctx, st.Reason)
		}
	}
	id := url.PathEscape(p.ID)
	return d.html(c, http.StatusOK, public.RankingView{Pub: p, Names: names, Reasons: reasons,
		JSONURL: "/public/v1/rankings/" + id, InputURL: "/public/v1/rankings/" + id + "/input"})
}
