// Package strictjson is the module's one strict JSON loader. Every domain package's Parse… and Read…
// function decodes through it, so that every loader refuses the same malformed inputs the same way:
//
//   - more than the loader's documented maximum number of bytes ([ErrTooLarge]), checked before
//     anything is allocated for the document;
//   - a document that is empty or null;
//   - anything but whitespace after the first JSON value ("trailing data");
//   - a key given twice in one object, or two keys that differ only in case ("duplicate key");
//   - a key that names no field of the target struct, including a key that matches a field only when
//     case is ignored ("unknown field": encoding/json alone would accept it);
//   - syntax errors and values of the wrong type, reported with the byte offset;
//   - a string that the target type's own UnmarshalText refuses (an unknown enum value), reported
//     with the JSON path.
//
// Errors are *[Error] values naming the offset and the JSON path of the offending key.
package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"
)

// ErrMalformed is wrapped by every error this package returns for a document it refuses.
var ErrMalformed = errors.New("malformed JSON")

// ErrTooLarge is wrapped (with ErrMalformed) when a document exceeds the loader's maximum size.
var ErrTooLarge = errors.New("document too large")

// Error describes why a document was refused.
type Error struct {
	Offset int64  // byte offset at which the problem was found; -1 when unknown
	Path   string // JSON path of the offending key or value, e.g. "limits[2].days"; "" for the root
	Reason string
	Err    error // the underlying error, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Reason)
	if e.Path != "" {
		b.WriteString(" at ")
		b.WriteString(e.Path)
	}
	if e.Offset >= 0 {
		fmt.Fprintf(&b, " (byte %d)", e.Offset)
	}
	return b.String()
}

// Unwrap returns ErrMalformed, ErrTooLarge where it applies, and the underlying error.
func (e *Error) Unwrap() []error {
	errs := []error{ErrMalformed}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// Decode decodes data into v, which must be a non-nil pointer, refusing everything listed in the
// package documentation. max is the largest document accepted, in bytes; max <= 0 means no limit.
func Decode(data []byte, v any, max int64) error {
	if max > 0 && int64(len(data)) > max {
		return &Error{Offset: max, Reason: fmt.Sprintf("document is %d bytes, more than the maximum of %d", len(data), max), Err: ErrTooLarge}
	}
	if err := check(data, reflect.TypeOf(v)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return wrap(err)
	}
	return nil
}

// Read reads at most max bytes from r (max <= 0: no limit) and decodes them as [Decode] does. It
// never reads or holds more than max+1 bytes, so a huge or endless stream is refused cheaply.
func Read(r io.Reader, v any, max int64) error {
	var data []byte
	var err error
	if max > 0 {
		data, err = io.ReadAll(io.LimitReader(r, max+1))
	} else {
		data, err = io.ReadAll(r)
	}
	if err != nil {
		return &Error{Offset: int64(len(data)), Reason: "read failed: " + err.Error(), Err: err}
	}
	return Decode(data, v, max)
}

func wrap(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &Error{Offset: syn.Offset, Reason: "syntax error: " + clip(syn.Error()), Err: err}
	case errors.As(err, &typ):
		return &Error{Offset: typ.Offset, Path: typ.Field, Reason: "wrong type: " + clip(typ.Error()), Err: err}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Offset: -1, Reason: "unexpected end of document", Err: io.ErrUnexpectedEOF}
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	// Errors from a type's own UnmarshalJSON / UnmarshalText (an unknown enum value, say) keep their text.
	return &Error{Offset: -1, Reason: clip(err.Error()), Err: err}
}

// clip bounds a message that may quote the input, so that a huge input is never echoed whole.
func clip(s string) string {
	const max = 200
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
)

// check walks the token stream once, alongside the target type, and refuses trailing data, duplicate
// and case-variant keys, and keys that match a struct field only when case is ignored.
func check(data []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	w := walker{dec: dec, data: data}
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return &Error{Offset: 0, Reason: "document is null"}
	}
	if err := w.value(t, ""); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return &Error{Offset: dec.InputOffset(), Reason: "trailing data after the JSON value"}
	}
	return nil
}

type walker struct {
	data   []byte
	dec    *json.Decoder
	depth  int
	fields map[reflect.Type]map[string]fieldInfo
}

// maxDepth bounds nesting, so that a deeply nested document cannot exhaust the stack.
const maxDepth = 64

func (w *walker) token() (json.Token, error) {
	tok, err := w.dec.Token()
	if err != nil {
		return nil, wrap(err)
	}
	return tok, nil
}

