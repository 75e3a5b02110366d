package screen

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/ticket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func hebi(t testing.TB) *Screener {
	t.Helper()
	s, err := New(Hebi())
	require.NoError(t, err)
	return s
}

func shanghai(t testing.TB) *Screener {
	t.Helper()
	s, err := New(Shanghai())
	require.NoError(t, err)
	return s
}

// must returns r, panicking on err: the test's screeners are built by New.
func must(r Result, err error) Result {
	if err != nil {
		panic(err)
	}
	return r
}

func codes(rs []Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Code
	}
	return out
}

// okItem is a complaint that passes every test of the presets.
func okItem() Input {
	return Input{
		Channel: ticket.ChannelPhone, Kind: ticket.KindComplaint,
		Text: "我家楼下的路灯已经坏了两个星期，晚上出行很不方便，希望有关部门尽快修复。",
		Name: "张三", Contact: "13812345678", Place: "上海市宝山区友谊路街道", RegionCode: "310113", Matter: "city.lighting",
	}
}

func TestScreenPresetsValidate(t *testing.T) {
	require.Len(t, Presets(), 2)
	for _, p := range Presets() {
		require.NoError(t, p.Validate(), p.Name)
		got, err := Preset(p.Name)
		require.NoError(t, err)
		assert.Equal(t, p, got)
	}
	_, err := Preset("atlantis")
	assert.ErrorIs(t, err, ErrUnknownPreset)
}

// 002 §5: the content filter's categories, each refused with its stable reason code, the message
// the citizen is told and, for matters outside government service, where to go instead.
func TestScreenRefusalCategories(t *testing.T) {
	s := hebi(t)
	tests := []struct {
		name     string // cites the article
		text     string
		code     string
		redirect string
	}{
		{"002 §5 (一) national security", "有人在网上号召颠覆国家政权", "security.state", ""},
		{"002 §5 (一) ethnic unity", "他们煽动民族仇恨，请处理", "security.ethnic", ""},
		{"002 §5 (一) illegal assembly", "明天组织非法集会要求补偿", "security.assembly", ""},
		{"002 §5 (一) public order", "我要冲击政府机关讨说法", "security.order", ""},
		{"002 §5 (一) superstition", "社区里有人跳大神骗钱，请查处", "security.superstition", ""},
		{"002 §5 (二) insult", "你们这些狗官，赶紧给我处理", "insult", ""},
		{"002 §5 (三) petition → 信访部门", "我的信访事项一直没有结果，要求答复", "out_of_scope.petition", "信访部门（信访办）"},
		{"002 §5 (三) discipline → 纪委监委 (002 §6 (二) 1 (3))", "举报某科长收受红包，要求查处", "out_of_scope.discipline", "纪委监委（市纪委监察委信访室）"},
		{"002 §5 (三) administrative reconsideration → 复议机关", "我对处罚决定不服，要提出复议申请", "out_of_scope.reconsideration", "行政复议机关"},
		{"002 §5 (三) litigation → 司法途径", "法院判决已经生效，要求政府帮我执行", "out_of_scope.litigation", "人民法院、人民检察院等司法机关"},
		{"002 §5 (四) other illegal content", "长期代开发票，请联系", "illegal", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := okItem()
			in.Text = tt.text
			r := must(s.Screen(in))
			assert.Equal(t, Refuse, r.Outcome)
			require.NotEmpty(t, r.Reasons)
			assert.Equal(t, tt.code, r.Reasons[0].Code)
			assert.Equal(t, tt.redirect, r.Reasons[0].Redirect)
			assert.NotEmpty(t, r.Reasons[0].Hits, "the matched words are reported")
			assert.True(t, strings.HasPrefix(r.Reasons[0].Source, "002 §5"), r.Reasons[0].Source)
			assert.Equal(t, r.Reasons[0].Message, r.Message)
			assert.Contains(t, r.Explanation, tt.code)
			if tt.redirect != "" {
				assert.Contains(t, r.Message, strings.Split(tt.redirect, "（")[0], "the message says where to go instead")
			}
		})
	}
}

