package server

import (
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/ledger"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/privacy"
)

// ContentTypeCSV is the media type of a CSV ledger.
const ContentTypeCSV = "text/csv; charset=utf-8"

// span is a half-open interval read from the query: month=YYYY-MM, or from=YYYY-MM-DD and
// to=YYYY-MM-DD (both days included), in Asia/Shanghai.
type span struct {
	From, To time.Time
	Label    string
}

// maxLedgerDays bounds a ledger's period (a year and a day: an assessment year with margin).
const maxLedgerDays = 367

func spanQuery(c echo.Context) (span, error) {
	q := c.QueryParams()
	if m := q.Get("month"); m != "" {
		if q.Get("from") != "" || q.Get("to") != "" {
			return span{}, &paramError{Name: "month", Reason: "either month or from and to, not both"}
		}
		p, err := monthQuery(m)
		if err != nil {
			return span{}, err
		}
		return span{From: p.Start, To: p.End, Label: p.Label}, nil
	}
	from, err := dayQuery(q, "from")
	if err != nil {
		return span{}, err
	}
	to, err := dayQuery(q, "to")
	if err != nil {
		return span{}, err
	}
	switch {
	case from.IsZero() || to.IsZero():
		return span{}, &paramError{Name: "month", Reason: "a month (2026-11) or from and to (2026-11-01, 2026-11-30) is required"}
	case to.Before(from):
		return span{}, &paramError{Name: "to", Reason: "is before from"}
	case to.Sub(from) > maxLedgerDays*24*time.Hour:
		return span{}, &paramError{Name: "to", Reason: fmt.Sprintf("a period of at most %d days", maxLedgerDays)}
	}
	return span{From: from, To: to.AddDate(0, 0, 1), Label: from.Format(dateLayout) + "_" + to.Format(dateLayout)}, nil
}

// Years a period parameter may name: a period's end must still be a time JSON can write (year 9999).
const (
	minParamYear = assess.MinYear
	maxParamYear = 9998
)

func monthQuery(m string) (assess.Period, error) {
	t, err := time.ParseInLocation("2006-01", m, deadline.Location())
	if err != nil || t.Year() < minParamYear || t.Year() > maxParamYear {
		return assess.Period{}, &paramError{Name: "month", Reason: "a month such as 2026-11"}
	}
	p, err := assess.Month(t.Year(), t.Month())
	if err != nil {
		return assess.Period{}, &paramError{Name: "month", Reason: "a month such as 2026-11"}
	}
	return p, nil
}

func dayQuery(q url.Values, name string) (time.Time, error) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(dateLayout, v, deadline.Location())
	if err != nil || t.Year() < minParamYear || t.Year() > maxParamYear {
		return time.Time{}, &paramError{Name: name, Reason: "a date such as 2026-11-01"}
	}
	return t, nil
}

func formatQuery(c echo.Context, allowed ...string) (string, error) {
	f := c.QueryParam("format")
	if f == "" {
		return allowed[0], nil
	}
	for _, a := range allowed {
		if f == a {
			return f, nil
		}
	}
	return "", &paramError{Name: "format", Reason: strings.Join(allowed, " or ")}
}

// textQuery reads a query parameter that names something (a unit, a hall): at most max bytes of
// valid UTF-8 without control characters.
func textQuery(c echo.Context, name string, max int) (string, error) {
	v := c.QueryParam(name)
	if len(v) > max || !utf8.ValidString(v) || strings.IndexFunc(v, unicode.IsControl) >= 0 {
		return "", &paramError{Name: name, Reason: fmt.Sprintf("at most %d bytes of text without control characters", max)}
	}
	return v, nil
}

// unitNames maps the directory's unit ids to their names, for display.
func (s *server) unitNames(c echo.Context, p store.Principal) (map[string]string, error) {
	units, err := s.store.Units(c.Request().Context(), p)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(units))
	for _, u := range units {
		out[u.ID] = u.Name
	}
	return out, nil
}

// downloadHeaders sets the headers of a download named name.ext (a Chinese name for people, with an
// ASCII fallback).
func downloadHeaders(c echo.Context, contentType, ascii, name string) {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, contentType)
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(name)))
	h.Set("Cache-Control", "no-store")
}

