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
// never reads or holds more than max+1 bytes, so a huge or endless stream is refused cheaply. A nil
// r is refused with an *[Error], not a panic.
func Read(r io.Reader, v any, max int64) error {
	if r == nil {
		return &Error{Offset: -1, Reason: "nil reader: nothing to read"}
	}
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

// maxDepth bounds nesting, so that a deeply nested document cannot exhaust the stack.
const maxDepth = 64

// check scans the document once, alongside the target type, and refuses trailing data, duplicate
// and case-variant keys, keys that match a struct field only when case is ignored, and strings that
// the target's UnmarshalText refuses. It is a byte scanner: no token values are built, and paths are
// rendered only for an error. encoding/json then decodes the checked document.
func check(data []byte, t reflect.Type) error {
	s := scanner{data: data, types: map[reflect.Type]*typeInfo{}}
	s.space()
	if bytes.HasPrefix(data[s.pos:], []byte("null")) && len(bytes.TrimSpace(data[s.pos+4:])) == 0 {
		return &Error{Offset: int64(s.pos), Reason: "document is null"}
	}
	if err := s.value(t); err != nil {
		return err
	}
	s.space()
	if s.pos < len(data) {
		return &Error{Offset: int64(s.pos), Reason: "trailing data after the JSON value"}
	}
	return nil
}

// segment is one step of the path to the value being scanned: an object key (its byte range in the
// document) or an array index.
type segment struct {
	start, end int // key bytes, without the quotes; start < 0 for an index
	index      int
}

type scanner struct {
	data  []byte
	pos   int
	path  []segment
	types map[reflect.Type]*typeInfo // facts about the target's types, for this call only
}

// typeInfo is what the scanner needs to know of one Go type.
type typeInfo struct {
	custom bool           // decodes itself (UnmarshalJSON or UnmarshalText): field names not checked
	text   bool           // a string decoded by UnmarshalText, checked during the scan
	kind   reflect.Kind   // after dereferencing pointers
	elem   reflect.Type   // slice, array and map elements
	fields []fieldInfo    // struct fields by JSON name
	exact  map[string]int // JSON name → index into fields
	folded map[string]int // folded JSON name → index into fields
}

type fieldInfo struct {
	name string
	typ  reflect.Type
}

func (s *scanner) info(t reflect.Type) *typeInfo {
	if t == nil {
		return nil
	}
	if ti, ok := s.types[t]; ok {
		return ti
	}
	d := deref(t)
	p := reflect.PointerTo(d)
	jsonU := d.Implements(jsonUnmarshaler) || p.Implements(jsonUnmarshaler)
	textU := d.Implements(textUnmarshaler) || p.Implements(textUnmarshaler)
	ti := &typeInfo{custom: jsonU || textU, text: textU && !jsonU, kind: d.Kind()}
	switch d.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		ti.elem = d.Elem()
	case reflect.Struct:
		ti.exact, ti.folded = map[string]int{}, map[string]int{}
		collect(d, ti, 0)
	}
	s.types[t] = ti
	return ti
}

func (s *scanner) space() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
		default:
			return
		}
	}
}

func (s *scanner) fail(off int, reason string) error {
	return &Error{Offset: int64(off), Path: s.pathString(), Reason: reason}
}

func (s *scanner) syntax(what string) error {
	if s.pos >= len(s.data) {
		return &Error{Offset: int64(s.pos), Reason: "unexpected end of document", Err: io.ErrUnexpectedEOF}
	}
	return s.fail(s.pos, fmt.Sprintf("syntax error: %s, found %q", what, clip(string(s.data[s.pos:min(s.pos+8, len(s.data))]))))
}

// value scans one JSON value whose Go target is t (nil: unknown or opaque).
func (s *scanner) value(t reflect.Type) error {
	s.space()
	if s.pos >= len(s.data) {
		return s.syntax("a value")
	}
	ti := s.info(t)
	switch s.data[s.pos] {
	case '{':
		return s.object(ti)
	case '[':
		return s.array(ti)
	case '"':
		start := s.pos
		raw, escaped, err := s.str()
		if err != nil {
			return err
		}
		if ti != nil && ti.text {
			return s.text(t, raw, escaped, start)
		}
		return nil
	default:
		start := s.pos
		for s.pos < len(s.data) {
			switch s.data[s.pos] {
			case ',', ']', '}', ' ', '\t', '\r', '\n':
				goto done
			}
			s.pos++
		}
	done:
		lit := s.data[start:s.pos]
		switch c := s.data[start]; {
		case c == '-' || c >= '0' && c <= '9':
			// a number: its form is checked by encoding/json
		case string(lit) == "true" || string(lit) == "false" || string(lit) == "null":
		default:
			s.pos = start
			return s.syntax("a value")
		}
		return nil // literals and numbers are checked by encoding/json
	}
}

