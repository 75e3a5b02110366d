package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/deadline"
)

// dateLayout is how the calendar endpoints write a date.
const dateLayout = "2006-01-02"

// currentCalendar returns the calendar the endpoints answer with: Deps.Calendar, until the store's
// calendar is swapped at run time (a new holiday schedule), then the store's — the calendar the
// store and the sweeper count deadlines on.
func (s *server) currentCalendar() *deadline.Calendar {
	if cur := s.store.Calendar(); cur != s.storeCal {
		return cur
	}
	return s.calendar
}

// DayResponse is one date of the working-day calendar.
type DayResponse struct {
	Date    string           `json:"date"`
	Kind    deadline.DayKind `json:"kind"`
	Workday bool             `json:"workday"`
	// Name is the holiday the date belongs to (e.g. 春节) or a district override's name.
	Name string `json:"name,omitempty"`
	// Provisional reports that the date lies beyond the published State Council schedule.
	Provisional bool `json:"provisional"`
	Local       bool `json:"local,omitempty"`
}

// calendarDay answers whether a date (YYYY-MM-DD, Asia/Shanghai) is a working day.
func (s *server) calendarDay(c echo.Context) error {
	d, err := time.ParseInLocation(dateLayout, c.Param("date"), deadline.Location())
	if err != nil {
		return &paramError{Name: "date", Reason: "a date such as 2026-10-01"}
	}
	day := s.currentCalendar().Day(d)
	return c.JSON(http.StatusOK, DayResponse{Date: day.Date.Format(dateLayout), Kind: day.Kind, Workday: day.IsWorkday(),
		Name: day.Name, Provisional: day.Provisional, Local: day.Local})
}

// YearsResponse lists the years whose State Council holiday schedule the calendar holds.
type YearsResponse struct {
	Published []int `json:"published"`
}

func (s *server) calendarYears(c echo.Context) error {
	years := s.currentCalendar().PublishedYears()
	if years == nil {
		years = []int{}
	}
	return c.JSON(http.StatusOK, YearsResponse{Published: years})
}

// DeadlineResponse is the due instant of one limit of a named policy for a receipt.
type DeadlineResponse struct {
	Policy   string            `json:"policy"`
	Key      deadline.Key      `json:"key"`
	Label    string            `json:"label"`
	Period   string            `json:"period"`
	Received time.Time         `json:"received"`
	Deadline deadline.Deadline `json:"deadline"`
}

// calendarDeadline computes when the limit key of policy ends for a receipt at received (RFC 3339).
func (s *server) calendarDeadline(c echo.Context) error {
	q := c.QueryParams()
	p, ok := s.deadlines[q.Get("policy")]
	if !ok {
		return &paramError{Name: "policy", Reason: "not a policy of this server (see /v1/calendar/policies)"}
	}
	l, ok := p.Limit(deadline.Key(q.Get("key")))
	if !ok {
		return &paramError{Name: "key", Reason: "not a limit of policy " + p.Name}
	}
	received, err := timeParam(q, "received")
	if err != nil {
		return err
	}
	if received.IsZero() {
		return &paramError{Name: "received", Reason: "required: an RFC 3339 instant"}
	}
	d := s.currentCalendar().Due(received, l.Period, p.Counting)
	return c.JSON(http.StatusOK, DeadlineResponse{Policy: p.Name, Key: l.Key, Label: l.Label, Period: l.Period.String(),
		Received: received, Deadline: d})
}

// PolicySummary names a deadline policy the calendar endpoints know and its limits.
type PolicySummary struct {
	Name    string         `json:"name"`
	Version string         `json:"version,omitempty"`
	Label   string         `json:"label"`
	Limits  []deadline.Key `json:"limits"`
}

func (s *server) calendarPolicies(c echo.Context) error {
	out := make([]PolicySummary, 0, len(s.names))
	for _, n := range s.names {
		p := s.deadlines[n]
		keys := make([]deadline.Key, len(p.Limits))
		for i, l := range p.Limits {
			keys[i] = l.Key
		}
		out = append(out, PolicySummary{Name: p.Name, Version: p.Version, Label: p.Label, Limits: keys})
	}
	return c.JSON(http.StatusOK, out)
}
