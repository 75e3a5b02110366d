package strictjson_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hotline12345/hotline/internal/strictjson"
)

// diffDoc has every kind of target the scanner treats differently: struct fields, a slice of
// structs, a map and an opaque value.
type diffDoc struct {
	Name  string         `json:"name"`
	Days  int            `json:"days"`
	Items []diffDoc      `json:"items"`
	M     map[string]int `json:"m"`
	Any   any            `json:"any"`
}

// hasDup reports duplicate keys (compared case-insensitively) in any object of the document, by a
// walk over encoding/json's tokens.
func hasDup(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		obj  bool
		keys map[string]bool
		exp  bool // expecting key
	}
	var st []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		top := func() *frame {
			if len(st) == 0 {
				return nil
			}
			return st[len(st)-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				if f := top(); f != nil && f.obj {
					f.exp = true
				}
				st = append(st, &frame{obj: true, keys: map[string]bool{}, exp: true})
			case '[':
				if f := top(); f != nil && f.obj {
					f.exp = true
				}
				st = append(st, &frame{})
			default:
				st = st[:len(st)-1]
			}
		case string:
			f := top()
			if f != nil && f.obj && f.exp {
				k := strings.ToLower(v)
				if f.keys[k] {
					return true
				}
				f.keys[k] = true
				f.exp = false
				continue
			}
			if f != nil && f.obj {
				f.exp = true
			}
		default:
			if f := top(); f != nil && f.obj {
				f.exp = true
			}
		}
	}
}

// FuzzDecodeAgreesWithEncodingJSON: whatever Decode accepts, encoding/json (with
// DisallowUnknownFields) accepts too, with nothing after the value and no key given twice in any
// object, in any case — the promises of the package documentation, checked by an independent
// token walk.
func FuzzDecodeAgreesWithEncodingJSON(f *testing.F) {
	f.Add([]byte(`{"name":"x","items":[{"days":1,"m":{"a":1}}],"any":{"k":[1,{"z":2}]}}`))
	f.Add([]byte(`{"name":"x","any":{"a":1,"A":2}}`))
	f.Add([]byte(`{"n\u0061me":"x","name":"y"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var a diffDoc
		err := strictjson.Decode(data, &a, 1<<16)
		if err != nil {
			return
		}
		var b diffDoc
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if e := dec.Decode(&b); e != nil {
			t.Fatalf("strict accepted, encoding/json refused: %v", e)
		}
		if dec.More() {
			t.Fatalf("strict accepted trailing data")
		}
		if hasDup(data) {
			t.Fatalf("strict accepted a duplicate key: %q", data)
		}
	})
}