// 002 §5 (二): 缺乏具体内容、诉求不明、无理纠缠、重复投诉.
func TestScreenContentRules(t *testing.T) {
	s := hebi(t)
	t.Run("no concrete content", func(t *testing.T) {
		in := okItem()
		in.Text = "喂，你好！"
		r := must(s.Screen(in))
		assert.Equal(t, Refuse, r.Outcome)
		assert.Equal(t, []string{"no_content"}, codes(r.Reasons))
		assert.Contains(t, r.Reasons[0].Why, "fewer than 5")
	})
	t.Run("unclear demand is only flagged", func(t *testing.T) {
		in := okItem()
		in.Text = "今天天气晴朗，小区门口的树长得很高。"
		r := must(s.Screen(in))
		assert.Equal(t, Accept, r.Outcome)
		assert.Equal(t, []string{"unclear"}, codes(r.Flags))
		assert.Contains(t, r.Flags[0].Why, "demand words")
	})
	t.Run("harassment by repeated contacts", func(t *testing.T) {
		in := okItem()
		in.RecentContacts = 10
		r := must(s.Screen(in))
		assert.Equal(t, Refuse, r.Outcome)
		assert.Equal(t, []string{"harassment"}, codes(r.Reasons))
		in.RecentContacts = 9
		assert.Equal(t, Accept, must(s.Screen(in)).Outcome)
	})
	t.Run("repeat of an answered ticket", func(t *testing.T) {
		in := okItem()
		in.RepeatOf, in.Answered = "T-1", true
		r := must(s.Screen(in))
		assert.Equal(t, Refuse, r.Outcome)
		assert.Equal(t, []string{"repeat_answered"}, codes(r.Reasons))
		assert.Contains(t, r.Reasons[0].Why, "T-1")
		in.Answered = false
		assert.Equal(t, Accept, must(s.Screen(in)).Outcome, "a repeat not yet answered is linked, not refused")
	})
}

// Screening normalises text before matching: width, spaces, punctuation, zero-width characters and
// traditional characters do not hide a word; the hit points at the original text.
func TestScreenNormalisedMatching(t *testing.T) {
	s := hebi(t)
	for _, text := range []string{
		"有人要 顛覆 國家 政權！",
		"有人要颠\u200b覆，国家政权",
		"有人要颠覆国家政权",
	} {
		in := okItem()
		in.Text = text
		r := must(s.Screen(in))
		require.Equal(t, Refuse, r.Outcome, text)
		h := r.Reasons[0].Hits[0]
		assert.Equal(t, "颠覆国家政权", h.Word)
		assert.Equal(t, 1, h.Count)
		assert.Equal(t, "颠覆国家政权", Normalize(text[h.Start:h.End]), "the hit spans the original text")
	}
}

func TestScreenHitCounts(t *testing.T) {
	s := hebi(t)
	in := okItem()
	in.Text = "混蛋！混蛋！王八蛋，要求处理"
	r := must(s.Screen(in))
	require.Equal(t, Refuse, r.Outcome)
	assert.Equal(t, []Hit{{Word: "混蛋", Count: 2, Start: 0, End: 6}, {Word: "王八蛋", Count: 1, Start: 18, End: 27}}, r.Reasons[0].Hits)
}

