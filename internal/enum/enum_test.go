package enum_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hotline12345/hotline/internal/enum"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type color string

var errColor = errors.New("pkg: invalid enum value")

var colors = enum.New("pkg.Color", errColor,
	enum.Value[color]{V: "red", Label: "红"},
	enum.Value[color]{V: "blue", Label: "蓝"},
)

func TestSet(t *testing.T) {
	tests := []struct {
		in      string
		want    color
		wantErr bool
	}{
		{"red", "red", false},
		{"蓝", "blue", false},
		{"green", "", true},
		{"", "", true},
		{strings.Repeat("x", 64<<10), "", true},
	}
	for _, tt := range tests {
		got, err := colors.Parse(tt.in)
		if tt.wantErr {
			require.Error(t, err)
			assert.ErrorIs(t, err, errColor)
			assert.Less(t, len(err.Error()), 200, "error must not echo a huge input")
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tt.want, got)
	}
	assert.Equal(t, "红", colors.Label("red"))
	assert.Equal(t, "未知(green)", colors.Label("green"))
	assert.Equal(t, "未设置", colors.Label(""))
	assert.Equal(t, []color{"red", "blue"}, colors.All())
	v, err := colors.Unmarshal(nil)
	require.NoError(t, err)
	assert.Equal(t, color(""), v)
	assert.NoError(t, colors.Check("red"))
	assert.Error(t, colors.Check("x"))
}

func ExampleSet_Parse() {
	v, err := colors.Parse("蓝")
	fmt.Println(v, err)
	_, err = colors.Parse("green")
	fmt.Println(err)
	// Output:
	// blue <nil>
	// unknown pkg.Color "green" (want one of: red, blue)
}

// An error names the accepted values up to about 300 bytes: a long list (ticket.Action has 30
// values) is cut there, not at the 32 bytes that bound the quoted input.
func TestErrorListsKnownValues(t *testing.T) {
	var vals []enum.Value[color]
	for i := range 40 {
		vals = append(vals, enum.Value[color]{V: color(fmt.Sprintf("value_number_%02d", i)), Label: fmt.Sprint(i)})
	}
	set := enum.New("pkg.Many", errColor, vals...)
	_, err := set.Parse("zz")
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, "value_number_00, value_number_01, value_number_02, value_number_03")
	assert.Contains(t, msg, "value_number_15")
	assert.NotContains(t, msg, "value_number_39", "the list is cut")
	assert.True(t, strings.HasSuffix(msg, "…)"), msg)
	assert.NotContains(t, msg, "……")
	assert.LessOrEqual(t, len(msg), 400)
}
