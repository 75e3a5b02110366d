package privacy

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hotline12345/hotline/ticket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const citizenID = "310113199003071235"

// sampleTicket is a ticket with the citizen's identity repeated in every kind of text it holds.
func sampleTicket() *ticket.Ticket {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	who := ticket.Person{Name: "张三", Phone: "13812345678", IDNumber: citizenID,
		Address: "上海市宝山区友谊路街道宝钢五村12号楼301室"}
	in := ticket.Intake{Title: "宝钢五村12号楼旁工地夜间施工", Upstream: "GB2026112300012345",
		Content: "我叫张三，住宝钢五村12号楼301室，电话138.1234.5678，身份证" + citizenID + "，工地22:00-06:00施工。",
		Citizen: who, Place: ticket.Place{RegionCode: "310113103001", Address: "上海市宝山区友谊路街道友谊路123弄"},
		Matter: ticket.Matter{Levels: []ticket.MatterLevel{{Code: "0301", Label: "施工噪声"}}}}
	return &ticket.Ticket{
		Upstream: in.Upstream, Title: in.Title, Content: in.Content, Citizen: who, Place: in.Place, Matter: in.Matter,
		Channel: ticket.ChannelPhone, Received: at, ReceivedBy: "话务员07",
		Assignment: ticket.Assignment{Lead: "居委会A", CoHandling: []string{"城管中队"}, Returned: []string{"房办"}},
		Refusal:    &ticket.Refusal{Code: "x", Explanation: "张三要求保密，电话13812345678"},
		Extension:  &ticket.Extension{Explanation: "需与宝钢五村12号楼业主协调", WrittenReport: "已联系138 1234 5678"},
		Reply:      &ticket.Reply{Report: "已电话联系13812345678，施工单位夜间停工。", Summary: "张三表示满意"},
		History: []ticket.Event{
			{Seq: 1, At: at, Actor: "话务员07", Action: ticket.ActionAccept, Reason: "来电人张三", Payload: ticket.Payload{Intake: &in},
				Notes: []string{"reply due 2026-12-07", "回电13812345678"}},
			{Seq: 2, At: at, Actor: "13812345678", Reason: "本人来电补充：住12号楼301室", Payload: ticket.Payload{
				Return:       &ticket.Return{SuggestedUnit: "u", Basis: "张三的诉求"},
				AppealReview: &ticket.AppealReview{Appeal: "appeal-2026-0000012345", Review: "张三诉求属实"},
			}},
		},
	}
}