// str scans a string starting at its opening quote and returns its raw bytes (without the quotes)
// and whether it has escapes.
func (s *scanner) str() ([]byte, bool, error) {
	s.pos++ // opening quote
	start, escaped := s.pos, false
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case '"':
			raw := s.data[start:s.pos]
			s.pos++
			return raw, escaped, nil
		case '\\':
			escaped = true
			s.pos += 2
			continue
		}
		s.pos++
	}
	s.pos = len(s.data)
	return nil, false, s.syntax("a closing quote")
}

// unquote returns the text of a string's raw bytes.
func unquote(raw []byte, escaped bool) string {
	if !escaped {
		return string(raw)
	}
	var out string
	q := make([]byte, 0, len(raw)+2)
	q = append(append(append(q, '"'), raw...), '"')
	if json.Unmarshal(q, &out) != nil {
		return string(raw)
	}
	return out
}

func (s *scanner) push(seg segment) error {
	if len(s.path) >= maxDepth {
		return s.fail(s.pos, fmt.Sprintf("nested more than %d deep", maxDepth))
	}
	s.path = append(s.path, seg)
	return nil
}

func (s *scanner) object(ti *typeInfo) error {
	open := s.pos
	s.pos++
	if len(s.path) >= maxDepth {
		return s.fail(open, fmt.Sprintf("nested more than %d deep", maxDepth))
	}
	isStruct := ti != nil && !ti.custom && ti.kind == reflect.Struct
	var elem reflect.Type
	if ti != nil && !ti.custom && ti.kind == reflect.Map {
		elem = ti.elem
	}
	var seenBits uint64
	var seenFields []bool
	if isStruct && len(ti.fields) > 64 {
		seenFields = make([]bool, len(ti.fields))
	}
	var seenKeys [][2]int // other objects: key byte ranges, compared folded
	var seenMap map[string][2]int
	s.space()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		return nil
	}
	for {
		s.space()
		if s.pos >= len(s.data) || s.data[s.pos] != '"' {
			return s.syntax("a string key")
		}
		keyOff := s.pos
		raw, escaped, err := s.str()
		if err != nil {
			return err
		}
		kstart := keyOff + 1
		seg := segment{start: kstart, end: kstart + len(raw)}
		s.space()
		if s.pos >= len(s.data) || s.data[s.pos] != ':' {
			return s.syntax("a colon after the key")
		}
		s.pos++
		var next reflect.Type = elem
		if isStruct {
			var i int
			var ok bool
			if escaped {
				i, ok = ti.exact[unquote(raw, true)]
			} else {
				i, ok = ti.exact[string(raw)] // no allocation for a map index
			}
			if !ok {
				key := unquote(raw, escaped)
				s.path = append(s.path, seg)
				if j, near := ti.folded[fold(key)]; near {
					if seen(seenBits, seenFields, j) {
						return s.fail(keyOff, fmt.Sprintf("keys %q and %q differ only in case", clip(ti.fields[j].name), clip(key)))
					}
					return s.fail(keyOff, fmt.Sprintf("unknown field %q (did you mean %q?)", clip(key), ti.fields[j].name))
				}
				return s.fail(keyOff, fmt.Sprintf("unknown field %q", clip(key)))
			}
			if seen(seenBits, seenFields, i) {
				s.path = append(s.path, seg)
				return s.fail(keyOff, fmt.Sprintf("duplicate key %q", clip(unquote(raw, escaped))))
			}
			if seenFields != nil {
				seenFields[i] = true
			} else {
				seenBits |= 1 << uint(i)
			}
			next = ti.fields[i].typ
		} else {
			// Maps and opaque objects: no key twice, not even in another case. A few keys are
			// compared in place; past that, a map of folded keys keeps the check linear.
			const small = 16
			dup := [2]int{-1, -1}
			if seenMap == nil && len(seenKeys) < small {
				for _, k := range seenKeys {
					if bytes.EqualFold(s.data[k[0]:k[1]], raw) || (escaped && fold(unquote(s.data[k[0]:k[1]], true)) == fold(unquote(raw, true))) {
						dup = k
						break
					}
				}
				seenKeys = append(seenKeys, [2]int{seg.start, seg.end})
			} else {
				if seenMap == nil {
					seenMap = make(map[string][2]int, 2*small)
					for _, k := range seenKeys {
						seenMap[fold(unquote(s.data[k[0]:k[1]], true))] = k
					}
				}
				f := fold(unquote(raw, escaped))
				if k, ok := seenMap[f]; ok {
					dup = k
				} else {
					seenMap[f] = [2]int{seg.start, seg.end}
				}
			}
			if dup[0] >= 0 {
				s.path = append(s.path, seg)
				before, key := unquote(s.data[dup[0]:dup[1]], true), unquote(raw, escaped)
				if before == key {
					return s.fail(keyOff, fmt.Sprintf("duplicate key %q", clip(key)))
				}
				return s.fail(keyOff, fmt.Sprintf("keys %q and %q differ only in case", clip(before), clip(key)))
			}
		}
		if err := s.push(seg); err != nil {
			return err
		}
		if err := s.value(next); err != nil {
			return err
		}
		s.path = s.path[:len(s.path)-1]
		s.space()
		if s.pos < len(s.data) && s.data[s.pos] == ',' {
			s.pos++
			continue
		}
		if s.pos < len(s.data) && s.data[s.pos] == '}' {
			s.pos++
			return nil
		}
		return s.syntax("a comma or closing brace")
	}
}

