package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/internal/strictjson"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/attach"
	"github.com/hotline12345/hotline/server/knowledge"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/qr"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/privacy"
)

// ContentTypeProblem is the media type of every error response (RFC 9457).
const ContentTypeProblem = "application/problem+json"

// Problem is the body of every error response (RFC 9457). Code is stable: clients branch on it.
// Detail, when present, is the domain's explanation of a refusal; it quotes at most what the caller
// sent and the ticket's states and actions, never another person's data and never a stack trace.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Code   string `json:"code"`
	// Field is the JSON path (body) or the name (header, query parameter) of the offending input.
	Field string `json:"field,omitempty"`
	// CurrentVersion is the ticket's version now, on a 412 for a stale If-Match.
	CurrentVersion *int64 `json:"current_version,omitempty"`
	RequestID      string `json:"request_id,omitempty"`
}

// ProblemTypeBase prefixes a problem's code to make its type URI.
const ProblemTypeBase = "urn:hotline:problem:"

// The server's own errors, matched by the table like the domain's.
var (
	errMissingIfMatch = errors.New("server: If-Match is required")
	errBadIfMatch     = errors.New("server: If-Match is not a version this server issued")
	errBadParameter   = errors.New("server: bad parameter")
	errMediaType      = errors.New("server: request body must be application/json")
	errUnauthorized   = errors.New("server: missing or unknown API key")
	errNotReady       = errors.New("server: not ready")

	// Auth and administration (auth.go, ratelimit.go, admin*.go, reveal.go).
	errKeyExpired       = errors.New("server: the API key has expired")
	errRateLimited      = errors.New("server: too many requests")
	errInvalidDirectory = errors.New("server: invalid directory data")
	errInvalidAdmin     = errors.New("server: invalid argument")
	errMediaTypeImport  = errors.New("server: request body must be text/csv or application/json")
)

// paramError names a bad header or query parameter.
type paramError struct {
	Name, Reason string
	Err          error
}

func (e *paramError) Error() string { return e.Name + ": " + e.Reason }
func (e *paramError) Unwrap() error {
	if e.Err != nil {
		return e.Err
	}
	return errBadParameter
}

// rule maps the errors that match target (errors.Is) to a status and a problem code. detail says
// whether err.Error() may be shown: true only for errors whose text is built from the caller's own
// input and the domain's names.
type rule struct {
	target error
	status int
	code   string
	title  string
	detail bool
}