// 000 §4 (一): missing elements, archive as general suggestion, return upstream.
func TestScreenOutcomes(t *testing.T) {
	tests := []struct {
		name    string
		hebi    bool
		mutate  func(*Input)
		outcome Outcome
		reasons []string
		missing []Element
	}{
		{"accept", true, func(*Input) {}, Accept, nil, nil},
		{"002 §5: missing contact is its own outcome", true, func(in *Input) { in.Contact = " " },
			MissingElements, []string{ReasonMissingElements}, []Element{ElementContact}},
		{"002 §5: empty text is missing content, not no_content", true, func(in *Input) { in.Text = "，。" },
			MissingElements, []string{ReasonMissingElements}, []Element{ElementContent}},
		{"002 §5: refusal outranks missing elements", true, func(in *Input) { in.Contact = ""; in.Text = "混蛋，处理一下路灯" },
			Refuse, []string{"insult", ReasonMissingElements}, []Element{ElementContact}},
		{"000 §4 (一): 国办 item missing place → return upstream", false, func(in *Input) { in.Channel = ticket.ChannelStateCouncil; in.Place = "" },
			ReturnUpstream, []string{ReasonMissingElements}, []Element{ElementPlace}},
		{"000 §4 (一): 国办 item outside Shanghai → return upstream", false, func(in *Input) { in.Channel = ticket.ChannelGovWebsite; in.RegionCode = "110105" },
			ReturnUpstream, []string{ReasonOutsideRemit}, nil},
		{"000 §4 (一): 国办 item marked outside remit by routing", false, func(in *Input) { in.Channel = ticket.ChannelStateCouncil; in.OutsideRemit = true },
			ReturnUpstream, []string{ReasonOutsideRemit}, nil},
		{"000 §4 (一): 国办 item in remit → accept", false, func(in *Input) { in.Channel = ticket.ChannelStateCouncil },
			Accept, nil, nil},
		{"000 §4 (一): city item missing contact → archive", false, func(in *Input) { in.Channel = ticket.ChannelSuishenban; in.Contact = "" },
			Archive, []string{ReasonMissingElements}, []Element{ElementContact}},
		{"000 §4 (一): city item with no content → archive", false, func(in *Input) { in.Channel = ticket.ChannelOneNetPortal; in.Text = "测试" },
			Archive, []string{"no_content"}, nil},
		{"000 §4 (一): city item outside remit → archive", false, func(in *Input) { in.RegionCode = "410602" },
			Archive, []string{ReasonOutsideRemit}, nil},
		{"000 §4 (一) with 002 §5: an insult is still refused", false, func(in *Input) { in.Contact = ""; in.Text = "狗官，路灯坏了要求修" },
			Refuse, []string{"insult", ReasonMissingElements}, []Element{ElementContact}},
		{"000 §4 (一): bad review needs the unit", false, func(in *Input) { in.Channel = ticket.ChannelBadReview },
			MissingElements, []string{ReasonMissingElements}, []Element{ElementUnit}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := shanghai(t)
			if tt.hebi {
				s = hebi(t)
			}
			in := okItem()
			tt.mutate(&in)
			r := must(s.Screen(in))
			assert.Equal(t, tt.outcome, r.Outcome, r.Explanation)
			if tt.reasons == nil {
				assert.Empty(t, r.Reasons)
			} else {
				assert.Equal(t, tt.reasons, codes(r.Reasons))
			}
			assert.Equal(t, tt.missing, r.Missing)
			assert.NotEmpty(t, r.Rule)
			assert.NotEmpty(t, r.Source)
			assert.NotEmpty(t, r.Explanation)
			if tt.outcome != Accept {
				assert.NotEmpty(t, r.Message)
			}
		})
	}
}

func TestScreenMissingMessageNamesElements(t *testing.T) {
	in := okItem()
	in.Contact, in.Text = "", ""
	r := must(hebi(t).Screen(in))
	require.Equal(t, MissingElements, r.Outcome)
	assert.Equal(t, []Element{ElementContent, ElementContact}, r.Missing)
	assert.Equal(t, "您反映的事项要素不全，请补充以下信息：诉求内容、诉求人联系方式", r.Message)
}

// 003 四 (四) 5: a refusal is answered within 3 working days; 000 §4 (一): a return upstream within 5.
func TestScreenResultDue(t *testing.T) {
	cal := deadline.China()
	received := time.Date(2026, 3, 2, 10, 0, 0, 0, deadline.Location()) // a Monday
	in := okItem()
	in.Text = "混蛋，快处理"
	refused := must(hebi(t).Screen(in))
	require.Equal(t, Refuse, refused.Outcome)
	d, err := refused.Due(cal, deadline.CouldNotGetItDone(), received)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 3, 5, 0, 0, 0, 0, deadline.Location()), d.LastDay)

	in = okItem()
	in.Channel, in.RegionCode = ticket.ChannelStateCouncil, "110105"
	returned := must(shanghai(t).Screen(in))
	require.Equal(t, ReturnUpstream, returned.Outcome)
	d, err = returned.Due(cal, deadline.StateCouncilForwarded(), received)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 3, 9, 0, 0, 0, 0, deadline.Location()), d.LastDay)

	_, err = returned.Due(cal, deadline.CouldNotGetItDone(), received)
	assert.ErrorIs(t, err, deadline.ErrNoLimit)
	_, err = must(hebi(t).Screen(okItem())).Due(cal, deadline.CouldNotGetItDone(), received)
	assert.ErrorIs(t, err, ErrNoDeadline)
}

