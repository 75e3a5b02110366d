package privacy

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/hotline12345/hotline/internal/enum"
	"github.com/hotline12345/hotline/internal/strictjson"
)

// ErrInvalidPolicy is wrapped by every error [Policy.Validate], [ParsePolicy], [ReadPolicy] and
// [Preset] return.
var ErrInvalidPolicy = errors.New("privacy: invalid policy")

// ErrMalformed is wrapped, with [ErrInvalidPolicy], when a policy document is refused by the strict
// loader: not JSON, trailing data, duplicate, case-variant or unknown keys, too large.
var ErrMalformed = errors.New("privacy: malformed JSON")

// ErrInvalidEnum is wrapped by every [*EnumError] this package returns (an unknown audience or mask).
var ErrInvalidEnum = errors.New("privacy: invalid enum value")

// EnumError reports a value that is not a member of its enumeration; it wraps [ErrInvalidEnum].
type EnumError = enum.Error

// MaxPolicyBytes is the largest policy document [ParsePolicy] and [ReadPolicy] accept.
const MaxPolicyBytes = 64 << 10

// The bounds [Policy.Validate] enforces on a view's counts. A mobile number has 11 digits and a
// resident ID number 18 characters; whatever a view shows, at least [MinPhoneHidden] digits and
// [MinIDHidden] characters stay hidden. The maskers apply the same minimum to values of any length
// (a 12-character identifier, a 7-digit local number), shortening the head first, then the tail.
const (
	MinPhoneHidden = 4
	MinIDHidden    = 8
	maxPhoneShown  = 11 - MinPhoneHidden
	maxIDShown     = 18 - MinIDHidden
)

// PolicyError says what is wrong with a [Policy]: which policy, which field (a path such as
// "views[1].phone_head") and why. It wraps [ErrInvalidPolicy].
type PolicyError struct {
	Policy string
	Field  string
	Reason string
}

// Error returns `privacy: policy "<name>": <field>: <reason>`.
func (e *PolicyError) Error() string {
	return fmt.Sprintf("privacy: policy %q: %s: %s", enum.Clip(e.Policy), e.Field, e.Reason)
}

// Unwrap returns [ErrInvalidPolicy].
func (e *PolicyError) Unwrap() error { return ErrInvalidPolicy }

// Audience is who is looking at a ticket's personal data (000 第十条; 002 第十一条; 004 第十六条: the
// content may not be shown to anyone but the staff handling it).
type Audience string

// The audiences.
const (
	// AudienceHandler is the staff handling the ticket.
	AudienceHandler Audience = "handler"
	// AudienceStaff is any other staff member (another unit, a supervisor, an auditor).
	AudienceStaff Audience = "staff"
	// AudiencePublic is public output: bulletins, case libraries, open data.
	AudiencePublic Audience = "public"
)

var audiences = enum.New("privacy.Audience", ErrInvalidEnum,
	enum.Value[Audience]{V: AudienceHandler, Label: "承办人员"},
	enum.Value[Audience]{V: AudienceStaff, Label: "其他工作人员"},
	enum.Value[Audience]{V: AudiencePublic, Label: "公开发布"},
)

// Audiences returns the audiences in display order.
func Audiences() []Audience { return audiences.All() }

// ParseAudience returns the audience whose wire value or Chinese label is s.
func ParseAudience(s string) (Audience, error) { return audiences.Parse(s) }

func (a Audience) String() string { return string(a) }

// Label returns the Chinese label; "未知(x)" for a value outside the set, "未设置" for "".
func (a Audience) Label() string { return audiences.Label(a) }

// Valid reports whether a is one of the audiences.
func (a Audience) Valid() bool { return audiences.Valid(a) }

// UnmarshalText refuses an unknown audience with an [*EnumError].
func (a *Audience) UnmarshalText(b []byte) (err error) { *a, err = audiences.Unmarshal(b); return err }

// NameMask is how a view shows a name.
type NameMask string

// The name masks.
const (
	NameSurname NameMask = "surname" // the surname (compound surnames included) and one * per other character: 张*, 欧阳**
	NameHidden  NameMask = "hidden"  // ***
)

