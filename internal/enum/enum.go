// Package enum is the module's one mechanism for domain enumerations. Every enum in the domain
// packages is a string type whose value is its wire form (JSON, database, URL), declared with a
// [Set] that knows its values, their Chinese labels and the package's sentinel error. All enums
// therefore behave the same way:
//
//   - String() is the wire value itself; the zero value "" is unset and not Valid.
//   - Label() is the Chinese label; for a value outside the set it is "未知(<value>)", clipped.
//   - Parse accepts the wire value or the Chinese label and returns *[Error] otherwise, wrapping the
//     package's sentinel; the error quotes at most [MaxQuoted] bytes of the input.
//   - UnmarshalText refuses unknown values the same way (an empty text is the unset value).
package enum

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxQuoted is how many bytes of a refused input an error or label quotes at most.
const MaxQuoted = 32

// maxKnown is how many bytes of the list of accepted values an error shows at most.
const maxKnown = 300

// Value is one member of a set: its wire value and Chinese label.
type Value[T ~string] struct {
	V     T
	Label string
}

// Set is an immutable enumeration. Build it once with [New]; it is safe for concurrent use.
type Set[T ~string] struct {
	typ    string
	err    error
	values []Value[T]
	labels map[T]string
	byText map[string]T
}

// New returns the set of values, in display order. typ names the Go type in errors (e.g.
// "ticket.Channel"); sentinel is the package's error that every refusal wraps. New panics on a
// duplicate or empty value: sets are declared by the package author, never from input.
func New[T ~string](typ string, sentinel error, values ...Value[T]) Set[T] {
	s := Set[T]{typ: typ, err: sentinel, values: values, labels: map[T]string{}, byText: map[string]T{}}
	for _, v := range values {
		if v.V == "" || s.labels[v.V] != "" {
			panic("enum: empty or duplicate value in " + typ)
		}
		s.labels[v.V] = v.Label
		s.byText[string(v.V)] = v.V
		if v.Label != "" {
			s.byText[v.Label] = v.V
		}
	}
	return s
}

// All returns the values in display order (a new slice each call).
func (s Set[T]) All() []T {
	out := make([]T, len(s.values))
	for i, v := range s.values {
		out[i] = v.V
	}
	return out
}

// Valid reports whether v is a member of the set.
func (s Set[T]) Valid(v T) bool { _, ok := s.labels[v]; return ok }

// Label returns v's Chinese label, or "未知(<v>)" for a value outside the set ("未设置" for "").
func (s Set[T]) Label(v T) string {
	if l, ok := s.labels[v]; ok {
		return l
	}
	if v == "" {
		return "未设置"
	}
	return "未知(" + Clip(string(v)) + ")"
}

// Parse returns the member whose wire value or Chinese label is text.
func (s Set[T]) Parse(text string) (T, error) {
	if v, ok := s.byText[text]; ok {
		return v, nil
	}
	return "", &Error{Type: s.typ, Value: Clip(text), Known: s.wire(), sentinel: s.err}
}

// Unmarshal is UnmarshalText's body: an empty text is the unset value, anything else must parse.
func (s Set[T]) Unmarshal(text []byte) (T, error) {
	if len(text) == 0 {
		return "", nil
	}
	return s.Parse(string(text))
}

// Check returns nil for a member and the same *Error as Parse otherwise.
func (s Set[T]) Check(v T) error {
	if s.Valid(v) {
		return nil
	}
	_, err := s.Parse(string(v))
	return err
}

func (s Set[T]) wire() []string {
	out := make([]string, len(s.values))
	for i, v := range s.values {
		out[i] = string(v.V)
	}
	return out
}

// Error reports a value that is not a member of its enumeration.
type Error struct {
	Type     string   // e.g. "ticket.Channel"
	Value    string   // the refused input, clipped to MaxQuoted bytes
	Known    []string // the wire values the type accepts
	sentinel error
}

func (e *Error) Error() string {
	known := strings.Join(e.Known, ", ")
	if len(known) > maxKnown {
		cut := maxKnown
		for cut > 0 && !utf8.RuneStart(known[cut]) {
			cut--
		}
		known = known[:cut] + "…"
	}
	return fmt.Sprintf("unknown %s %q (want one of: %s)", e.Type, e.Value, known)
}

// Unwrap returns the package's sentinel error.
func (e *Error) Unwrap() error { return e.sentinel }

// Clip shortens s to at most MaxQuoted bytes on a rune boundary, marking the cut with "…".
func Clip(s string) string {
	if len(s) <= MaxQuoted {
		return s
	}
	cut := MaxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
