package routing

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hotline12345/hotline/internal/enum"
)

// Sentinel errors. Every error returned by this package wraps one of them, so
// callers test the cause with [errors.Is] and read the details with
// [errors.As] on [*RowError], [*CodeError], [*PolicyError] or [*EnumError].
var (
	// ErrInvalidCode reports a region or matter code that is not well formed.
	ErrInvalidCode = errors.New("routing: invalid code")
	// ErrUnknownRegion reports a region code that the region tree does not hold.
	ErrUnknownRegion = errors.New("routing: unknown region code")
	// ErrUnknownMatter reports a matter code that the dispatch catalogue does not hold.
	ErrUnknownMatter = errors.New("routing: unknown matter code")
	// ErrUnknownUnit reports a unit ID that the directory does not hold.
	ErrUnknownUnit = errors.New("routing: unknown unit")
	// ErrUnknownParent reports a parent (region, matter or unit) that is missing.
	ErrUnknownParent = errors.New("routing: unknown parent")
	// ErrDuplicate reports an ID or code that occurs twice.
	ErrDuplicate = errors.New("routing: duplicate entry")
	// ErrConflict reports entries that contradict each other or themselves.
	ErrConflict = errors.New("routing: conflicting entries")
	// ErrCycle reports a cycle in the unit hierarchy or in designating authorities.
	ErrCycle = errors.New("routing: cycle")
	// ErrInvalidField reports a missing, empty or oversized field value.
	ErrInvalidField = errors.New("routing: invalid field")
	// ErrInvalidEnum reports a value outside its enumeration ([Kind],
	// [DispatchMode], [UnitKind], [MatterKind], [RegionLevel], [Rule]); the
	// error is an [*EnumError].
	ErrInvalidEnum = errors.New("routing: invalid enum value")
	// ErrMalformed reports a malformed input (bad header, bad CSV or gzip,
	// bad or oversized JSON, an input over one of the Max… bounds).
	ErrMalformed = errors.New("routing: malformed input")
	// ErrInvalidPolicy reports a [Policy] that fails [Policy.Validate] or
	// does not fit the directory; the error is a [*PolicyError].
	ErrInvalidPolicy = errors.New("routing: invalid policy")
	// ErrInvalidRequest reports a [Request] that cannot be routed as given.
	ErrInvalidRequest = errors.New("routing: invalid request")
	// ErrNotBuilt reports a zero or nil value used where only one
	// built by its constructor ([NewRouter], [NewDirectory]) will do.
	ErrNotBuilt = errors.New("routing: not built by its constructor")
)

// EnumError reports a value outside its enumeration; it wraps [ErrInvalidEnum].
type EnumError = enum.Error

// A PolicyError reports what is wrong with a [Policy]: its name, the JSON
// field at fault and why. It wraps [ErrInvalidPolicy], and Err if set (the
// malformed JSON, or [ErrUnknownUnit] for an authority the directory lacks).
type PolicyError struct {
	Policy string // the policy's Name
	Field  string // the JSON field, e.g. "fallback_level"; "" for the document as a whole
	Reason string
	Err    error
}

func (e *PolicyError) Error() string {
	var b strings.Builder
	b.WriteString("routing: policy ")
	b.WriteString(strconv.Quote(enum.Clip(e.Policy)))
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap returns [ErrInvalidPolicy] and Err.
func (e *PolicyError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalidPolicy}
	}
	return []error{ErrInvalidPolicy, e.Err}
}

// A CodeError reports a malformed region or matter code.
type CodeError struct {
	What   string // "region code" or "matter code"
	Value  string // the offending text
	Reason string // what is wrong with it
}

func (e *CodeError) Error() string {
	return fmt.Sprintf("routing: %s %q: %s", e.What, enum.Clip(e.Value), e.Reason)
}

// newCodeError returns a CodeError quoting at most [enum.MaxQuoted] bytes of value.
func newCodeError(what, value, reason string) *CodeError {
	return &CodeError{What: what, Value: enum.Clip(value), Reason: reason}
}

// Unwrap returns [ErrInvalidCode].
func (e *CodeError) Unwrap() error { return ErrInvalidCode }

// A RowError reports a problem with one row of an input: a CSV line, an item
// of a JSON array or an element of a slice passed to a constructor.
type RowError struct {
	Source string // what was read: "regions", "units.csv", "units", "matters", "request"…
	Row    int    // 1-based: the line of a CSV file, the item of a list; 0 if not applicable
	ID     string // the unit ID or code of the row, if known
	Field  string // the field at fault, if known
	Value  string // the offending value, if any
	Err    error  // the cause; wraps one of the sentinel errors
}

func (e *RowError) Error() string {
	b := []byte("routing: ")
	b = append(b, e.Source...)
	if e.Row > 0 {
		b = append(b, " row "...)
		b = strconv.AppendInt(b, int64(e.Row), 10)
	}
	if e.ID != "" {
		b = append(b, " ("...)
		b = strconv.AppendQuote(b, enum.Clip(e.ID))
		b = append(b, ')')
	}
	if e.Field != "" {
		b = append(b, ": field "...)
		b = append(b, e.Field...)
	}
	if e.Value != "" {
		b = append(b, " = "...)
		b = strconv.AppendQuote(b, enum.Clip(e.Value))
	}
	if e.Err != nil {
		b = append(b, ": "...)
		// The cause is usually a wrapped sentinel: say "routing:" once.
		b = append(b, strings.TrimPrefix(e.Err.Error(), "routing: ")...)
	}
	return string(b)
}

// Unwrap returns the cause.
func (e *RowError) Unwrap() error { return e.Err }

// rowErr builds a [*RowError] whose cause wraps sentinel with a detail message.
func rowErr(source string, row int, id, field, value string, sentinel error, format string, args ...any) *RowError {
	var err error = sentinel
	if format != "" {
		err = fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))
	}
	return &RowError{Source: source, Row: row, ID: enum.Clip(id), Field: field, Value: enum.Clip(value), Err: err}
}