// errorTable is the one table from errors to problems, most specific first. An error that matches no
// row is a 500 "internal" with no detail, logged once.
var errorTable = []rule{
	// The server's own.
	{errMissingIfMatch, http.StatusPreconditionRequired, "if_match_required", "If-Match is required", false},
	{errBadIfMatch, http.StatusBadRequest, "bad_if_match", "If-Match is not a version of this resource", true},
	{errMediaType, http.StatusUnsupportedMediaType, "unsupported_media_type", "Request body must be application/json", false},
	{errUnauthorized, http.StatusUnauthorized, "unauthorized", "Missing or unknown API key", false},
	{errNotReady, http.StatusServiceUnavailable, "not_ready", "Not ready", true},
	{errBadParameter, http.StatusBadRequest, "bad_parameter", "Bad parameter", true},
	{errPanic, http.StatusInternalServerError, "internal", "Internal error", false},

	// Auth and administration.
	{errKeyExpired, http.StatusUnauthorized, "unauthorized", "Missing or unknown API key", true},
	{errRateLimited, http.StatusTooManyRequests, "rate_limited", "Too many requests", false},
	{errInvalidDirectory, http.StatusUnprocessableEntity, "invalid_directory", "Invalid directory data", true},
	{errInvalidAdmin, http.StatusBadRequest, "invalid_argument", "Invalid argument", true},
	{errMediaTypeImport, http.StatusUnsupportedMediaType, "unsupported_media_type", "Request body must be text/csv or application/json", false},

	// Request bodies (internal/strictjson).
	{strictjson.ErrTooLarge, http.StatusRequestEntityTooLarge, "body_too_large", "Request body too large", false},
	{strictjson.ErrMalformed, http.StatusBadRequest, "malformed_json", "Malformed JSON", true},

	// The store.
	{store.ErrStaleVersion, http.StatusPreconditionFailed, "stale_version", "The resource has changed", false},
	{store.ErrKeyReused, http.StatusUnprocessableEntity, "idempotency_key_reused", "Idempotency-Key was used with another body", false},
	{store.ErrDuplicate, http.StatusConflict, "duplicate", "Already exists", false},
	{store.ErrNotFound, http.StatusNotFound, "not_found", "Not found", false},
	{store.ErrForbidden, http.StatusForbidden, "forbidden", "Forbidden", false},
	{store.ErrInvalid, http.StatusBadRequest, "invalid_argument", "Invalid argument", false},
	{store.ErrUnreachable, http.StatusServiceUnavailable, "database_unavailable", "Database unavailable", false},
	{store.ErrNoKeys, http.StatusServiceUnavailable, "no_keys", "Identity keys are not loaded", false},

	// ticket: identifiers are refused without repeating them.
	{ticket.ErrInvalidMobile, http.StatusUnprocessableEntity, "invalid_mobile", "Invalid mobile number", false},
	{ticket.ErrInvalidIDCard, http.StatusUnprocessableEntity, "invalid_id_card", "Invalid ID-card number", false},
	{ticket.ErrInvalidCreditCode, http.StatusUnprocessableEntity, "invalid_credit_code", "Invalid unified social credit code", false},
	{ticket.ErrInvalidNumber, http.StatusUnprocessableEntity, "invalid_ticket_number", "Invalid ticket number", true},
	{ticket.ErrForbiddenRole, http.StatusForbidden, "role_not_allowed", "The role may not take this action", true},
	{ticket.ErrIllegalTransition, http.StatusConflict, "illegal_transition", "The action is not allowed in this state", true},
	{ticket.ErrWrongKind, http.StatusConflict, "wrong_kind", "The action does not apply to this kind of ticket", true},
	{ticket.ErrNotApplicable, http.StatusConflict, "not_applicable", "The rules do not allow the action now", true},
	{ticket.ErrOutsideWindow, http.StatusConflict, "outside_window", "The request is outside its window", true},
	{ticket.ErrTimeOrder, http.StatusConflict, "time_order", "The action's time is before the ticket's last event", true},
	{ticket.ErrMissingField, http.StatusUnprocessableEntity, "missing_field", "A required field is missing", true},
	{ticket.ErrInvalidPayload, http.StatusUnprocessableEntity, "invalid_payload", "Invalid payload", true},
	{ticket.ErrInvalidEnum, http.StatusUnprocessableEntity, "invalid_enum", "Invalid enumeration value", true},

	// appeal.
	{appeal.ErrForbiddenRole, http.StatusForbidden, "role_not_allowed", "The role may not take this action", true},
	{appeal.ErrIllegalTransition, http.StatusConflict, "illegal_transition", "The action is not allowed in this state", true},
	{appeal.ErrLate, http.StatusConflict, "outside_window", "The request is outside its window", true},
	{appeal.ErrMissingField, http.StatusUnprocessableEntity, "missing_field", "A required field is missing", true},
	{appeal.ErrInvalidValue, http.StatusUnprocessableEntity, "invalid_value", "Invalid value", true},
	{appeal.ErrInvalidEnum, http.StatusUnprocessableEntity, "invalid_enum", "Invalid enumeration value", true},

	// deadline.
	{deadline.ErrWindowClosed, http.StatusConflict, "outside_window", "The request is outside its window", true},
	{deadline.ErrNotExtendable, http.StatusConflict, "not_extendable", "The limit is not extendable", true},
	{deadline.ErrExtensionTooLong, http.StatusConflict, "extension_too_long", "The extension exceeds the limit's cap", true},
	{deadline.ErrNoLimit, http.StatusUnprocessableEntity, "no_limit", "The policy has no such limit", true},
	{deadline.ErrBadDate, http.StatusBadRequest, "bad_date", "Bad date", true},
	{deadline.ErrInvalidEnum, http.StatusUnprocessableEntity, "invalid_enum", "Invalid enumeration value", true},

	// routing.
	{routing.ErrUnknownRegion, http.StatusUnprocessableEntity, "unknown_region", "Unknown region code", true},
	{routing.ErrUnknownMatter, http.StatusUnprocessableEntity, "unknown_matter", "Unknown matter code", true},
	{routing.ErrUnknownUnit, http.StatusUnprocessableEntity, "unknown_unit", "Unknown unit", true},
	{routing.ErrInvalidRequest, http.StatusUnprocessableEntity, "invalid_routing_request", "Invalid routing request", true},
	{routing.ErrInvalidEnum, http.StatusUnprocessableEntity, "invalid_enum", "Invalid enumeration value", true},

	// The intake loop (intake.go).
	{errIntakeInProgress, http.StatusConflict, "intake_in_progress", "The same intake is still being completed", false},
	{ticket.ErrPolicyMismatch, http.StatusConflict, "policy_mismatch", "The ticket is handled under another deadline policy", true},

	// Attachments, the knowledge base and the case library.
	{attach.ErrMissing, http.StatusConflict, "attachment_required", "A required attachment is missing", true},
	{attach.ErrTooLarge, http.StatusRequestEntityTooLarge, "attachment_too_large", "The file is too large", true},
	{attach.ErrExecutable, http.StatusUnsupportedMediaType, "attachment_executable", "Programs are never accepted", true},
	{attach.ErrType, http.StatusUnsupportedMediaType, "attachment_type_not_accepted", "The file type is not accepted", true},
	{attach.ErrEmpty, http.StatusUnprocessableEntity, "attachment_empty", "The file is empty", false},
	{attach.ErrInfected, http.StatusUnprocessableEntity, "attachment_infected", "The virus scanner refused the file", true},
	{attach.ErrMalformed, http.StatusBadRequest, "bad_parameter", "Bad parameter", true},
	{knowledge.ErrMalformed, http.StatusBadRequest, "malformed_import", "Malformed import document", true},
	{knowledge.ErrIneligible, http.StatusConflict, "not_a_library_case", "The ticket cannot become a library case", true},
	{knowledge.ErrLeak, http.StatusUnprocessableEntity, "case_carries_personal_data", "The case still carries personal data", true},
	{knowledge.ErrIllegalTransition, http.StatusConflict, "illegal_transition", "The action is not allowed in this state", true},
	{knowledge.ErrInvalidEnum, http.StatusUnprocessableEntity, "invalid_enum", "Invalid enumeration value", true},
	{knowledge.ErrInvalid, http.StatusUnprocessableEntity, "invalid_knowledge", "Invalid knowledge entry, case or query", true},
	{store.ErrEntryNotValid, http.StatusConflict, "entry_not_valid", "The knowledge entry is not valid now", true},

	// Public disclosure, ledgers and window QR codes (issue 13).
	{qr.ErrInvalid, http.StatusBadRequest, "invalid_qr", "The QR code cannot be drawn", true},

	// The request's own context.
	{context.DeadlineExceeded, http.StatusServiceUnavailable, "timeout", "The request took too long", false},
	{context.Canceled, http.StatusServiceUnavailable, "canceled", "The request was canceled", false},

	// Reviews, appeals and assessment (server/reviews.go, appeals.go, assess.go).
	{errReviewMismatch, http.StatusUnprocessableEntity, "review_mismatch", "The review is not the ticket's unit's bad review", true},
	{loop.ErrNotBadReview, http.StatusUnprocessableEntity, "not_bad_review", "Not a bad review", true},
	{loop.ErrInvalidReview, http.StatusUnprocessableEntity, "invalid_review", "Invalid review", true},
	{loop.ErrNotDispatched, http.StatusConflict, "not_dispatched", "No unit holds the ticket", true},
	{loop.ErrInvalidEffect, http.StatusConflict, "effect_not_applicable", "The decision's effects do not fit the ticket now", true},
	{loop.ErrInvalidTicket, http.StatusUnprocessableEntity, "invalid_ticket", "The ticket cannot be joined", true},
	{assess.ErrInvalidPeriod, http.StatusBadRequest, "invalid_period", "Invalid period", true},
	{assess.ErrInvalidInput, http.StatusUnprocessableEntity, "invalid_assessment_input", "Invalid assessment input", true},
	{assess.ErrInvalidPolicy, http.StatusUnprocessableEntity, "invalid_scheme", "Invalid scheme", true},
	{assess.ErrMalformed, http.StatusBadRequest, "malformed_json", "Malformed JSON", true},
	{assess.ErrInvalidEnum, http.StatusUnprocessableEntity, "invalid_enum", "Invalid enumeration value", true},
}

