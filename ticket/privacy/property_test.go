package privacy

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hotline12345/hotline/ticket"
	"github.com/stretchr/testify/require"
)

// A random citizen: a mobile number, an ID number (17 digits and a check character, valid or not:
// the scanner does not need the check to hide it) and an address below street level.
type citizen struct {
	name, phone, id string
	street, below   string // the address is 上海市宝山区 + street + below
}

var (
	surnames = []string{"张", "王", "李", "赵", "欧阳", "司马", "陈"}
	given    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞")
	filler   = []rune("工地夜间施工噪声扰民请尽快处理谢谢我反映情况希望部门回复的了在有这个问题已经多次来电")
	places   = []rune("宝钢春华秋实锦绣花苑景园新村")
	streets  = []string{"友谊路街道", "吴淞街道", "淞南镇", "", "牡丹江路"}
	punct    = []string{"，", "。", "：", "、", "！", " ", "（", "）"}
)

func randCitizen(r *rand.Rand) citizen {
	var c citizen
	c.name = surnames[r.IntN(len(surnames))]
	for range 1 + r.IntN(2) {
		c.name += string(given[r.IntN(len(given))])
	}
	c.phone = fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.IntN(1e9))
	c.id = fmt.Sprintf("%06d%08d%03d", 110000+r.IntN(540000), 19000101+r.IntN(1000000), r.IntN(1000))
	c.id += string("0123456789X"[r.IntN(11)])
	c.street = streets[r.IntN(len(streets))]
	var b strings.Builder
	for range 2 + r.IntN(3) {
		b.WriteRune(places[r.IntN(len(places))])
	}
	b.WriteString([]string{"村", "小区", "苑"}[r.IntN(3)])
	fmt.Fprintf(&b, "%d号楼%d室", 1+r.IntN(99), 101+r.IntN(2000))
	c.below = b.String()
	return c
}

func (c citizen) address() string { return "上海市宝山区" + c.street + c.below }

// writeNumber writes digits in random scripts, split into random groups joined by random
// separators (at most three visible characters, so that the scanner alone must find the number when
// long is false; with long set, runs of any length, which only the recorded identity finds).
func writeNumber(r *rand.Rand, digits string, long bool) string {
	names := make([]string, 0, len(scripts))
	for n := range scripts {
		names = append(names, n)
	}
	slices.Sort(names)
	script := scripts[names[r.IntN(len(names))]]
	mixed := r.IntN(4) == 0
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && r.IntN(4) == 0 {
			sep := separators[r.IntN(len(separators))]
			if long {
				sep = strings.Repeat(sep, 1+r.IntN(6))
			}
			b.WriteString(sep)
		}
		if mixed {
			script = scripts[names[r.IntN(len(names))]]
		}
		if c == 'X' {
			b.WriteString([]string{"X", "x", "Ｘ", "ｘ"}[r.IntN(4)])
			continue
		}
		b.WriteRune(script(int(c - '0')))
	}
	return b.String()
}

func randFiller(r *rand.Rand) string {
	var b strings.Builder
	for range r.IntN(12) {
		b.WriteRune(filler[r.IntN(len(filler))])
	}
	b.WriteString(punct[r.IntN(len(punct))])
	return b.String()
}

// randText embeds the citizen's phone, ID number, name and address (or parts of it) in random text.
func randText(r *rand.Rand, c citizen, long bool) string {
	var b strings.Builder
	for range 1 + r.IntN(4) {
		b.WriteString(randFiller(r))
		switch r.IntN(5) {
		case 0:
			b.WriteString(writeNumber(r, c.phone, long))
		case 1:
			b.WriteString(writeNumber(r, c.id, long))
		case 2:
			b.WriteString(c.name)
		case 3:
			b.WriteString(c.below)
		case 4:
			b.WriteString(c.street + c.below)
		}
		b.WriteString(punct[r.IntN(len(punct))])
	}
	return b.String()
}

// leaked returns what of c shows in out: the full digit run of the phone or ID number (all numerals
// of out folded and joined, so neither script nor separators hide it), the full name, or any four
// consecutive characters of the address below street level.
func leaked(c citizen, out string) string {
	digits := foldDigits(out)
	if strings.Contains(digits, c.phone) {
		return "phone"
	}
	if strings.Contains(digits, c.id[:17]) {
		return "ID number"
	}
	// Letters and digits are compared across separators, but not across the *s of a mask.
	for _, part := range strings.Split(out, "*") {
		keys := string(keysOf(part))
		if strings.Contains(keys, string(keysOf(c.name))) {
			return "name"
		}
		below := keysOf(c.below)
		for i := 0; i+4 <= len(below); i++ {
			if strings.Contains(keys, string(below[i:i+4])) {
				return "address " + string(below[i:i+4])
			}
		}
	}
	return ""
}

// Issue 9; 000 第十条, 004 第十六条: for random identities in random text with random separators and
// digit scripts, no public or unknown-audience output of Mask or MaskTicket contains the citizen's
// full phone or ID number, full name, or address below street level; Scrub, which knows no
// identity, never shows a full phone or ID number written with short separator runs.
func TestPropertyNoIdentityLeaks(t *testing.T) {
	p := Shanghai()
	r := rand.New(rand.NewPCG(9, 10))
	for i := range 1500 {
		c := randCitizen(r)
		long := r.IntN(3) == 0
		text := randText(r, c, long)
		for _, a := range []Audience{AudiencePublic, "press", "", AudienceStaff} {
			m := p.Mask(Personal{Name: c.name, Phone: c.phone, IDNumber: c.id, Address: c.address(), Text: text}, a)
			for _, out := range []string{m.Name, m.Phone, m.IDNumber, m.Address, m.Text} {
				if what := leaked(c, out); what != "" && (a != AudienceStaff || !strings.HasPrefix(what, "address")) {
					t.Fatalf("#%d %s: Mask shows the %s: %q → %q", i, a, what, text, out)
				}
			}
			if !long {
				out := p.Scrub(text, a)
				if what := leaked(c, out); what == "phone" || what == "ID number" {
					t.Fatalf("#%d %s: Scrub shows the %s: %q → %q", i, a, what, text, out)
				}
			}
			if a == AudienceStaff {
				continue // staff see the street; the address check is for public output
			}
			tk := &ticket.Ticket{Title: randText(r, c, long), Content: text,
				Citizen: ticket.Person{Name: c.name, Phone: c.phone, IDNumber: c.id, Address: c.address()},
				Reply:   &ticket.Reply{Report: randText(r, c, long)},
				History: []ticket.Event{{Seq: 1, Reason: randText(r, c, long), Notes: []string{randText(r, c, long)}}}}
			for _, s := range allStrings(reflect.ValueOf(p.MaskTicket(tk, a))) {
				if what := leaked(c, s); what != "" {
					t.Fatalf("#%d %s: MaskTicket shows the %s: %q", i, a, what, s)
				}
			}
		}
	}
}

// allStrings returns every string reachable from v.
func allStrings(v reflect.Value) []string {
	var out []string
	var walk func(reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.String:
			out = append(out, v.String())
		}
	}
	walk(v)
	return out
}

// The generator does produce what the property is about: without masking, the text leaks.
func TestPropertyGeneratorLeaks(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 0
	for range 200 {
		c := randCitizen(r)
		if leaked(c, randText(r, c, false)) != "" {
			n++
		}
	}
	require.Greater(t, n, 150)
}