var nameMasks = enum.New("privacy.NameMask", ErrInvalidEnum,
	enum.Value[NameMask]{V: NameSurname, Label: "保留姓氏"},
	enum.Value[NameMask]{V: NameHidden, Label: "隐藏"},
)

// NameMasks returns the name masks in display order.
func NameMasks() []NameMask { return nameMasks.All() }

// ParseNameMask returns the name mask whose wire value or Chinese label is s.
func ParseNameMask(s string) (NameMask, error) { return nameMasks.Parse(s) }

func (m NameMask) String() string { return string(m) }

// Label returns the Chinese label; "未知(x)" for a value outside the set, "未设置" for "".
func (m NameMask) Label() string { return nameMasks.Label(m) }

// Valid reports whether m is one of the name masks.
func (m NameMask) Valid() bool { return nameMasks.Valid(m) }

// UnmarshalText refuses an unknown name mask with an [*EnumError].
func (m *NameMask) UnmarshalText(b []byte) (err error) { *m, err = nameMasks.Unmarshal(b); return err }

// AddressMask is how a view shows an address.
type AddressMask string

// The address masks; see [Policy.MaskAddress].
const (
	AddressStreet   AddressMask = "street"   // up to the street, town or road: 上海市宝山区友谊路街道***
	AddressDistrict AddressMask = "district" // up to the district or county: 上海市宝山区***
	AddressHidden   AddressMask = "hidden"   // ***
)

var addressMasks = enum.New("privacy.AddressMask", ErrInvalidEnum,
	enum.Value[AddressMask]{V: AddressStreet, Label: "显示到街道"},
	enum.Value[AddressMask]{V: AddressDistrict, Label: "显示到区县"},
	enum.Value[AddressMask]{V: AddressHidden, Label: "隐藏"},
)

// AddressMasks returns the address masks in display order.
func AddressMasks() []AddressMask { return addressMasks.All() }

// ParseAddressMask returns the address mask whose wire value or Chinese label is s.
func ParseAddressMask(s string) (AddressMask, error) { return addressMasks.Parse(s) }

func (m AddressMask) String() string { return string(m) }

// Label returns the Chinese label; "未知(x)" for a value outside the set, "未设置" for "".
func (m AddressMask) Label() string { return addressMasks.Label(m) }

// Valid reports whether m is one of the address masks.
func (m AddressMask) Valid() bool { return addressMasks.Valid(m) }

// UnmarshalText refuses an unknown address mask with an [*EnumError].
func (m *AddressMask) UnmarshalText(b []byte) (err error) {
	*m, err = addressMasks.Unmarshal(b)
	return err
}

// TextMask is how a view shows free text (a ticket's title and content, reasons, reports).
type TextMask string

// The text masks.
const (
	// TextScrubbed shows the text with every phone number, ID number and other long digit run masked
	// (see [Policy.Scrub]) and, where the citizen's recorded identity is known ([Policy.Mask],
	// [Policy.MaskTicket]), every repetition of their name, phone, ID number and address below the
	// level the view shows masked too.
	TextScrubbed TextMask = "scrubbed"
	// TextHidden shows *** for any non-empty text.
	TextHidden TextMask = "hidden"
)

var textMasks = enum.New("privacy.TextMask", ErrInvalidEnum,
	enum.Value[TextMask]{V: TextScrubbed, Label: "隐去个人信息"},
	enum.Value[TextMask]{V: TextHidden, Label: "隐藏"},
)

// TextMasks returns the text masks in display order.
func TextMasks() []TextMask { return textMasks.All() }

// ParseTextMask returns the text mask whose wire value or Chinese label is s.
func ParseTextMask(s string) (TextMask, error) { return textMasks.Parse(s) }

func (m TextMask) String() string { return string(m) }

// Label returns the Chinese label; "未知(x)" for a value outside the set, "未设置" for "".
func (m TextMask) Label() string { return textMasks.Label(m) }