// 000 第十条, 002 第十一条, 004 第十六条: a ticket shown to anyone but its handlers carries no phone or
// ID number, no full name and no address below the level shown anywhere, its history included; the
// handler's copy equals the ticket; the original is never changed.
func TestMaskTicket(t *testing.T) {
	tk := sampleTicket()
	before, err := json.Marshal(tk)
	require.NoError(t, err)
	p := Shanghai()
	for _, a := range []Audience{AudienceStaff, AudiencePublic, "press", ""} {
		masked := p.MaskTicket(tk, a)
		out, err := json.Marshal(masked)
		require.NoError(t, err, "%s: the masked copy still encodes", a)
		s := string(out)
		for _, secret := range []string{"13812345678", "138.1234", "138 1234", citizenID[6:14], "张三", "宝钢五村", "12号楼", "301室"} {
			assert.NotContains(t, s, secret, "%s sees %s", a, secret)
		}
		assert.Len(t, masked.History, len(tk.History))
		assert.Equal(t, tk.Number, masked.Number)
		assert.Equal(t, tk.Received, masked.Received)
		assert.Equal(t, "310113103001", masked.Place.RegionCode, "codes are kept")
		assert.Equal(t, "0301", masked.Matter.Levels[0].Code)
		assert.Equal(t, "GB2026112300012345", masked.Upstream)
		assert.Equal(t, "GB2026112300012345", masked.History[0].Payload.Intake.Upstream)
		assert.Equal(t, "appeal-2026-0000012345", masked.History[1].Payload.AppealReview.Appeal)
	}
	staff := p.MaskTicket(tk, AudienceStaff)
	assert.Equal(t, "张*", staff.Citizen.Name)
	assert.Equal(t, "138****5678", staff.Citizen.Phone)
	assert.Equal(t, citizenID[:6]+"********"+citizenID[14:], staff.Citizen.IDNumber)
	assert.Equal(t, "上海市宝山区友谊路街道***", staff.Citizen.Address)
	assert.Equal(t, "上海市宝山区友谊路街道***", staff.Place.Address)
	assert.Equal(t, "张*", staff.History[0].Payload.Intake.Citizen.Name)
	assert.Equal(t, "已电话联系138****5678，施工单位夜间停工。", staff.Reply.Report)
	assert.Equal(t, "我叫张*，住************，电话138.****.5678，身份证310113********1235，工地22:00-06:00施工。", staff.Content)
	assert.Equal(t, "********旁工地夜间施工", staff.Title)
	assert.Equal(t, []string{"reply due 2026-12-07", "回电138****5678"}, staff.History[0].Notes)
	assert.Equal(t, "138****5678", staff.History[1].Actor)
	assert.Equal(t, "本人来电补充：住********", staff.History[1].Reason)

	public := p.MaskTicket(tk, AudiencePublic)
	assert.Equal(t, "上海市宝山区***", public.Citizen.Address)
	assert.Equal(t, "上海市宝山区***", public.Place.Address)

	none := p.MaskTicket(tk, "press")
	assert.Equal(t, "***", none.Content, "an audience without a view sees nothing")
	assert.Equal(t, "***", none.History[0].Payload.Intake.Content)
	assert.Equal(t, "***", none.Citizen.Name)
	assert.Equal(t, "***", none.Citizen.Address)
	assert.Equal(t, ticket.ChannelPhone, none.Channel)
	ent := sampleTicket()
	ent.Citizen.Enterprise, ent.Citizen.CreditCode = "上海某某建设有限公司", "91350100M000100Y43"
	assert.Equal(t, "***", p.MaskTicket(ent, "press").Citizen.Enterprise)
	assert.Equal(t, "***", p.MaskTicket(ent, "press").Citizen.CreditCode)
	assert.Equal(t, "上海某某建设有限公司", p.MaskTicket(ent, AudiencePublic).Citizen.Enterprise, "public registration data")
	assert.Equal(t, "91350100M000100Y43", p.MaskTicket(ent, AudiencePublic).Citizen.CreditCode)

	handler := p.MaskTicket(tk, AudienceHandler)
	assert.Equal(t, tk, handler, "the handler sees everything")
	assert.NotSame(t, tk, handler)

	// Nothing reachable from a copy is shared with the original.
	for _, c := range []*ticket.Ticket{handler, staff, none} {
		scribble(reflect.ValueOf(c).Elem())
	}
	after, err := json.Marshal(tk)
	require.NoError(t, err)
	assert.JSONEq(t, string(before), string(after), "masking never changes the ticket")
	assert.Nil(t, p.MaskTicket(nil, AudienceStaff))
}

// issue 9: the citizen's own street address repeated in the title and content was shown in public
// output while the address field was cut to 上海市宝山区***.
func TestMaskTicketOwnAddress(t *testing.T) {
	tk := &ticket.Ticket{Title: "宝钢五村12号楼301室漏水", Content: "地址：宝钢五村 12号楼 301室。",
		Citizen: ticket.Person{Address: "上海市宝山区宝钢五村12号楼301室"}}
	m := Shanghai().MaskTicket(tk, AudiencePublic)
	assert.Equal(t, "上海市宝山区***", m.Citizen.Address)
	assert.Equal(t, "************漏水", m.Title)
	assert.Equal(t, "地址：**** **** ****。", m.Content)
}

