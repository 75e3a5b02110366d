package knowledge

import (
	"errors"
	"fmt"
)

var (
	// ErrInvalid is wrapped by a [*FieldError]: an entry, a case or a query has a field that is not
	// allowed.
	ErrInvalid = errors.New("knowledge: invalid value")
	// ErrMalformed is wrapped by an import document the loader refuses (JSON or XLSX).
	ErrMalformed = errors.New("knowledge: malformed document")
	// ErrInvalidEnum is wrapped by the error of an unknown [CaseState].
	ErrInvalidEnum = errors.New("knowledge: invalid enumeration value")
	// ErrIneligible is wrapped by an [*IneligibleError]: the ticket cannot become a case.
	ErrIneligible = errors.New("knowledge: ticket cannot be published as a case")
	// ErrLeak is wrapped by a [*LeakError]: a case still carries something of the citizen.
	ErrLeak = errors.New("knowledge: case carries personal data")
	// ErrIllegalTransition is wrapped by a [*TransitionError]: the action is not allowed on the case
	// now, or not by this actor.
	ErrIllegalTransition = errors.New("knowledge: case action not allowed")
)

// FieldError names the field at fault and why. Entry is the position of the entry in an imported
// document (-1 outside an import); Row, when positive, the spreadsheet row it came from.
type FieldError struct {
	Entry  int
	Row    int
	Field  string
	Reason string
}

func (e *FieldError) Error() string {
	switch {
	case e.Row > 0:
		return fmt.Sprintf("knowledge: row %d: %s: %s", e.Row, e.Field, e.Reason)
	case e.Entry >= 0:
		return fmt.Sprintf("knowledge: entries[%d].%s: %s", e.Entry, e.Field, e.Reason)
	}
	return fmt.Sprintf("knowledge: %s: %s", e.Field, e.Reason)
}

// Path is the JSON path of the field: entries[i].field in an import, the field otherwise.
func (e *FieldError) Path() string {
	if e.Entry >= 0 {
		return fmt.Sprintf("entries[%d].%s", e.Entry, e.Field)
	}
	return e.Field
}

func (e *FieldError) Unwrap() error { return ErrInvalid }

// IneligibleError says why a ticket cannot be published as a case.
type IneligibleError struct {
	Reason string
}

func (e *IneligibleError) Error() string {
	return "knowledge: ticket cannot be published as a case: " + e.Reason
}

func (e *IneligibleError) Unwrap() error { return ErrIneligible }

// LeakError names the fields of a case that still carry the citizen's data and what kind ("phone",
// "id_number", "name", "address", "number"), never the value.
type LeakError struct {
	Fields []string
	Kinds  []string
}

func (e *LeakError) Error() string {
	return fmt.Sprintf("knowledge: the case still carries personal data (%v) in %v; edit it before publishing", e.Kinds, e.Fields)
}

func (e *LeakError) Unwrap() error { return ErrLeak }

// MalformedError is an import document refused: where (a JSON path or a cell) and why.
type MalformedError struct {
	Where  string
	Reason string
	Err    error
}

func (e *MalformedError) Error() string {
	if e.Where == "" {
		return "knowledge: malformed document: " + e.Reason
	}
	return "knowledge: malformed document at " + e.Where + ": " + e.Reason
}

func (e *MalformedError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrMalformed, e.Err}
	}
	return []error{ErrMalformed}
}