// Valid reports whether m is one of the text masks.
func (m TextMask) Valid() bool { return textMasks.Valid(m) }

// UnmarshalText refuses an unknown text mask with an [*EnumError].
func (m *TextMask) UnmarshalText(b []byte) (err error) { *m, err = textMasks.Unmarshal(b); return err }

// View is what one audience sees. A view with Full set shows everything; otherwise mobile numbers
// keep PhoneHead leading and PhoneTail trailing digits, ID numbers IDHead and IDTail characters, and
// names, addresses and free text follow Name, Address and Text.
type View struct {
	Audience  Audience    `json:"audience"`
	Full      bool        `json:"full,omitempty"`
	PhoneHead int         `json:"phone_head"`
	PhoneTail int         `json:"phone_tail"`
	IDHead    int         `json:"id_head"`
	IDTail    int         `json:"id_tail"`
	Name      NameMask    `json:"name"`
	Address   AddressMask `json:"address"`
	Text      TextMask    `json:"text"`
	Source    string      `json:"source,omitempty"`
}

// Policy says, per audience, how personal data is shown. It is plain data; start from a preset
// ([Shanghai]) or [ParsePolicy]. An audience the policy has no valid view for sees nothing: every
// personal field and every free text is "***" (fail closed).
type Policy struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	Source  string `json:"source,omitempty"`
	Views   []View `json:"views"`
}

// Shanghai returns the masking of 000 第十条 (沪府办〔2020〕49号, Shanghai), which 004 第十六条 (友谊路街道,
// 宝山区) applies at street level and 002 第十一条 (鹤壁) repeats: the staff handling a ticket see
// everything; other staff see 138****5678, the ID number's first 6 and last 4 characters, 张* and the
// address to street level; public output shows the ID number's first and last character only and the
// address to district level. Free text is scrubbed for both.
func Shanghai() Policy {
	const src = "000 第十条; 002 第十一条; 004 第十六条"
	return Policy{
		Name:    "shanghai",
		Version: "2020-08-31",
		Source:  "沪府办〔2020〕49号 (000) 第十条",
		Views: []View{
			{Audience: AudienceHandler, Full: true, Source: src},
			{Audience: AudienceStaff, PhoneHead: 3, PhoneTail: 4, IDHead: 6, IDTail: 4, Name: NameSurname, Address: AddressStreet, Text: TextScrubbed, Source: src},
			{Audience: AudiencePublic, PhoneHead: 3, PhoneTail: 4, IDHead: 1, IDTail: 1, Name: NameSurname, Address: AddressDistrict, Text: TextScrubbed, Source: src},
		},
	}
}

// Presets returns every preset policy, in a fixed order.
func Presets() []Policy { return []Policy{Shanghai()} }