func seen(bits uint64, fields []bool, i int) bool {
	if fields != nil {
		return fields[i]
	}
	return bits&(1<<uint(i)) != 0
}

func (s *scanner) array(ti *typeInfo) error {
	open := s.pos
	s.pos++
	if len(s.path) >= maxDepth {
		return s.fail(open, fmt.Sprintf("nested more than %d deep", maxDepth))
	}
	var elem reflect.Type
	if ti != nil && !ti.custom && (ti.kind == reflect.Slice || ti.kind == reflect.Array) {
		elem = ti.elem
	}
	s.space()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		return nil
	}
	for i := 0; ; i++ {
		if err := s.push(segment{start: -1, index: i}); err != nil {
			return err
		}
		if err := s.value(elem); err != nil {
			return err
		}
		s.path = s.path[:len(s.path)-1]
		s.space()
		if s.pos < len(s.data) && s.data[s.pos] == ',' {
			s.pos++
			continue
		}
		if s.pos < len(s.data) && s.data[s.pos] == ']' {
			s.pos++
			return nil
		}
		return s.syntax("a comma or closing bracket")
	}
}

// text runs the UnmarshalText of a string value's target type (an enum, a time of day…) during the
// scan, so that its refusal names the JSON path; encoding/json reports such errors without one.
func (s *scanner) text(t reflect.Type, raw []byte, escaped bool, off int) error {
	d := deref(t)
	u := reflect.New(d).Interface().(encoding.TextUnmarshaler)
	b := raw
	if escaped {
		b = []byte(unquote(raw, true))
	}
	if err := u.UnmarshalText(b); err != nil {
		return &Error{Offset: int64(off), Path: s.pathString(), Reason: clip(err.Error()), Err: err}
	}
	return nil
}

// pathString renders the path, e.g. "limits[2].days".
func (s *scanner) pathString() string {
	var b strings.Builder
	for _, seg := range s.path {
		if seg.start < 0 {
			fmt.Fprintf(&b, "[%d]", seg.index)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(clip(unquote(s.data[seg.start:seg.end], bytes.IndexByte(s.data[seg.start:seg.end], '\\') >= 0)))
	}
	return b.String()
}

func fold(s string) string { return strings.ToLower(strings.ToUpper(s)) }

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// collect records the JSON names of t's fields (as encoding/json sees them, embedded structs
// flattened).
func collect(t reflect.Type, ti *typeInfo, depth int) {
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
			collect(ft, ti, depth+1)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, ok := ti.folded[fold(name)]; ok {
			continue
		}
		ti.exact[name] = len(ti.fields)
		ti.folded[fold(name)] = len(ti.fields)
		ti.fields = append(ti.fields, fieldInfo{name: name, typ: f.Type})
	}
}
