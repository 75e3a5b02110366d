package ticket

import (
	"encoding"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lcEnum is one enum value seen through its methods.
type lcEnum interface {
	fmt.Stringer
	Label() string
	Valid() bool
	encoding.TextMarshaler
}

func lcAllEnums() map[string][]lcEnum {
	out := map[string][]lcEnum{}
	add := func(name string, vs ...lcEnum) { out[name] = append(out[name], vs...) }
	for _, v := range Channels() {
		add("Channel", v)
	}
	for _, v := range Kinds() {
		add("Kind", v)
	}
	for _, v := range Urgencies() {
		add("Urgency", v)
	}
	for _, v := range Complexities() {
		add("Complexity", v)
	}
	for _, v := range HandlingModes() {
		add("HandlingMode", v)
	}
	for _, v := range DispatchModes() {
		add("DispatchMode", v)
	}
	for _, v := range ReplyOutcomes() {
		add("ReplyOutcome", v)
	}
	for _, v := range Satisfactions() {
		add("Satisfaction", v)
	}
	for _, v := range SupervisionTriggers() {
		add("SupervisionTrigger", v)
	}
	for _, v := range ExtensionDecisions() {
		add("ExtensionDecision", v)
	}
	for _, v := range States() {
		add("State", v)
	}
	for _, v := range Actions() {
		add("Action", v)
	}
	for _, v := range Roles() {
		add("Role", v)
	}
	for _, v := range ReviewerLevels() {
		add("ReviewerLevel", v)
	}
	return out
}

// Every enum (CONTRIBUTING.md "Naming": one enum mechanism) has its Chinese label; identifiers and labels are unique and round-trip
// through text.
func TestEnumsHaveLabelsAndRoundTrip(t *testing.T) {
	for typ, vs := range lcAllEnums() {
		names, labels := map[string]bool{}, map[string]bool{}
		for _, v := range vs {
			assert.True(t, v.Valid(), "%s %v", typ, v)
			assert.NotEmpty(t, v.String(), typ)
			assert.NotEmpty(t, v.Label(), "%s %s has a Chinese label", typ, v)
			assert.False(t, names[v.String()], "%s: duplicate identifier %s", typ, v)
			assert.False(t, labels[v.Label()], "%s: duplicate label %s", typ, v.Label())
			names[v.String()], labels[v.Label()] = true, true
			b, err := v.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, v.String(), string(b))
		}
	}
	for _, c := range Channels() {
		got, err := ParseChannel(c.Label())
		require.NoError(t, err)
		assert.Equal(t, c, got)
		var u Channel
		require.NoError(t, u.UnmarshalText([]byte(c.String())))
		assert.Equal(t, c, u)
	}
	for _, k := range Kinds() {
		got, err := ParseKind(k.String())
		require.NoError(t, err)
		assert.Equal(t, k, got)
	}
	for _, a := range Actions() {
		got, err := ParseAction(a.Label())
		require.NoError(t, err)
		assert.Equal(t, a, got)
	}
	for _, r := range Roles() {
		got, err := ParseRole(r.String())
		require.NoError(t, err)
		assert.Equal(t, r, got)
	}
	for _, s := range States() {
		var u State
		require.NoError(t, u.UnmarshalText([]byte(s.Label())))
		assert.Equal(t, s, u)
	}
	// 000 §6 (二): the city's or the district's competent department reviews; the identifiers are
	// those of the appeal package's levels.
	assert.Equal(t, []ReviewerLevel{ReviewerCity, ReviewerDistrict}, ReviewerLevels())
	for _, l := range ReviewerLevels() {
		for _, text := range []string{l.String(), l.Label()} {
			var u ReviewerLevel
			require.NoError(t, u.UnmarshalText([]byte(text)))
			assert.Equal(t, l, u)
		}
	}
	assert.Equal(t, "district", ReviewerDistrict.String())
	assert.Equal(t, "市级政务服务主管部门", ReviewerCity.Label())
}