func TestScreenEnums(t *testing.T) {
	assert.Equal(t, []Outcome{Accept, Refuse, MissingElements, Archive, ReturnUpstream}, Outcomes())
	for _, o := range Outcomes() {
		require.True(t, o.Valid())
		assert.NotEmpty(t, o.Label())
		data, err := json.Marshal(o)
		require.NoError(t, err)
		var back Outcome
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Equal(t, o, back)
		require.NoError(t, back.UnmarshalText([]byte(o.Label())))
		assert.Equal(t, o, back)
	}
	assert.Equal(t, "退回国办", ReturnUpstream.Label())
	assert.Equal(t, "未设置", Outcome("").Label())
	assert.Equal(t, "未知(maybe)", Outcome("maybe").Label())
	assert.False(t, Outcome("").Valid())
	var o Outcome
	err := o.UnmarshalText([]byte("maybe"))
	assert.ErrorIs(t, err, ErrInvalidEnum)
	var ee *EnumError
	assert.ErrorAs(t, err, &ee)

	for _, e := range Elements() {
		got, err := ParseElement(e.Label())
		require.NoError(t, err)
		assert.Equal(t, e, got)
	}
	for _, a := range Actions() {
		got, err := ParseAction(string(a))
		require.NoError(t, err)
		assert.Equal(t, a, got)
	}
	_, err = ParseAction("warn")
	assert.ErrorIs(t, err, ErrInvalidEnum)
}

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Policy)
		field  string
	}{
		{"no name", func(p *Policy) { p.Name = " " }, "name"},
		{"no version", func(p *Policy) { p.Version = "" }, "version"},
		{"no missing message", func(p *Policy) { p.MissingMessage = "" }, "missing_message"},
		{"no remit message", func(p *Policy) { p.OutsideRemitMessage = "" }, "outside_remit_message"},
		{"bad code", func(p *Policy) { p.Categories[0].Code = "Security" }, "categories[0].code"},
		{"bad sub", func(p *Policy) { p.Categories[0].Sub = "a b" }, "categories[0].sub"},
		{"reserved code", func(p *Policy) { p.Categories[0].Code = ReasonMissingElements; p.Categories[0].Sub = "" }, "categories[0].code"},
		{"no label", func(p *Policy) { p.Categories[1].Label = "" }, "categories[1].label"},
		{"no message", func(p *Policy) { p.Categories[1].Message = "" }, "categories[1].message"},
		{"no source", func(p *Policy) { p.Categories[1].Source = "" }, "categories[1].source"},
		{"bad action", func(p *Policy) { p.Categories[1].Action = "warn" }, "categories[1].action"},
		{"out of scope without redirect", func(p *Policy) { p.Categories[10].Redirect = "" }, "categories[10].redirect"},
		{"negative min runes", func(p *Policy) { p.Categories[5].MinRunes = -1 }, "categories[5].min_runes"},
		{"negative max contacts", func(p *Policy) { p.Categories[7].MaxContacts = -1 }, "categories[7].max_contacts"},
		{"no test", func(p *Policy) { p.Categories[0].Words = nil }, "categories[0]"},
		{"duplicate code", func(p *Policy) { p.Categories[1].Sub = "state" }, "categories[1].code"},
		{"word empty once normalised", func(p *Policy) { p.Categories[0].Words = []string{"，。"} }, "categories[0].words[0]"},
		{"demand word empty", func(p *Policy) { p.Categories[6].RequireAny = []string{" "} }, "categories[6].require_any[0]"},
		{"no rules", func(p *Policy) { p.Rules = nil }, "rules"},
		{"rule without name", func(p *Policy) { p.Rules[0].Name = "" }, "rules[0].name"},
		{"duplicate rule", func(p *Policy) { p.Rules[1].Name = p.Rules[0].Name }, "rules[1].name"},
		{"bad channel", func(p *Policy) { p.Rules[0].Channels = []ticket.Channel{*new(ticket.Channel)} }, "rules[0].channels[0]"},
		{"bad kind", func(p *Policy) { p.Rules[0].Kinds = []ticket.Kind{*new(ticket.Kind)} }, "rules[0].kinds[0]"},
		{"bad element", func(p *Policy) { p.Rules[0].Required = []Element{"email"} }, "rules[0].required[0]"},
		{"unknown archive code", func(p *Policy) { p.Rules[2].Archive = []string{"nonsense"} }, "rules[2].archive[0]"},
		{"no catch-all rule", func(p *Policy) { p.Rules[2].Kinds = []ticket.Kind{ticket.KindComplaint} }, "rules[2]"},
		{"bad remit", func(p *Policy) { p.Remit = []string{"3a"} }, "remit[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Shanghai()
			tt.mutate(&p)
			err := p.Validate()
			require.ErrorIs(t, err, ErrInvalidPolicy)
			var pe *PolicyError
			require.True(t, errors.As(err, &pe))
			assert.Equal(t, tt.field, pe.Field, err.Error())
			_, err = New(p)
			assert.ErrorIs(t, err, ErrInvalidPolicy)
		})
	}
}