// errReviewMismatch: an appeal or objection names a review that is not a bad review of the ticket's
// unit (or of the ticket), or one already void.
var errReviewMismatch = errors.New("server: the review is not the ticket's")

// echoCodes names echo's own errors (no route, wrong method, the body limit) by status.
var echoCodes = map[int]string{
	http.StatusNotFound:              "route_not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: "body_too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusBadRequest:            "bad_request",
	http.StatusServiceUnavailable:    "unavailable",
}

// problemOf maps err to its problem, and reports whether it matched no row (an unexpected error).
func problemOf(err error) (Problem, bool) {
	for _, r := range errorTable {
		if !errors.Is(err, r.target) {
			continue
		}
		p := Problem{Type: ProblemTypeBase + r.code, Title: r.title, Status: r.status, Code: r.code}
		if r.detail {
			p.Detail = err.Error()
		}
		var je *strictjson.Error
		if errors.As(err, &je) {
			p.Field = je.Path
			p.Detail = je.Reason
		}
		var pe *paramError
		if errors.As(err, &pe) {
			p.Field, p.Detail = pe.Name, pe.Reason
		}
		var fe *knowledge.FieldError
		if errors.As(err, &fe) {
			p.Field = fe.Path()
		}
		var ve *store.VersionError
		if errors.As(err, &ve) {
			v := ve.Current
			p.CurrentVersion = &v
		}
		return p, false
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		if code, ok := echoCodes[he.Code]; ok {
			return Problem{Type: ProblemTypeBase + code, Title: http.StatusText(he.Code), Status: he.Code, Code: code}, false
		}
	}
	return Problem{Type: ProblemTypeBase + "internal", Title: "Internal error", Status: http.StatusInternalServerError, Code: "internal"}, true
}

// logScrub masks numbers (phones, ID numbers) in the text of an unexpected error before it is logged:
// database drivers quote values in their messages.
var logScrub = privacy.Shanghai()

// writeError writes err as a problem. An error of no row of the table, a recovered panic and a
// corrupt stored row are logged here, once; the response says only "internal".
func (s *server) writeError(err error, c echo.Context) {
	p, unexpected := problemOf(err)
	p.RequestID = requestIDOf(c)
	c.Set(ctxProblemCode, p.Code)
	var pe *panicError
	switch {
	case errors.As(err, &pe):
		s.log.LogAttrs(c.Request().Context(), slog.LevelError, "panic", slog.String("request_id", p.RequestID),
			slog.String("stack", string(pe.stack)))
	case unexpected || errors.Is(err, store.ErrCorrupt):
		s.log.LogAttrs(c.Request().Context(), slog.LevelError, "unexpected error", slog.String("request_id", p.RequestID),
			slog.String("error", logScrub.Scrub(err.Error(), privacy.AudienceStaff)))
	}
	if c.Response().Committed {
		return
	}
	body, _ := json.Marshal(p)
	_ = c.Blob(p.Status, ContentTypeProblem, body)
}
