package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/store"
)

// The assessment endpoints score the stored tickets and reviews: each ticket a unit holds becomes its
// case record through server/loop.CaseRecord under a loop policy (the district's scoring decisions),
// the period's reviews come as stored (voided ones are unfounded and left out, 000 §6 (二)), and
// assess.Score computes indicators, scores, the ranking and the digests. The same data, scheme,
// policy, period and as_of give the same result, digests included: that is what verify checks. Reads
// are the caller's, scoped by the store (a hotline office scores its jurisdiction, a handling unit
// its own tickets); inclusion proofs are made over every unit's data, so they check against the
// published result, and show the caller only its own unit's cases.

// SchemesResponse lists the scoring schemes (考核方案) and the loop policies the assessment endpoints
// can name.
type SchemesResponse struct {
	Schemes  []assess.Scheme `json:"schemes"`
	Policies []loop.Policy   `json:"policies"`
}

func (s *server) assessmentSchemes(c echo.Context) error {
	return c.JSON(http.StatusOK, SchemesResponse{Schemes: assess.Presets(), Policies: loop.Presets()})
}

// AssessmentResponse is a scored period: the result (indicators, scores, ranking and digests), the
// units a quarter's ranking sends to 约谈 (the bottom three, 004 §14), and on request the input it was
// computed from, to publish with it.
type AssessmentResponse struct {
	Policy  string            `json:"policy"`
	Result  assess.Result     `json:"result"`
	Summons []assess.Standing `json:"summons,omitempty"`
	Input   *assess.Input     `json:"input,omitempty"`
}

// assessQuery is what the assessment endpoints read from the query.
type assessQuery struct {
	scheme assess.Scheme
	policy loop.Policy
	period assess.Period
	asOf   time.Time
}

func (s *server) assessQuery(q url.Values) (assessQuery, error) {
	var aq assessQuery
	var err error
	name := q.Get("scheme")
	if name == "" {
		return aq, &paramError{Name: "scheme", Reason: "required: a scheme of GET /v1/assessment/schemes, e.g. street-hotline"}
	}
	if aq.scheme, err = assess.Preset(name); err != nil {
		return aq, &paramError{Name: "scheme", Reason: "no such scheme; see GET /v1/assessment/schemes"}
	}
	if aq.policy, err = policyParam(q.Get("policy")); err != nil {
		return aq, err
	}
	if aq.period, err = periodParam(q.Get("period")); err != nil {
		return aq, err
	}
	if aq.asOf, err = timeParam(q, "as_of"); err != nil {
		return aq, err
	}
	if aq.asOf.IsZero() {
		// Until the period ends, as of now; after, as of its end: a closed period's result is then
		// the same whenever it is asked for, as long as the data are.
		aq.asOf = earlier(s.now(), aq.period.End)
	}
	if aq.asOf.Before(aq.period.Start) {
		return aq, &paramError{Name: "as_of", Reason: "is before the period starts"}
	}
	return aq, nil
}

// policyParam names a loop policy; empty is the street hotline's (004), the reference server's own
// ticket rules.
func policyParam(name string) (loop.Policy, error) {
	if name == "" {
		return loop.StreetHotline(), nil
	}
	p, err := loop.Preset(name)
	if err != nil {
		return loop.Policy{}, &paramError{Name: "policy", Reason: "no such policy; see GET /v1/assessment/schemes"}
	}
	return p, nil
}

// assessInput builds the input of a period from the store, read as p: a case record for every ticket
// a unit holds (one no unit holds is no unit's case) and the period's reviews.
func (s *server) assessInput(c echo.Context, p store.Principal, policy loop.Policy, period assess.Period, asOf time.Time) (assess.Input, error) {
	ctx := c.Request().Context()
	horizon := earlier(period.End, asOf)
	if !period.Start.Before(horizon) {
		return assess.Input{}, nil
	}
	tickets, err := s.store.AssessmentTickets(ctx, p, period.Start, horizon)
	if err != nil {
		return assess.Input{}, err
	}
	var in assess.Input
	for _, t := range tickets {
		cr, err := loop.CaseRecord(t, policy)
		if errors.Is(err, loop.ErrNotDispatched) {
			continue
		}
		if err != nil {
			return assess.Input{}, err
		}
		in.Cases = append(in.Cases, cr)
	}
	if in.Reviews, err = s.store.PeriodReviews(ctx, p, period.Start, horizon); err != nil {
		return assess.Input{}, err
	}
	return in, nil
}

// assessmentResults scores a period under a scheme: GET /v1/assessment/results?scheme=&period=.
func (s *server) assessmentResults(c echo.Context) error {
	q := c.QueryParams()
	aq, err := s.assessQuery(q)
	if err != nil {
		return err
	}
	records, err := boolParam(q, "records")
	if err != nil {
		return err
	}
	withInput, err := boolParam(q, "input")
	if err != nil {
		return err
	}
	p := principal(c)
	if withInput && p.Role == store.RoleHandlingUnit {
		return fmt.Errorf("%w: a handling unit is not given the input (its reviews' raters)", store.ErrForbidden)
	}
	in, err := s.assessInput(c, p, aq.policy, aq.period, aq.asOf)
	if err != nil {
		return err
	}
	res, err := assess.Score(in, aq.scheme, assess.Query{Period: aq.period, AsOf: aq.asOf})
	if err != nil {
		return err
	}
	out := AssessmentResponse{Policy: aq.policy.Name, Result: res}
	if !records {
		out.Result = res.Public()
	}
	if aq.period.Kind == assess.PeriodQuarter {
		out.Summons = assess.Summons(res.Ranking)
	}
	if withInput {
		out.Input = &in
	}
	return c.JSON(http.StatusOK, out)
}