func TestParsePolicyRoundTrip(t *testing.T) {
	for _, p := range []Policy{Hebi(), Shanghai()} {
		data, err := json.Marshal(p)
		require.NoError(t, err)
		back, err := ParsePolicy(data)
		require.NoError(t, err)
		assert.Equal(t, p, back)
	}
	_, err := ParsePolicy([]byte(`{"name":"x","bogus":1}`))
	assert.ErrorIs(t, err, ErrInvalidPolicy)
	_, err = ParsePolicy([]byte(`{"name":"x"} {}`))
	assert.ErrorIs(t, err, ErrInvalidPolicy)
	_, err = ParsePolicy([]byte(`{"name":"x","missing_message":"m","outside_remit_message":"o","rules":[]}`))
	assert.ErrorIs(t, err, ErrInvalidPolicy)
}

// A policy's JSON is what a district edits: channels and kinds are written by their identifiers.
func TestPolicyJSONUsesIdentifiers(t *testing.T) {
	p := Shanghai()
	data, err := json.MarshalIndent(p, "", "  ")
	require.NoError(t, err)
	assert.Contains(t, string(data), `"state_council"`)
	assert.Contains(t, string(data), `"gov_website"`)
}

// The Screener is immutable: changing the policy it was built from changes nothing, and it may be
// used from several goroutines at once.
func TestScreenerImmutableAndConcurrent(t *testing.T) {
	p := Hebi()
	s, err := New(p)
	require.NoError(t, err)
	p.Categories[0].Words[0] = "路灯"
	assert.Equal(t, Accept, must(s.Screen(okItem())).Outcome)
	got := s.Policy()
	got.Categories[0].Words[0] = "路灯"
	assert.Equal(t, Accept, must(s.Screen(okItem())).Outcome)
	assert.Contains(t, s.Words(), "颠覆国家政权")

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				in := okItem()
				in.Text = "有人要颠覆国家政权"
				assert.Equal(t, Refuse, must(s.Screen(in)).Outcome)
			}
		})
	}
	wg.Wait()
}

// A word listed under two categories fires both.
func TestScreenSharedWord(t *testing.T) {
	p := Hebi()
	p.Categories = append(p.Categories, Category{
		Code: "watch", Label: "关注", Message: "m", Source: "local", Action: ActionFlag, Words: []string{"混蛋"},
	})
	s, err := New(p)
	require.NoError(t, err)
	in := okItem()
	in.Text = "混蛋，要求处理"
	r := must(s.Screen(in))
	assert.Equal(t, []string{"insult"}, codes(r.Reasons))
	assert.Equal(t, []string{"watch"}, codes(r.Flags))
}