// scribble overwrites every string and number reachable from v, following pointers, slices and maps.
func scribble(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			scribble(v.Elem())
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			scribble(v.Index(i))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				scribble(v.Field(i))
			}
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString("changed")
		}
	case reflect.Int, reflect.Int64:
		if v.CanSet() {
			v.SetInt(-7)
		}
	}
}

// MaskTicket detaches its copy by walking exported fields; that is complete only while no
// unexported field of the ticket's types holds a reference (time.Time's *Location is immutable).
func TestTicketTypesHaveNoHiddenReferences(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var check func(reflect.Type, string)
	check = func(ty reflect.Type, path string) {
		if seen[ty] {
			return
		}
		seen[ty] = true
		switch ty.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			check(ty.Elem(), path+"[]")
		case reflect.Map:
			check(ty.Key(), path+"{key}")
			check(ty.Elem(), path+"{}")
		case reflect.Chan, reflect.Func, reflect.UnsafePointer:
			t.Errorf("%s: %s cannot be copied", path, ty)
		case reflect.Struct:
			if ty == reflect.TypeFor[time.Time]() {
				return
			}
			for i := range ty.NumField() {
				f := ty.Field(i)
				if !f.IsExported() {
					switch f.Type.Kind() {
					case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface, reflect.Chan, reflect.Func:
						t.Errorf("%s.%s: unexported reference %s would be shared", path, f.Name, f.Type)
					}
					continue
				}
				check(f.Type, path+"."+f.Name)
			}
		}
	}
	check(reflect.TypeFor[ticket.Ticket](), "Ticket")
}

// The code fields MaskTicket keeps must exist, or a rename would silently mask codes (which fails
// closed, but unreadably).
func TestCodeFieldsExist(t *testing.T) {
	for owner, names := range map[reflect.Type][]string{ticketType: {"Upstream"}, intakeType: {"Upstream"}, placeType: {"RegionCode", "Address"},
		levelType: {"Code"}, refusalType: {"Code"}, reviewType: {"Appeal"}, personType: {"Name", "Phone", "IDNumber", "Address", "Enterprise", "CreditCode"}} {
		for _, n := range names {
			f, ok := owner.FieldByName(n)
			if assert.True(t, ok, "%s.%s", owner, n) {
				assert.Equal(t, reflect.String, f.Type.Kind(), "%s.%s", owner, n)
			}
		}
	}
	assert.True(t, strings.HasPrefix(personType.PkgPath(), "github.com/hotline12345/hotline/ticket"))
}

// Matching recorded identities stays linear in the text whatever the recorded values (issue 9:
// no quadratic path on input): the patterns and 4-grams are bounded, and a ticket naming more
// than maxPeople people shows no text.
func TestIdentityBounds(t *testing.T) {
	huge := strings.Repeat("1", 100000)
	id := Shanghai().View(AudiencePublic).identity([]who{{name: strings.Repeat("张", 1000), phone: huge, id: huge,
		address: "上海市宝山区" + strings.Repeat("宝钢五村12号楼", 10000)}})
	for _, p := range id.patterns {
		assert.LessOrEqual(t, len(p.keys), maxIDRunes)
	}
	assert.LessOrEqual(t, len(id.grams), maxAddressRunes)

	tk := &ticket.Ticket{Content: "张三来电", Citizen: ticket.Person{Name: "张三"}}
	for i := range maxPeople + 1 {
		in := &ticket.Intake{Citizen: ticket.Person{Name: fmt.Sprintf("李%d", i)}}
		tk.History = append(tk.History, ticket.Event{Payload: ticket.Payload{Intake: in}})
	}
	m := Shanghai().MaskTicket(tk, AudienceStaff)
	assert.Equal(t, "***", m.Content)
	assert.Equal(t, "张*", m.Citizen.Name)
	tk.History = tk.History[:2]
	assert.Equal(t, "张*来电", Shanghai().MaskTicket(tk, AudienceStaff).Content)
}
