package server

import (
	"bytes"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/ledger"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/public"
	"github.com/hotline12345/hotline/server/report"
	"github.com/hotline12345/hotline/server/store"
)

// The scheme and the joining policy a report uses when the request names none: the street hotline's
// (004 §14–§15), matching the store's default lifecycle.
const (
	defaultScheme = "street-hotline"
	defaultPolicy = "street-hotline"
)

// reportRequest is what a monthly report or a published ranking is computed for.
type reportRequest struct {
	Month  string
	Unit   string
	Scheme string
	Policy string
}

// buildReport computes the month's report over what p may see: the tickets that can enter the month's
// indicators, the month's reviews and every unit in p's scope (a handling unit: its subtree; the others:
// the directory).
func (s *server) buildReport(c echo.Context, p store.Principal, rq reportRequest) (*report.Report, error) {
	per, err := monthQuery(rq.Month)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if !now.After(per.Start) {
		return nil, &paramError{Name: "month", Reason: "the month has not begun"}
	}
	if rq.Scheme == "" {
		rq.Scheme = defaultScheme
	}
	scheme, err := assess.Preset(rq.Scheme)
	if err != nil {
		return nil, &paramError{Name: "scheme", Reason: "a scheme preset: street-hotline, hebi, beijing-3rates or shanghai-reviews"}
	}
	if rq.Policy == "" {
		rq.Policy = defaultPolicy
	}
	pol, err := loop.Preset(rq.Policy)
	if err != nil {
		return nil, &paramError{Name: "policy", Reason: "a policy preset: street-hotline, shanghai or hebi"}
	}
	if len(rq.Unit) > 64 {
		return nil, &paramError{Name: "unit", Reason: "at most 64 bytes"}
	}
	ctx := c.Request().Context()
	units, err := s.store.Units(ctx, p)
	if err != nil {
		return nil, err
	}
	units = unitsInScope(units, p)
	if rq.Unit != "" && !unitListed(units, rq.Unit) {
		return nil, &paramError{Name: "unit", Reason: "not a unit in the caller's scope"}
	}
	horizon := per.End
	if now.Before(horizon) {
		horizon = now
	}
	recs, err := s.store.ReviewRecords(ctx, p, per.Start, horizon)
	if err != nil {
		return nil, err
	}
	reviews := make([]assess.Review, len(recs))
	for i, r := range recs {
		reviews[i] = r.Review
	}
	head, err := s.store.AuditHead(ctx, p)
	if err != nil {
		return nil, err
	}
	title := "全部单位"
	if names, err := s.unitNames(c, p); err == nil && names[p.Unit] != "" {
		title = names[p.Unit]
	}
	return report.Build(report.Input{Title: title, Period: per, AsOf: now, Scheme: scheme, Policy: pol, Units: units,
		Tickets: s.store.CaseTickets(ctx, p, store.CaseFilter{From: per.Start, Horizon: horizon}), Reviews: reviews,
		Unit: rq.Unit, Chain: report.Chain{Size: head.Size, Head: head.Head}})
}

// unitsInScope keeps the units p reports on: a handling unit's subtree, or every unit.
func unitsInScope(units []routing.Unit, p store.Principal) []routing.Unit {
	if p.Role != store.RoleHandlingUnit {
		return units
	}
	children := map[string][]string{}
	byID := map[string]routing.Unit{}
	for _, u := range units {
		byID[u.ID] = u
		if u.Parent != "" {
			children[u.Parent] = append(children[u.Parent], u.ID)
		}
	}
	var out []routing.Unit
	seen := map[string]bool{}
	for queue := []string{p.Unit}; len(queue) > 0; queue = queue[1:] {
		id := queue[0]
		if seen[id] {
			continue
		}
		seen[id] = true
		if u, ok := byID[id]; ok {
			out = append(out, u)
		} else {
			out = append(out, routing.Unit{ID: id})
		}
		queue = append(queue, children[id]...)
	}
	return out
}

func unitListed(units []routing.Unit, id string) bool {
	for _, u := range units {
		if u.ID == id {
			return true
		}
	}
	return false
}

// monthlyReport answers the monthly report (月通报, 004 §14) of the caller's scope, or of one unit in
// it: as JSON (the report with its input and result, so assess.Verify checks it), an XLSX workbook or a
// printable HTML page. Downloads are audited.
func (s *server) monthlyReport(c echo.Context) error {
	format, err := formatQuery(c, "json", "xlsx", "html")
	if err != nil {
		return err
	}
	q := c.QueryParams()
	if q.Get("month") == "" {
		return &paramError{Name: "month", Reason: "required: a month such as 2026-11"}
	}
	unit, err := textQuery(c, "unit", 64)
	if err != nil {
		return err
	}
	p := principal(c)
	r, err := s.buildReport(c, p, reportRequest{Month: q.Get("month"), Unit: unit, Scheme: q.Get("scheme"), Policy: q.Get("policy")})
	if err != nil {
		return err
	}
	if format == "json" {
		return c.JSON(http.StatusOK, r)
	}
	var buf bytes.Buffer
	if format == "xlsx" {
		err = r.WriteXLSX(&buf)
	} else {
		err = r.WriteHTML(&buf)
	}
	if err != nil {
		return err
	}
	if err := s.store.Audit(c.Request().Context(), p, "report.export", "", []string{"format=" + format, "month=" + r.Period.Label,
		"filter.unit=" + r.Unit, "scheme=" + r.Scheme.Name, "digest=" + r.Result.Digest}, s.now()); err != nil {
		return err
	}
	if format == "xlsx" {
		downloadHeaders(c, ledger.ContentTypeXLSX, "report-"+r.Period.Label+".xlsx", "月度通报-"+r.Period.Label+".xlsx")
		return c.Blob(http.StatusOK, ledger.ContentTypeXLSX, buf.Bytes())
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, public.ContentTypeHTML, buf.Bytes())
}

// PublishRequest asks for the month's ranking of the caller's scope to be published (001 (八)).
type PublishRequest struct {
	Month  string `json:"month"`
	Scheme string `json:"scheme,omitempty"`
	Policy string `json:"policy,omitempty"`
	Label  string `json:"label,omitempty"`
}

// publishRanking computes the month's report of the caller's scope and publishes its ranking with the
// scheme, the input, the digest and the audit chain's head (001 (八), (十)).
func (s *server) publishRanking(c echo.Context) error {
	var body PublishRequest
	if _, err := s.decode(c, &body); err != nil {
		return err
	}
	if body.Month == "" {
		return &paramError{Name: "month", Reason: "required: a month such as 2026-11"}
	}
	if body.Scheme == "" {
		body.Scheme = "shanghai-reviews"
	}
	p := principal(c)
	r, err := s.buildReport(c, p, reportRequest{Month: body.Month, Scheme: body.Scheme, Policy: body.Policy})
	if err != nil {
		return err
	}
	label := body.Label
	if label == "" {
		label = r.Title + " " + r.Period.Label + " " + r.Scheme.Label
	}
	pub, err := s.store.PublishRanking(c.Request().Context(), p, label, p.Unit, r.Scheme, r.Input, r.Result, s.now())
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/public/v1/rankings/"+url.PathEscape(pub.ID))
	return c.JSON(http.StatusCreated, pub)
}
