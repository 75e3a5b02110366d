package privacy

import (
	"encoding"
	"encoding/json"
	"reflect"
	"slices"

	"github.com/hotline12345/hotline/ticket"
)

// MaskTicket returns a copy of t as audience a may see it. For an audience that sees everything the
// copy equals t. Otherwise:
//
//   - every [ticket.Person] in it (the citizen, and the citizen of the intake in the history) has
//     its name, phone, ID number and address masked as [Policy.MaskName], [Policy.MaskPhone],
//     [Policy.MaskID] and [Policy.MaskAddress] do; an enterprise's name and credit code, public
//     registration data, are kept (but for an audience without a view);
//   - every [ticket.Place] has its address masked; its region code is kept;
//   - every other text — title, content, reasons, notes, explanations, reports, summaries, names of
//     actors and units, in the ticket and in each event of its history, and any text field the
//     ticket gains later — is masked as free text under the view's [TextMask]: scrubbed of numbers
//     as [Policy.Scrub] does and of every repetition of the citizen's recorded name, phone, ID number
//     and address below the level the view shows (the citizen of 上海市宝山区宝钢五村12号楼301室
//     finds 住宝钢五村12号楼 as 住******** in public output, as the address field shows only
//     上海市宝山区***), or *** under [TextHidden];
//   - codes are kept: the ticket number and other values that write themselves as text (times,
//     enumerations), the upstream number, matter, refusal and region codes and appeal references,
//     with only the citizen's recorded identity masked in them.
//
// An audience the policy has no view for sees nothing: every personal field and every text is ***.
// So does every audience, for the texts, when the ticket names more than eight different people:
// looking for each of them in every text is not worth a slow path that input can trigger.
//
// The copy is found by walking the ticket's fields, so a field added to [ticket.Ticket] is masked
// (a text) or copied (anything else) without a change here: masking fails closed. t itself is never
// modified, and the copy shares nothing with it that a change to one could reach through the
// other; it is for display and no longer replays.
func (p Policy) MaskTicket(t *ticket.Ticket, a Audience) *ticket.Ticket {
	if t == nil {
		return nil
	}
	v := p.View(a)
	c := *t
	w := walker{v: v, none: !p.hasView(a)}
	if !v.Full {
		var ws []who
		collectPeople(reflect.ValueOf(t).Elem(), &ws)
		if len(ws) > maxPeople {
			w.v.Text = TextHidden // too many identities to look for: show no text rather than some
		} else {
			w.id = v.identity(ws)
		}
		w.mask = true
	}
	w.walk(reflect.ValueOf(&c).Elem(), nil, "")
	return &c
}

var (
	personType  = reflect.TypeFor[ticket.Person]()
	placeType   = reflect.TypeFor[ticket.Place]()
	stringType  = reflect.TypeFor[string]()
	ticketType  = reflect.TypeFor[ticket.Ticket]()
	intakeType  = reflect.TypeFor[ticket.Intake]()
	levelType   = reflect.TypeFor[ticket.MatterLevel]()
	refusalType = reflect.TypeFor[ticket.Refusal]()
	reviewType  = reflect.TypeFor[ticket.AppealReview]()
	textType    = reflect.TypeFor[encoding.TextMarshaler]()
	jsonType    = reflect.TypeFor[json.Marshaler]()
)

// isCode reports whether the string field name of struct type owner holds a code rather than text.
func isCode(owner reflect.Type, name string) bool {
	switch owner {
	case ticketType, intakeType:
		return name == "Upstream"
	case placeType:
		return name == "RegionCode"
	case levelType, refusalType:
		return name == "Code"
	case reviewType:
		return name == "Appeal"
	}
	return false
}

// writesItself reports whether values of type t have their own text or JSON form (a ticket number,
// a time, an enumeration): such values are copied, never masked field by field.
func writesItself(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return t.Implements(textType) || p.Implements(textType) || t.Implements(jsonType) || p.Implements(jsonType)
}

// collectPeople appends the identity of every non-empty person in v.
func collectPeople(v reflect.Value, ws *[]who) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			collectPeople(v.Elem(), ws)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			collectPeople(v.Index(i), ws)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			collectPeople(it.Value(), ws)
		}
	case reflect.Struct:
		if v.Type() == personType {
			p := v.Interface().(ticket.Person)
			w := who{p.Name, p.Phone, p.IDNumber, p.Address}
			if w != (who{}) && !slices.Contains(*ws, w) && len(*ws) <= maxPeople {
				*ws = append(*ws, w)
			}
			return
		}
		info := typeInfoOf(v.Type())
		if info.writesItself {
			return
		}
		for _, f := range info.fields {
			if f.kind == reflect.Struct || f.kind == reflect.Pointer || f.kind == reflect.Slice ||
				f.kind == reflect.Array || f.kind == reflect.Map || f.kind == reflect.Interface {
				collectPeople(v.Field(f.index), ws)
			}
		}
	}
}