// ledgerTickets exports the ticket ledger (工单台账) of a period, optionally of one unit, as XLSX or
// CSV. The store scopes it to the caller, masks the identities for those who do not handle the
// tickets (masked=true asks for the masked copy anyway) and audits the export.
func (s *server) ledgerTickets(c echo.Context) error {
	return s.exportLedger(c, "tickets", ledger.TicketSheet(), ledger.TicketRow, nil)
}

// ledgerWindowCases exports the 办不成事 ledger (003 六 (五), 七 (二)): the tickets of the 办不成事
// window, online and offline.
func (s *server) ledgerWindowCases(c echo.Context) error {
	var chans []string
	for _, ch := range ledger.WindowChannels() {
		chans = append(chans, string(ch))
	}
	return s.exportLedger(c, "window_cases", ledger.WindowSheet(), ledger.WindowRow, chans)
}

func (s *server) exportLedger(c echo.Context, what string, sheet ledger.Sheet,
	row func(*ticket.Ticket, ledger.Names, time.Time) ledger.Row, channels []string) error {
	per, err := spanQuery(c)
	if err != nil {
		return err
	}
	format, err := formatQuery(c, "xlsx", "csv")
	if err != nil {
		return err
	}
	masked, err := boolParam(c.QueryParams(), "masked")
	if err != nil {
		return err
	}
	unit, err := textQuery(c, "unit", 64)
	if err != nil {
		return err
	}
	p, now, ctx := principal(c), s.now(), c.Request().Context()
	units, err := s.store.Units(ctx, p)
	if err != nil {
		return err
	}
	// A handling unit naming a unit outside its subtree is refused, as the monthly report refuses it
	// (the store would answer an empty ledger: it sees none of that unit's tickets either way).
	if unit != "" && p.Role == store.RoleHandlingUnit && !unitListed(unitsInScope(units, p), unit) {
		return &paramError{Name: "unit", Reason: "not a unit in the caller's scope"}
	}
	names := make(map[string]string, len(units))
	for _, u := range units {
		names[u.ID] = u.Name
	}
	f := store.LedgerFilter{Unit: unit, Channels: channels, ReceivedFrom: per.From, ReceivedTo: per.To, Mask: masked,
		What: what, Format: format}
	// The first entry is read before anything is sent: a refusal (scope, audit) is still a problem.
	next, stop := iter.Pull2(s.store.Ledger(ctx, p, f, now))
	defer stop()
	first, err, ok := next()
	if ok && err != nil {
		return err
	}
	lookup := func(id string) string { return names[id] }
	rows := func(yield func(ledger.Row, error) bool) {
		for e, err, ok := first, error(nil), ok; ok; e, err, ok = next() {
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(row(e.Ticket, lookup, now), nil) {
				return
			}
		}
	}
	file := sheet.Name + "-" + per.Label
	ascii := "ledger-" + what + "-" + per.Label
	if format == "csv" {
		downloadHeaders(c, ContentTypeCSV, ascii+".csv", file+".csv")
		c.Response().WriteHeader(http.StatusOK)
		if _, err := ledger.WriteCSV(c.Response(), sheet, rows); err != nil {
			// The rows already sent cannot be taken back: log it and cut the response short, so the
			// client sees a broken download rather than a short ledger.
			s.log.LogAttrs(ctx, slog.LevelError, "ledger export failed", slog.String("request_id", requestIDOf(c)),
				slog.String("error", logScrub.Scrub(err.Error(), privacy.AudienceStaff)))
			panic(http.ErrAbortHandler)
		}
		return nil
	}
	wb, err := ledger.NewWorkbook()
	if err != nil {
		return err
	}
	defer wb.Close()
	if _, err := wb.AddSheet(sheet, rows); err != nil {
		return err
	}
	downloadHeaders(c, ledger.ContentTypeXLSX, ascii+".xlsx", file+".xlsx")
	c.Response().WriteHeader(http.StatusOK)
	if _, err := wb.WriteTo(c.Response()); err != nil {
		s.log.LogAttrs(ctx, slog.LevelError, "ledger export failed", slog.String("request_id", requestIDOf(c)),
			slog.String("error", err.Error()))
		panic(http.ErrAbortHandler)
	}
	return nil
}