// Preset returns the preset policy with the given name, or a [*PolicyError] naming the presets.
func Preset(name string) (Policy, error) {
	ps := Presets()
	if i := slices.IndexFunc(ps, func(p Policy) bool { return p.Name == name }); i >= 0 {
		return ps[i], nil
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return Policy{}, &PolicyError{Policy: name, Field: "name", Reason: fmt.Sprintf("no preset of that name (have %s)", strings.Join(names, ", "))}
}

// Validate reports the first thing wrong with p, as a [*PolicyError]: an empty name, a view for an
// unknown audience or for one seen twice, a view that shows everything to anyone but the handler
// (000 第十条: the content goes to no one but the staff handling it), a digit count outside its range (0–7 for a phone, 0–10 for
// an ID number) or counts that together would leave fewer than [MinPhoneHidden] digits of a mobile
// number or [MinIDHidden] characters of an ID number hidden, and an unknown name, address or text
// mask.
func (p Policy) Validate() error {
	bad := func(field, format string, args ...any) error {
		return &PolicyError{Policy: p.Name, Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	if strings.TrimSpace(p.Name) == "" {
		return bad("name", "is empty")
	}
	if strings.TrimSpace(p.Version) != p.Version {
		return bad("version", "has leading or trailing space")
	}
	seen := map[Audience]int{}
	for i, v := range p.Views {
		f := fmt.Sprintf("views[%d]", i)
		if err := audiences.Check(v.Audience); err != nil {
			return bad(f+".audience", "%v", err)
		}
		if j, dup := seen[v.Audience]; dup {
			return bad(f+".audience", "%q repeats views[%d]", v.Audience, j)
		}
		seen[v.Audience] = i
		if v.Full && v.Audience != AudienceHandler {
			return bad(f+".full", "only the staff handling a ticket may see everything (000 第十条; 004 第十六条), not %q", v.Audience)
		}
		if field, reason := v.check(); reason != "" {
			return bad(f+"."+field, "%s", reason)
		}
	}
	return nil
}

// check returns "" for a usable view, or the offending field and the reason. Each count is bounded
// before any sum is taken, so no count can overflow a check.
func (v View) check() (field, reason string) {
	if v.Full {
		return "", ""
	}
	for _, c := range []struct {
		field string
		n     int
		max   int
	}{
		{"phone_head", v.PhoneHead, maxPhoneShown}, {"phone_tail", v.PhoneTail, maxPhoneShown},
		{"id_head", v.IDHead, maxIDShown}, {"id_tail", v.IDTail, maxIDShown},
	} {
		if c.n < 0 || c.n > c.max {
			return c.field, fmt.Sprintf("%d is outside 0–%d", c.n, c.max)
		}
	}
	switch {
	case v.PhoneHead+v.PhoneTail > maxPhoneShown:
		return "phone_head", fmt.Sprintf("%d+%d digits shown leave fewer than %d of 11 hidden", v.PhoneHead, v.PhoneTail, MinPhoneHidden)
	case v.IDHead+v.IDTail > maxIDShown:
		return "id_head", fmt.Sprintf("%d+%d characters shown leave fewer than %d of 18 hidden", v.IDHead, v.IDTail, MinIDHidden)
	}
	if err := nameMasks.Check(v.Name); err != nil {
		return "name", err.Error()
	}
	if err := addressMasks.Check(v.Address); err != nil {
		return "address", err.Error()
	}
	if err := textMasks.Check(v.Text); err != nil {
		return "text", err.Error()
	}
	return "", ""
}

// ParsePolicy decodes a policy from at most [MaxPolicyBytes] of JSON through the module's strict
// loader (no unknown, duplicate or case-variant keys, no trailing data) and validates it. Every
// error wraps [ErrInvalidPolicy].
func ParsePolicy(data []byte) (Policy, error) {
	var p Policy
	return strictjson.Valid(&p, strictjson.Decode(data, &p, MaxPolicyBytes), invalidPolicy)
}

// ReadPolicy reads at most [MaxPolicyBytes] from r and parses them as [ParsePolicy] does.
func ReadPolicy(r io.Reader) (Policy, error) {
	var p Policy
	return strictjson.Valid(&p, strictjson.Read(r, &p, MaxPolicyBytes), invalidPolicy)
}

// hasView reports whether p has a usable view for a.
func (p Policy) hasView(a Audience) bool {
	for _, v := range p.Views {
		if v.Audience == a {
			_, reason := v.check()
			return audiences.Valid(a) && reason == "" && (!v.Full || a == AudienceHandler)
		}
	}
	return false
}

// View returns the view for audience a. When p has none for a, or the one it has is unusable (see
// [Policy.Validate]), it returns a view that hides everything, so that an unknown audience or an
// unvalidated policy never shows more.
func (p Policy) View(a Audience) View {
	for _, v := range p.Views {
		if v.Audience == a && audiences.Valid(a) {
			if _, reason := v.check(); reason == "" && (!v.Full || a == AudienceHandler) {
				return v
			}
			break
		}
	}
	return View{Audience: a, Name: NameHidden, Address: AddressHidden, Text: TextHidden}
}

// invalidPolicy wraps a strict loader's refusal of a policy document in [ErrInvalidPolicy] and
// [ErrMalformed].
func invalidPolicy(err error) error {
	return fmt.Errorf("%w: %w: %w", ErrInvalidPolicy, ErrMalformed, err)
}