// value consumes one JSON value. t is the Go type it will decode into, or nil when unknown/opaque.
func (w *walker) value(t reflect.Type, path string) error {
	t = deref(t)
	tok, err := w.token()
	if err != nil {
		return err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		if str, isStr := tok.(string); isStr && t != nil {
			return w.text(t, str, path)
		}
		return nil
	}
	w.depth++
	defer func() { w.depth-- }()
	if w.depth > maxDepth {
		return &Error{Offset: w.dec.InputOffset(), Path: path, Reason: fmt.Sprintf("nested more than %d deep", maxDepth)}
	}
	if t != nil && custom(t) {
		t = nil // the type decodes itself: still check the structure, not the field names
	}
	switch d {
	case '[':
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; w.dec.More(); i++ {
			if err := w.value(elem, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		_, err := w.token() // ]
		return err
	case '{':
		var fields map[string]fieldInfo
		var elem reflect.Type
		if t != nil {
			switch t.Kind() {
			case reflect.Struct:
				fields = w.structFields(t)
			case reflect.Map:
				elem = t.Elem()
			}
		}
		seen := map[string]string{}
		for w.dec.More() {
			off := w.skipSpace(w.dec.InputOffset())
			tok, err := w.token()
			if err != nil {
				return err
			}
			key, _ := tok.(string)
			kpath := join(path, key)
			folded := fold(key)
			if prev, dup := seen[folded]; dup {
				reason := fmt.Sprintf("duplicate key %q", clip(key))
				if prev != key {
					reason = fmt.Sprintf("keys %q and %q differ only in case", clip(prev), clip(key))
				}
				return &Error{Offset: off, Path: kpath, Reason: reason}
			}
			seen[folded] = key
			next := elem
			if fields != nil {
				f, ok := fields[folded]
				switch {
				case !ok:
					return &Error{Offset: off, Path: kpath, Reason: fmt.Sprintf("unknown field %q", clip(key))}
				case f.name != key:
					return &Error{Offset: off, Path: kpath, Reason: fmt.Sprintf("unknown field %q (did you mean %q?)", clip(key), f.name)}
				}
				next = f.typ
			}
			if err := w.value(next, kpath); err != nil {
				return err
			}
		}
		_, err := w.token() // }
		return err
	}
	return nil
}

// skipSpace moves off past whitespace and a separating comma, to the start of the next token.
func (w *walker) skipSpace(off int64) int64 {
	for off < int64(len(w.data)) {
		switch w.data[off] {
		case ' ', '\t', '\r', '\n', ',':
			off++
			continue
		}
		break
	}
	return off
}

// text runs the UnmarshalText of a string value's target type (an enum, a time of day…) during the
// walk, so that its refusal names the JSON path; encoding/json reports such errors without one.
func (w *walker) text(t reflect.Type, s, path string) error {
	if t.Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(jsonUnmarshaler) ||
		!reflect.PointerTo(t).Implements(textUnmarshaler) {
		return nil
	}
	u := reflect.New(t).Interface().(encoding.TextUnmarshaler)
	if err := u.UnmarshalText([]byte(s)); err != nil {
		return &Error{Offset: w.dec.InputOffset(), Path: path, Reason: clip(err.Error()), Err: err}
	}
	return nil
}

func join(path, key string) string {
	key = clip(key)
	if path == "" {
		return key
	}
	return path + "." + key
}

func fold(s string) string { return strings.ToLower(strings.ToUpper(s)) }

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func custom(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return t.Implements(jsonUnmarshaler) || p.Implements(jsonUnmarshaler) ||
		t.Implements(textUnmarshaler) || p.Implements(textUnmarshaler)
}

type fieldInfo struct {
	name string
	typ  reflect.Type
}

// structFields returns the JSON names of t's fields (as encoding/json sees them, embedded structs
// flattened), keyed by their folded form. Tables are kept for the one call (no package state).
func (w *walker) structFields(t reflect.Type) map[string]fieldInfo {
	if m, ok := w.fields[t]; ok {
		return m
	}
	m := map[string]fieldInfo{}
	collect(t, m, 0)
	if w.fields == nil {
		w.fields = map[reflect.Type]map[string]fieldInfo{}
	}
	w.fields[t] = m
	return m
}

func collect(t reflect.Type, m map[string]fieldInfo, depth int) {
	if depth > 8 {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := deref(f.Type)
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			collect(ft, m, depth+1)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, ok := m[fold(name)]; !ok {
			m[fold(name)] = fieldInfo{name: name, typ: f.Type}
		}
	}
}
