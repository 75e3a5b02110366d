// Package strictjsontest holds the one table of malformed inputs that every loader in the module is
// tested against. A package's test builds the cases from one valid document of its own and asserts
// that its loader refuses each of them with an error (and does not panic).
package strictjsontest

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Case is one malformed variant of a valid document.
type Case struct {
	Name  string
	Input []byte
}

// Cases derives the shared malformed variants from valid, which must be a JSON object with at least
// one key. max is the loader's documented maximum size in bytes (0: the oversize case is left out).
func Cases(valid []byte, max int64) []Case {
	valid = bytes.TrimSpace(valid)
	key, val := firstMember(valid)
	body := valid[1:] // everything after the opening brace
	cases := []Case{
		{"empty", []byte{}},
		{"whitespace only", []byte("  \n\t")},
		{"null", []byte("null")},
		{"not an object", []byte(`[1,2,3]`)},
		{"a string", []byte(`"x"`)},
		{"truncated", valid[:len(valid)/2]},
		{"truncated by one byte", valid[:len(valid)-1]},
		{"trailing brace", append(bytes.Clone(valid), '}')},
		{"trailing object", append(bytes.Clone(valid), []byte(` {}`)...)},
		{"trailing garbage", append(bytes.Clone(valid), []byte(` x`)...)},
		{"two documents", append(append(bytes.Clone(valid), '\n'), valid...)},
		{"unknown field", append([]byte(`{"zz_unknown_field":1,`), body...)},
		{"deeply nested", []byte(strings.Repeat("[", 10000) + strings.Repeat("]", 10000))},
		{"invalid UTF-8 in a key", append([]byte("{\"\xff\xfe\":1,"), body...)},
		{"NaN literal", append([]byte(`{"`+key+`":NaN,`), body...)},
	}
	if key != "" {
		cases = append(cases,
			Case{"duplicate key", append([]byte(`{"`+key+`":`+val+`,`), body...)},
			Case{"case-variant key", []byte(`{"` + strings.ToUpper(key) + `":` + val + `,` + string(body))},
			Case{"case-variant key alone", replaceFirstKey(valid, key, swapCase(key))},
		)
	}
	if max > 0 {
		pad := bytes.Repeat([]byte(" "), int(max))
		cases = append(cases, Case{"larger than the maximum", append(bytes.Clone(valid), pad...)})
	}
	return cases
}

// firstMember returns the first key of the object and its value as raw JSON.
func firstMember(valid []byte) (string, string) {
	var m map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(valid))
	if dec.Decode(&m) != nil {
		return "", ""
	}
	d := json.NewDecoder(bytes.NewReader(valid))
	if _, err := d.Token(); err != nil {
		return "", ""
	}
	tok, err := d.Token()
	if err != nil {
		return "", ""
	}
	k, _ := tok.(string)
	return k, string(m[k])
}

func replaceFirstKey(valid []byte, key, repl string) []byte {
	return bytes.Replace(valid, []byte(`"`+key+`"`), []byte(`"`+repl+`"`), 1)
}

func swapCase(s string) string {
	if up := strings.ToUpper(s); up != s {
		return up
	}
	return strings.ToLower(s)
}