// walker detaches a shallow copy from the original (new pointers, slices and maps all the way
// down) and, when mask is set, masks it in place.
type walker struct {
	v    View
	id   identity
	mask bool
	none bool // the audience has no view: not even public registration data is shown
}

type typeInfo struct {
	writesItself bool
	fields       []fieldInfo // the exported fields
}

type fieldInfo struct {
	index int
	name  string
	kind  reflect.Kind
}

func newTypeInfo(t reflect.Type) *typeInfo {
	info := &typeInfo{writesItself: writesItself(t)}
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() {
			info.fields = append(info.fields, fieldInfo{i, f.Name, f.Type.Kind()})
		}
	}
	return info
}

// ticketTypes describes every struct type reachable from [ticket.Ticket]: an immutable table built
// once, so that a walk does not ask reflection for the same layout again.
var ticketTypes = func() map[reflect.Type]*typeInfo {
	m := map[reflect.Type]*typeInfo{}
	var add func(reflect.Type)
	add = func(t reflect.Type) {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			add(t.Elem())
		case reflect.Map:
			add(t.Key())
			add(t.Elem())
		case reflect.Struct:
			if m[t] != nil {
				return
			}
			m[t] = newTypeInfo(t)
			for i := range t.NumField() {
				add(t.Field(i).Type)
			}
		}
	}
	add(ticketType)
	return m
}()

// typeInfoOf returns the description of struct type t.
func typeInfoOf(t reflect.Type) *typeInfo {
	if info := ticketTypes[t]; info != nil {
		return info
	}
	return newTypeInfo(t) // a type only an interface field can hold
}

// walk detaches and masks v, which is settable; owner and name are the struct type and field v
// belongs to, if any.
func (w *walker) walk(v reflect.Value, owner reflect.Type, name string) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		n := reflect.New(v.Type().Elem())
		n.Elem().Set(v.Elem())
		w.walk(n.Elem(), owner, name)
		v.Set(n)
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		n := reflect.New(v.Elem().Type()).Elem()
		n.Set(v.Elem())
		w.walk(n, owner, name)
		v.Set(n)
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(n, v)
		for i := range n.Len() {
			w.walk(n.Index(i), owner, name)
		}
		v.Set(n)
	case reflect.Array:
		for i := range v.Len() {
			w.walk(v.Index(i), owner, name)
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		n := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			k := reflect.New(v.Type().Key()).Elem()
			k.Set(it.Key())
			w.walk(k, owner, name)
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(it.Value())
			w.walk(e, owner, name)
			n.SetMapIndex(k, e)
		}
		v.Set(n)
	case reflect.Struct:
		t := v.Type()
		if w.mask && t == personType {
			p := v.Addr().Interface().(*ticket.Person)
			p.Name, p.Phone = w.v.maskName(p.Name), w.v.maskPhone(p.Phone)
			p.IDNumber, p.Address = w.v.maskID(p.IDNumber), w.v.maskAddress(p.Address)
			p.Enterprise, p.CreditCode = w.code(p.Enterprise), w.code(p.CreditCode)
			if w.none {
				p.Enterprise, p.CreditCode = hide(p.Enterprise), hide(p.CreditCode)
			}
		} else if w.mask && t == placeType {
			p := v.Addr().Interface().(*ticket.Place)
			p.Address, p.RegionCode = w.v.maskAddress(p.Address), w.code(p.RegionCode)
		}
		info := typeInfoOf(t)
		masked := w.mask && (t == personType || t == placeType || info.writesItself)
		for _, f := range info.fields {
			if masked && f.kind == reflect.String {
				continue
			}
			w.walk(v.Field(f.index), t, f.name)
		}
	case reflect.String:
		if w.mask && v.Type() == stringType && v.CanSet() {
			if isCode(owner, name) {
				v.SetString(w.code(v.String()))
			} else {
				v.SetString(w.v.text(v.String(), &w.id))
			}
		}
	}
}

func hide(s string) string {
	if s == "" {
		return ""
	}
	return "***"
}

// code masks only the citizen's recorded identity in a code.
func (w *walker) code(s string) string {
	if s == "" || w.v.Full {
		return s
	}
	if len(s) > MaxTextBytes {
		return "***"
	}
	marks := w.id.marks(s)
	if marks == nil {
		return s
	}
	var b []byte
	last := 0
	for i, r := range s {
		if marks.has(i) {
			b = append(b, s[last:i]...)
			b = append(b, '*')
			last = i + len(string(r))
		}
	}
	return string(append(b, s[last:]...))
}
