package strictjson_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hotline12345/hotline/internal/strictjson"
	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type inner struct {
	Days int `json:"days"`
}

type doc struct {
	Name   string           `json:"name"`
	Limits []inner          `json:"limits"`
	Extra  map[string]inner `json:"extra,omitempty"`
	Plain  int
}

func TestDecodeAcceptsValid(t *testing.T) {
	var d doc
	require.NoError(t, strictjson.Decode([]byte(`{"name":"x","limits":[{"days":3}],"extra":{"A":{"days":1}},"Plain":2}`), &d, 1<<10))
	assert.Equal(t, "x", d.Name)
	assert.Equal(t, 3, d.Limits[0].Days)
	assert.Equal(t, 1, d.Extra["A"].Days)
	assert.Equal(t, 2, d.Plain)
}

func TestDecodeRefuses(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"trailing brace", `{"name":"x"}}`, "trailing data"},
		{"duplicate", `{"name":"x","name":"y"}`, `duplicate key "name"`},
		{"case variant pair", `{"name":"x","NAME":"y"}`, `differ only in case`},
		{"case variant alone", `{"Name":"x"}`, `did you mean "name"`},
		{"nested duplicate", `{"limits":[{"days":1,"days":2}]}`, `limits[0].days`},
		{"map duplicate", `{"extra":{"a":{},"a":{}}}`, `duplicate key "a"`},
		{"unknown nested", `{"limits":[{"dayz":1}]}`, `unknown field "dayz"`},
		{"wrong type", `{"name":1}`, "wrong type"},
		{"too deep", strings.Repeat("[", 100) + strings.Repeat("]", 100), "nested more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d doc
			err := strictjson.Decode([]byte(tt.in), &d, 0)
			require.Error(t, err)
			assert.ErrorIs(t, err, strictjson.ErrMalformed)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestSharedTable(t *testing.T) {
	valid := []byte(`{"name":"x","limits":[{"days":3}]}`)
	var d doc
	require.NoError(t, strictjson.Decode(valid, &d, 1<<10))
	for _, c := range strictjsontest.Cases(valid, 1<<10) {
		t.Run(c.Name, func(t *testing.T) {
			var d doc
			assert.ErrorIs(t, strictjson.Decode(c.Input, &d, 1<<10), strictjson.ErrMalformed)
		})
	}
}

func TestReadBoundsInput(t *testing.T) {
	var d doc
	err := strictjson.Read(strings.NewReader(`{"name":"`+strings.Repeat("a", 1<<20)+`"}`), &d, 1<<10)
	require.Error(t, err)
	assert.True(t, errors.Is(err, strictjson.ErrTooLarge))
}

func TestErrorsDoNotEchoHugeInput(t *testing.T) {
	var d doc
	key := strings.Repeat("k", 64<<10)
	err := strictjson.Decode([]byte(`{"`+key+`":1}`), &d, 0)
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 1000)
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"name":"x","limits":[{"days":3}]}`))
	f.Add([]byte(`{"name":"x"}}`))
	f.Add([]byte(`{"Name":"x","name":"y"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var d doc
		_ = strictjson.Decode(data, &d, 1<<16)
	})
}

func ExampleDecode() {
	var d doc
	err := strictjson.Decode([]byte(`{"name":"x"}}`), &d, 1<<10)
	fmt.Println(err)
	err = strictjson.Decode([]byte(`{"name":"x","Name":"y"}`), &d, 1<<10)
	fmt.Println(err)
	// Output:
	// trailing data after the JSON value (byte 12)
	// keys "name" and "Name" differ only in case at Name (byte 12)
}

type textEnum string

func (e *textEnum) UnmarshalText(b []byte) error {
	if string(b) != "a" && string(b) != "b" {
		return errors.New("unknown value")
	}
	*e = textEnum(b)
	return nil
}

// A value refused by its type's own UnmarshalText is reported with its JSON path.
func TestTextUnmarshalerErrorNamesThePath(t *testing.T) {
	var v struct {
		Items []struct {
			Kind textEnum `json:"kind"`
		} `json:"items"`
	}
	err := strictjson.Decode([]byte(`{"items":[{"kind":"a"},{"kind":"zz"}]}`), &v, 0)
	var se *strictjson.Error
	if !errors.As(err, &se) || se.Path != "items[1].kind" || !errors.Is(err, strictjson.ErrMalformed) {
		t.Fatalf("got %v", err)
	}
	if err := strictjson.Decode([]byte(`{"items":[{"kind":"a"},{"kind":"b"}]}`), &v, 0); err != nil {
		t.Fatal(err)
	}
}

// A nil reader is a caller's mistake, not a reason to crash the server that made it: Read refuses it
// with an *Error (every Read… loader of the module goes through here).
func TestReadNilReader(t *testing.T) {
	var d doc
	var err error
	require.NotPanics(t, func() { err = strictjson.Read(nil, &d, 1<<10) })
	var se *strictjson.Error
	require.ErrorAs(t, err, &se)
	assert.ErrorIs(t, err, strictjson.ErrMalformed)
	assert.Contains(t, err.Error(), "nil")
}