func TestEnumEdges(t *testing.T) {
	assert.Equal(t, "", Channel("").String())
	assert.Equal(t, "fax", Channel("fax").String())
	assert.Equal(t, "未知(fax)", Channel("fax").Label())
	assert.Equal(t, "未设置", Channel("").Label())
	assert.False(t, Channel("").Valid())
	_, err := Channel("fax").MarshalText()
	assert.ErrorIs(t, err, ErrInvalidEnum)
	var ee *EnumError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, "ticket.Channel", ee.Type)
	b, err := Kind("").MarshalText()
	require.NoError(t, err)
	assert.Empty(t, b)
	_, err = ParseChannel("fax")
	assert.ErrorIs(t, err, ErrInvalidEnum)
	_, err = ParseKind("")
	assert.ErrorIs(t, err, ErrInvalidEnum)
	var k Kind
	require.NoError(t, k.UnmarshalText(nil))
	assert.Equal(t, Kind(""), k)
	_, err = State("limbo").MarshalText()
	assert.ErrorIs(t, err, ErrInvalidEnum)
	var s State
	assert.ErrorIs(t, s.UnmarshalText([]byte("limbo")), ErrInvalidEnum)
	// Issue 9: an enum error never echoes a huge input whole.
	_, err = ParseRole(strings.Repeat("x", 65536))
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 1000)

	assert.True(t, ChannelStateCouncil.StateCouncil())
	assert.True(t, ChannelGovWebsite.StateCouncil())
	assert.False(t, ChannelPhone.StateCouncil())
	// 004 §8 (三): the four stored outcomes.
	var stored []ReplyOutcome
	for _, o := range append(ReplyOutcomes(), "", "x") {
		if o.Stored() {
			stored = append(stored, o)
		}
	}
	assert.Equal(t, []ReplyOutcome{OutcomeAdministrative, OutcomeSettled, OutcomeAdjudicated, OutcomeEnforcement}, stored)
	assert.True(t, Callback{Result: Satisfied, Efficiency: Satisfied, Attitude: Dissatisfied}.Dissatisfied(),
		"004 §12 (二) 4: dissatisfied with the attitude")
	assert.False(t, Callback{Result: FairlySatisfied, Efficiency: Satisfied, Attitude: Satisfied}.Dissatisfied())
	assert.True(t, Person{CreditCode: "91310000MA1FL8XXXX"}.IsEnterprise())
	assert.False(t, Person{Name: "张三"}.IsEnterprise())

	// Enums in JSON use their identifiers, and accept labels.
	type doc struct {
		C Channel `json:"c"`
		K Kind    `json:"k"`
		S State   `json:"s"`
	}
	raw, err := json.Marshal(doc{ChannelWeb, KindSuggestion, StateHandling})
	require.NoError(t, err)
	assert.JSONEq(t, `{"c":"web","k":"suggestion","s":"handling"}`, string(raw))
	var d doc
	require.NoError(t, json.Unmarshal([]byte(`{"c":"国办转办","k":"投诉","s":"已回访"}`), &d))
	assert.Equal(t, doc{ChannelStateCouncil, KindComplaint, StateCalledBack}, d)
}

// Whole tickets round-trip through JSON.
func TestTicketJSONRoundTrip(t *testing.T) {
	m := lcMachine(t, lcMachines(t)[0].DeadlinePolicy())
	tk := lcRun(t, m,
		lcStep{lcAccept(lcIntake(ChannelPhone)), lcHours(0)},
		lcStep{lcDispatch("居委会A", ModeTransfer, ComplexityComplex), lcHours(1)},
		lcStep{lcFirstContact(), lcHours(2)},
	)
	raw, err := json.Marshal(tk)
	require.NoError(t, err)
	var back Ticket
	require.NoError(t, json.Unmarshal(raw, &back))
	again, err := json.Marshal(&back)
	require.NoError(t, err)
	assert.JSONEq(t, string(raw), string(again))
	assert.Equal(t, tk.Number, back.Number)
	assert.Equal(t, StateHandling, back.State)
}

// FuzzParseEnums feeds arbitrary text to every enum parser: they never panic, and what they accept
// prints back to the same value.
func FuzzParseEnums(f *testing.F) {
	for _, s := range []string{"phone", "12345热线电话", "投诉", "Complaint", " handling ", "已回访", "", "\xff", "State(3)", strings.Repeat("长", 40000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if c, err := ParseChannel(s); err == nil {
			if back, err := ParseChannel(c.String()); err != nil || back != c {
				t.Fatalf("channel %q", s)
			}
		}
		if k, err := ParseKind(s); err == nil && !k.Valid() {
			t.Fatalf("kind %q", s)
		}
		if a, err := ParseAction(s); err == nil && !a.Valid() {
			t.Fatalf("action %q", s)
		}
		if r, err := ParseRole(s); err == nil && !r.Valid() {
			t.Fatalf("role %q", s)
		}
		var st State
		if err := st.UnmarshalText([]byte(s)); err == nil && s != "" && !st.Valid() {
			t.Fatalf("state %q", s)
		}
		for _, u := range []encoding.TextUnmarshaler{new(Urgency), new(Complexity), new(HandlingMode), new(ExtensionDecision), new(DispatchMode),
			new(ReplyOutcome), new(Satisfaction), new(SupervisionTrigger), new(ReviewerLevel), new(Number)} {
			_ = u.UnmarshalText([]byte(s))
		}
		_, _ = ParsePolicy([]byte(s))
	})
}

func TestPayloadKindText(t *testing.T) {
	for _, k := range PayloadKinds() {
		got, err := ParsePayloadKind(string(k))
		require.NoError(t, err)
		assert.Equal(t, k, got)
		var back PayloadKind
		require.NoError(t, back.UnmarshalText([]byte(k.Label())))
		assert.Equal(t, k, back)
	}
	var k PayloadKind
	assert.ErrorIs(t, k.UnmarshalText([]byte("bogus")), ErrInvalidEnum)
	_, err := ParsePayloadKind("bogus")
	assert.ErrorIs(t, err, ErrInvalidEnum)
}