// assessmentProof proves a unit's cases are in a period's input (RFC 6962 audit paths against the
// result's input digest), showing no other record. It is made over every unit's data, whoever asks,
// so that it checks against the published result; a handling unit may ask for its own unit only.
func (s *server) assessmentProof(c echo.Context) error {
	aq, err := s.assessQuery(c.QueryParams())
	if err != nil {
		return err
	}
	p := principal(c)
	unit := c.Param("unit")
	switch p.Role {
	case store.RoleHandlingUnit:
		if unit != p.Unit {
			return fmt.Errorf("%w: a handling unit is given the proof of its own unit only", store.ErrForbidden)
		}
	case store.RoleAdmin:
		return fmt.Errorf("%w: an admin reads no ticket", store.ErrForbidden)
	}
	all := store.Principal{Actor: p.Actor, Unit: p.Unit, Role: store.RoleSystem}
	in, err := s.assessInput(c, all, aq.policy, aq.period, aq.asOf)
	if err != nil {
		return err
	}
	proof, err := assess.ProveUnit(in, aq.scheme, unit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, proof)
}

// VerifyRequest is a published result to check: against its inputs when given, else against the
// data in the store now (for the result's period and as_of); or, with a proof, that proof against the
// result.
type VerifyRequest struct {
	// Scheme is a preset's name or a scheme document (assess.Scheme); not needed with a proof.
	Scheme json.RawMessage `json:"scheme"`
	// Policy names the loop policy the cases were built under (only when Input is absent); empty is
	// street-hotline.
	Policy string                 `json:"policy,omitempty"`
	Result assess.Result          `json:"result"`
	Input  *assess.Input          `json:"input,omitempty"`
	Proof  *assess.InclusionProof `json:"proof,omitempty"`
}

// Mismatch is the first thing that differs between a result and its recomputation.
type Mismatch struct {
	Path   string `json:"path"`
	Change string `json:"change,omitempty"`
	Want   string `json:"want"`
	Got    string `json:"got"`
}

// VerifyResponse says whether the result verifies and, if not, the first difference (a record of the
// input such as "input[case:HL-…]", a digest, or a figure such as "units[U-03].total"); Changes lists
// every record that differs when the result carries its records.
type VerifyResponse struct {
	Verified bool                  `json:"verified"`
	Mismatch *Mismatch             `json:"mismatch,omitempty"`
	Changes  []assess.RecordChange `json:"changes,omitempty"`
}

// assessmentVerify checks a published result (001 (十): 统计分析结果自动生成、不可更改): 200 with
// verified true, or false and the first differing record or figure; a malformed result, scheme or
// input is a problem.
func (s *server) assessmentVerify(c echo.Context) error {
	var body VerifyRequest
	if _, err := s.decode(c, &body); err != nil {
		return err
	}
	if body.Proof != nil {
		// A proof is checked against the result's input digest alone: no scheme is needed.
		return writeVerified(c, assess.VerifyInclusion(*body.Proof, body.Result), nil)
	}
	scheme, err := schemeOf(body.Scheme)
	if err != nil {
		return err
	}
	in := body.Input
	if in == nil {
		policy, err := policyParam(body.Policy)
		if err != nil {
			return err
		}
		if err := body.Result.Period.Validate(); err != nil {
			return &paramError{Name: "result.period", Reason: err.Error(), Err: assess.ErrInvalidPeriod}
		}
		fresh, err := s.assessInput(c, principal(c), policy, body.Result.Period, body.Result.AsOf)
		if err != nil {
			return err
		}
		in = &fresh
	}
	verr := assess.Verify(*in, scheme, body.Result)
	var changes []assess.RecordChange
	var me *assess.MismatchError
	if errors.As(verr, &me) && len(body.Result.Records) > 0 {
		if fresh, err := assess.Score(*in, scheme, assess.Query{Period: body.Result.Period, AsOf: body.Result.AsOf}); err == nil {
			changes = assess.DiffRecords(body.Result.Records, fresh.Records)
		}
	}
	return writeVerified(c, verr, changes)
}

func writeVerified(c echo.Context, err error, changes []assess.RecordChange) error {
	var me *assess.MismatchError
	switch {
	case err == nil:
		return c.JSON(http.StatusOK, VerifyResponse{Verified: true})
	case errors.As(err, &me):
		return c.JSON(http.StatusOK, VerifyResponse{Mismatch: &Mismatch{Path: me.Path, Change: me.Change, Want: me.Want, Got: me.Got},
			Changes: changes})
	}
	return err
}

// schemeOf reads a scheme given by its preset's name or as a document.
func schemeOf(raw json.RawMessage) (assess.Scheme, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return assess.Scheme{}, &paramError{Name: "scheme", Reason: "required: a preset's name or a scheme document", Err: assess.ErrInvalidPolicy}
	}
	if raw[0] == '"' {
		var name string
		if err := json.Unmarshal(raw, &name); err != nil {
			return assess.Scheme{}, &paramError{Name: "scheme", Reason: "not a string", Err: assess.ErrMalformed}
		}
		sc, err := assess.Preset(name)
		if err != nil {
			return assess.Scheme{}, &paramError{Name: "scheme", Reason: "no such preset; see GET /v1/assessment/schemes", Err: assess.ErrInvalidPolicy}
		}
		return sc, nil
	}
	sc, err := assess.ParseScheme(raw)
	if err != nil {
		var pe *assess.PolicyError
		if errors.As(err, &pe) {
			return assess.Scheme{}, &paramError{Name: "scheme." + pe.Field, Reason: pe.Reason, Err: err}
		}
		return assess.Scheme{}, &paramError{Name: "scheme", Reason: "not a scheme document", Err: err}
	}
	return sc, nil
}

func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
