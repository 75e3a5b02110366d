package knowledge_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/knowledge"
	"github.com/hotline12345/hotline/ticket"
)

func TestTerms(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"居住证", []string{"居住", "住证"}},
		{"居住证怎么办理？", []string{"居住", "住证", "证怎", "怎么", "么办", "办理"}},
		{"办理居住证，办理", []string{"办理", "理居", "居住", "住证"}}, // distinct, in order of first occurrence
		{"1２３４５ ＡＢＣ abc", []string{"12345", "abc"}},    // NFKC folds full-width; words are lower-cased
		{"12345热线", []string{"12345", "热线"}},
		{"证", []string{"证"}},
		{"a 证 b", []string{"a", "证", "b"}},
		{"", nil},
		{"，。！", nil},
		{strings.Repeat("x", 40), []string{strings.Repeat("x", knowledge.MaxWordBytes)}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, knowledge.Terms(tt.text), tt.text)
	}
}

func TestPlan(t *testing.T) {
	stats := []knowledge.TermStat{{"办理", 50000}, {"居住", 120}, {"住证", 90}, {"怎么", 15000}, {"火星", 0}}
	got := knowledge.Plan(stats, 100000)
	terms := make([]string, len(got))
	for i, w := range got {
		terms[i] = w.Term
	}
	// Rarest first, the term no entry has dropped, the common ones cut by the posting budget.
	assert.Equal(t, []string{"住证", "居住", "怎么"}, terms)
	assert.Greater(t, got[0].Weight, got[1].Weight)
	assert.Greater(t, got[1].Weight, got[2].Weight)
	// The two rarest are always looked up.
	got = knowledge.Plan([]knowledge.TermStat{{"a", 90000}, {"b", 80000}, {"c", 95000}}, 100000)
	require.Len(t, got, 2)
	assert.Equal(t, "b", got[0].Term)
	assert.Equal(t, int64(693), knowledge.Weight(100, 100))
	assert.Equal(t, knowledge.Weight(1, 1), knowledge.Weight(0, 0))
}

func TestKeys(t *testing.T) {
	assert.Equal(t, []string{"*", "05", "0502", "050203"}, knowledge.MatterKeys("050203"))
	assert.Equal(t, []string{"*", "31", "3101", "310113", "310113003"}, knowledge.PlaceKeys("310113003"))
	assert.Nil(t, knowledge.MatterKeys(""))
	assert.Nil(t, knowledge.PlaceKeys(""))
}

func TestPostings(t *testing.T) {
	p := knowledge.Postings([]string{"居住证"}, []string{"居住证在社区事务受理服务中心办理"})
	assert.Equal(t, int16(knowledge.BoostQuestion), p["居住"])
	assert.Equal(t, int16(knowledge.BoostAnswer), p["社区"])
	long := strings.Repeat("甲", knowledge.IndexedBodyRunes) + "乙丙"
	p = knowledge.Postings(nil, []string{long})
	assert.NotContains(t, p, "乙丙", "the body is indexed up to IndexedBodyRunes")
}

func validEntry() knowledge.Entry {
	return knowledge.Entry{ID: "kb-1", Question: "居住证怎么办理？", Answer: "到社区事务受理服务中心办理。",
		Matters: []routing.MatterCode{"05", "0502"}, Places: []routing.RegionCode{"310113"},
		Source: knowledge.Source{Document: "上海市居住证管理办法", Article: "第八条"}, Keeper: "unit-a",
		ValidFrom: time.Date(2026, 1, 1, 0, 0, 0, 0, deadline.Location())}
}

func TestEntryValidate(t *testing.T) {
	require.NoError(t, validEntry().Validate())
	tests := []struct {
		field string
		edit  func(*knowledge.Entry)
	}{
		{"id", func(e *knowledge.Entry) { e.ID = "kb 1" }},
		{"id", func(e *knowledge.Entry) { e.ID = strings.Repeat("a", 65) }},
		{"question", func(e *knowledge.Entry) { e.Question = "  " }},
		{"question", func(e *knowledge.Entry) { e.Question = strings.Repeat("问", knowledge.MaxQuestionRunes+1) }},
		{"answer", func(e *knowledge.Entry) { e.Answer = "" }},
		{"answer", func(e *knowledge.Entry) { e.Answer = "\xff" }},
		{"matters[1]", func(e *knowledge.Entry) { e.Matters[1] = "05.02" }},
		{"matters[1]", func(e *knowledge.Entry) { e.Matters[1] = "05" }},
		{"places[0]", func(e *knowledge.Entry) { e.Places[0] = "3101130" }},
		{"source.document", func(e *knowledge.Entry) { e.Source.Document = strings.Repeat("文", 201) }},
		{"keeper", func(e *knowledge.Entry) { e.Keeper = " unit" }},
		{"valid_until", func(e *knowledge.Entry) { e.ValidUntil = e.ValidFrom }},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			e := validEntry()
			tt.edit(&e)
			err := e.Validate()
			require.ErrorIs(t, err, knowledge.ErrInvalid)
			var fe *knowledge.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.field, fe.Field)
		})
	}
}

func TestValidAtAndChanged(t *testing.T) {
	e := validEntry()
	e.ValidUntil = time.Date(2027, 1, 1, 0, 0, 0, 0, deadline.Location())
	assert.False(t, e.ValidAt(e.ValidFrom.Add(-time.Second)))
	assert.True(t, e.ValidAt(e.ValidFrom))
	assert.False(t, e.ValidAt(e.ValidUntil), "valid_until is exclusive")
	f := e
	f.Answer = "改到街道办理。"
	f.Places = []routing.RegionCode{"310113", "310114"}
	f.Version, f.UpdatedBy = 9, "someone" // bookkeeping is not a change
	assert.Equal(t, []string{"answer", "places"}, knowledge.Changed(e, f))
	assert.Empty(t, knowledge.Changed(e, e))
}

func TestQueryValidate(t *testing.T) {
	require.NoError(t, knowledge.Query{Text: "居住证", Matter: "05", Place: "310113003", Limit: 5}.Validate())
	for field, q := range map[string]knowledge.Query{
		"text":   {Text: strings.Repeat("字", knowledge.MaxQueryRunes+1)},
		"matter": {Matter: "5"},
		"place":  {Place: "x"},
		"limit":  {Limit: knowledge.MaxLimit + 1},
	} {
		var fe *knowledge.FieldError
		require.ErrorAs(t, q.Validate(), &fe, field)
		assert.Equal(t, field, fe.Field)
	}
}

// The citizen of every case test: name, mobile, ID number (GB 11643 example) and address.
var citizen = ticket.Person{Name: "张三丰", Phone: "13812345678", IDNumber: "11010519491231002X", Address: "上海市宝山区宝钢五村12号楼301室"}

func closedWindowTicket() *ticket.Ticket {
	return &ticket.Ticket{
		Channel: ticket.ChannelWindowOffline, Kind: ticket.KindErrand,
		Title:   "张三丰办理居住证被拒",
		Content: "市民张三丰（电话13812345678，身份证11010519491231002X）住宝钢五村12号楼301室，反映居住证办不成：窗口称缺少租赁备案。回电138 1234 5678。",
		Citizen: citizen, Place: ticket.Place{RegionCode: "310113003", Address: "友谊路"},
		Matter: ticket.Matter{Levels: []ticket.MatterLevel{{Code: "05"}, {Code: "0502"}}},
		State:  ticket.StateClosed, Assignment: ticket.Assignment{Lead: "unit-a", CoHandling: []string{"unit-b"}},
		Reply: &ticket.Reply{Summary: "经协调，租赁备案可与居住证同时办理，已为张三丰办结。", Report: "办结报告"},
	}
}

// 003 五 (四), 七 (二): a closed 办不成事 item becomes a case with nothing of the citizen left.
func TestFromTicketScrubs(t *testing.T) {
	pol := knowledge.CasePrivacy()
	require.NoError(t, pol.Validate())
	c, err := knowledge.FromTicket(closedWindowTicket(), pol)
	require.NoError(t, err)
	assert.Equal(t, []string{"unit-a", "unit-b"}, c.Units)
	assert.Equal(t, []routing.MatterCode{"0502"}, c.Matters)
	assert.Equal(t, []routing.RegionCode{"310113"}, c.Places, "the place is cut to the district")
	assert.Empty(t, c.Cause, "the cause found is the author's to write (003 六 (二))")
	assert.Contains(t, c.Problem, "租赁备案", "the substance stays")
	require.NoError(t, knowledge.Leaks(c, citizen, pol))
	js, _ := json.Marshal(c)
	for _, secret := range []string{"张三丰", "13812345678", "1234 5678", "11010519491231002X", "宝钢五村", "12号楼", "301室"} {
		assert.NotContains(t, string(js), secret)
	}
}

func TestLeaks(t *testing.T) {
	pol := knowledge.CasePrivacy()
	tests := []struct {
		name, problem string
		kinds         []string
	}{
		{"clean", "窗口称缺少租赁备案。", nil},
		{"the name", "张三丰来电", []string{"name"}},
		{"the phone, written apart", "回电 138-1234-5678", []string{"phone", "number"}},
		{"full-width digits", "回电１３８１２３４５６７８", []string{"phone", "number"}},
		{"the ID number", "身份证11010519491231002x", []string{"id_number", "number"}},
		{"the address below the district", "住在宝钢五村", []string{"address"}},
		{"the district alone is public", "上海市宝山区的居民", nil},
		{"another long number", "卡号6222020200112233", []string{"number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := knowledge.Leaks(knowledge.CaseText{Title: "t", Problem: tt.problem}, citizen, pol)
			if tt.kinds == nil {
				assert.NoError(t, err)
				return
			}
			var le *knowledge.LeakError
			require.ErrorAs(t, err, &le)
			require.ErrorIs(t, err, knowledge.ErrLeak)
			assert.Equal(t, tt.kinds, le.Kinds)
			assert.Equal(t, []string{"problem"}, le.Fields)
			assert.NotContains(t, err.Error(), "1381234", "the error names kinds, never values")
		})
	}
}

func TestEligible(t *testing.T) {
	hard := func(edit func(*ticket.Ticket)) *ticket.Ticket {
		tk := closedWindowTicket()
		tk.Channel = ticket.ChannelPhone
		tk.Complexity = ticket.ComplexityComplex
		tk.Callback = &ticket.Callback{Contacted: true, Resolved: true}
		if edit != nil {
			edit(tk)
		}
		return tk
	}
	tests := []struct {
		name string
		t    *ticket.Ticket
		ok   bool
	}{
		{"003: a closed 办不成事 item", closedWindowTicket(), true},
		{"003: a 办不成事 item closed as stored", func() *ticket.Ticket { t := closedWindowTicket(); t.State = ticket.StateClosedStored; return t }(), true},
		{"an open 办不成事 item", func() *ticket.Ticket { t := closedWindowTicket(); t.State = ticket.StateHandling; return t }(), false},
		{"a solved complex ticket", hard(nil), true},
		{"a solved ticket that was reopened", hard(func(t *ticket.Ticket) { t.Complexity = ""; t.Counters.Reopenings = 1 }), true},
		{"an ordinary ticket", hard(func(t *ticket.Ticket) { t.Complexity = ticket.ComplexityGeneral }), false},
		{"a hard ticket not resolved", hard(func(t *ticket.Ticket) { t.Callback.Resolved = false }), false},
		{"a hard ticket not closed", hard(func(t *ticket.Ticket) { t.State = ticket.StateCalledBack }), false},
		{"nothing", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := knowledge.Eligible(tt.t)
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, knowledge.ErrIneligible)
			}
		})
	}
}

// A case is drafted, reviewed by someone else once it says the cause (003 六 (二)), then published.
func TestCaseLifecycle(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, deadline.Location())
	text, err := knowledge.FromTicket(closedWindowTicket(), knowledge.CasePrivacy())
	require.NoError(t, err)
	c := knowledge.Case{CaseText: text, State: knowledge.CaseDraft, Version: 1, DraftedBy: "ann", UpdatedBy: "ann"}

	err = c.Apply(knowledge.CaseReview, "bob", knowledge.CaseText{}, now)
	require.ErrorIs(t, err, knowledge.ErrIllegalTransition)
	assert.Contains(t, err.Error(), "cause")
	assert.Equal(t, knowledge.CaseDraft, c.State, "a refused action changes nothing")

	text.Cause = "租赁备案与居住证分属两个窗口，信息不共享。"
	require.NoError(t, c.Apply(knowledge.CaseEdit, "ann", text, now))
	assert.Equal(t, int64(2), c.Version)
	err = c.Apply(knowledge.CaseReview, "ann", knowledge.CaseText{}, now)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "someone other")
	err = c.Apply(knowledge.CasePublish, "cat", knowledge.CaseText{}, now)
	require.Error(t, err, "only a reviewed case is published")

	require.NoError(t, c.Apply(knowledge.CaseReview, "bob", knowledge.CaseText{}, now))
	assert.Equal(t, knowledge.CaseReviewed, c.State)
	assert.Equal(t, "bob", c.ReviewedBy)

	// Editing a reviewed case sends it back to draft: what is published is what was reviewed.
	edited := c
	require.NoError(t, edited.Apply(knowledge.CaseEdit, "ann", text, now))
	assert.Equal(t, knowledge.CaseDraft, edited.State)
	assert.Empty(t, edited.ReviewedBy)

	require.NoError(t, c.Apply(knowledge.CasePublish, "cat", knowledge.CaseText{}, now))
	assert.Equal(t, knowledge.CasePublished, c.State)
	require.Error(t, c.Apply(knowledge.CaseEdit, "ann", text, now), "a published case is withdrawn, not edited")
	require.NoError(t, c.Apply(knowledge.CaseWithdraw, "cat", knowledge.CaseText{}, now))
	require.Error(t, c.Apply(knowledge.CaseWithdraw, "cat", knowledge.CaseText{}, now))
	assert.Equal(t, "已撤回", c.State.Label())
}

func TestJSONRoundTrip(t *testing.T) {
	es := []knowledge.Entry{validEntry(), {ID: "kb-2", Question: "噪声扰民找谁？", Answer: "夜间施工噪声由城管执法部门处理。"}}
	var buf bytes.Buffer
	require.NoError(t, knowledge.WriteJSON(&buf, es))
	back, err := knowledge.ReadJSON(&buf)
	require.NoError(t, err)
	require.Len(t, back, 2)
	assert.True(t, es[0].ValidFrom.Equal(back[0].ValidFrom))
	back[0].ValidFrom = es[0].ValidFrom
	assert.Equal(t, es, back)

	var empty bytes.Buffer
	require.NoError(t, knowledge.WriteJSON(&empty, nil))
	got, err := knowledge.ReadJSON(&empty)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestReadJSONRefuses(t *testing.T) {
	valid := []byte(`{"entries":[{"id":"kb-1","question":"居住证怎么办理？","answer":"到社区事务受理服务中心办理。"}]}`)
	_, err := knowledge.ReadJSON(bytes.NewReader(valid))
	require.NoError(t, err)
	for _, c := range strictjsontest.Cases(valid, knowledge.MaxImportBytes) {
		t.Run(c.Name, func(t *testing.T) {
			_, err := knowledge.ReadJSON(bytes.NewReader(c.Input))
			assert.ErrorIs(t, err, knowledge.ErrMalformed)
		})
	}
	tests := []struct{ name, doc, path string }{
		{"no entries", `{}`, "entries"},
		{"a bad matter code", `{"entries":[{"question":"q","answer":"a","matters":["5"]}]}`, "entries[0].matters[0]"},
		{"a repeated id", `{"entries":[{"id":"a","question":"q","answer":"a"},{"id":"a","question":"q","answer":"a"}]}`, "entries[1].id"},
		{"an unknown field deep down", `{"entries":[{"question":"q","answer":"a","source":{"page":3}}]}`, "entries[0].source.page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := knowledge.ReadJSON(strings.NewReader(tt.doc))
			require.Error(t, err)
			var fe *knowledge.FieldError
			var me *knowledge.MalformedError
			switch {
			case errors.As(err, &fe):
				assert.Equal(t, tt.path, fe.Path())
			case errors.As(err, &me):
				assert.Equal(t, tt.path, me.Where)
			default:
				t.Fatalf("unexpected error %T %v", err, err)
			}
		})
	}
}

func TestXLSXRoundTrip(t *testing.T) {
	e := validEntry()
	e.Version, e.UpdatedBy, e.Updated = 3, "ann", time.Date(2026, 11, 30, 9, 0, 0, 0, deadline.Location())
	es := []knowledge.Entry{e, {Question: "噪声扰民找谁？", Answer: "夜间施工噪声由城管执法部门处理。\n第二行。"}}
	var buf bytes.Buffer
	require.NoError(t, knowledge.WriteXLSX(&buf, es))
	back, err := knowledge.ReadXLSX(&buf)
	require.NoError(t, err)
	require.Len(t, back, 2)
	assert.Equal(t, e.Question, back[0].Question)
	assert.Equal(t, e.Matters, back[0].Matters)
	assert.Equal(t, e.Places, back[0].Places)
	assert.Equal(t, e.Source, back[0].Source)
	assert.True(t, e.ValidFrom.Equal(back[0].ValidFrom))
	assert.Zero(t, back[0].Version, "the read-only columns are not imported")
	assert.Equal(t, es[1].Answer, back[1].Answer)
}

func TestReadXLSXRefuses(t *testing.T) {
	sheet := func(rows ...[]any) []byte {
		var buf bytes.Buffer
		require.NoError(t, writeSheet(&buf, rows))
		return buf.Bytes()
	}
	tests := []struct {
		name  string
		data  []byte
		where string
	}{
		{"not a spreadsheet", []byte("PK\x03\x04 nothing"), ""},
		{"empty", sheet(), ""},
		{"an unknown column", sheet([]any{"问题", "答复", "颜色"}), "C1"},
		{"no answer column", sheet([]any{"问题"}), "row 1"},
		{"a column twice", sheet([]any{"问题", "question", "答复"}), "B1"},
		{"a value under no header", sheet([]any{"问题", "答复"}, []any{"q", "a", "x"}), "C2"},
		{"a bad date", sheet([]any{"问题", "答复", "生效时间"}, []any{"q", "a", "明天"}), "row 2"},
		{"a bad code", sheet([]any{"question", "answer", "matters"}, []any{"q", "a", "05,5"}), "row 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := knowledge.ReadXLSX(bytes.NewReader(tt.data))
			require.Error(t, err)
			var me *knowledge.MalformedError
			var fe *knowledge.FieldError
			switch {
			case errors.As(err, &me):
				assert.Equal(t, tt.where, me.Where, err.Error())
			case errors.As(err, &fe):
				assert.Contains(t, err.Error(), tt.where)
			default:
				t.Fatalf("unexpected %T %v", err, err)
			}
		})
	}
	got, err := knowledge.ReadXLSX(bytes.NewReader(sheet([]any{"问题", "答复", "生效时间"}, []any{"q", "a", 46356})))
	require.NoError(t, err, "an Excel date cell")
	assert.Equal(t, "2026-11-30", got[0].ValidFrom.Format("2006-01-02"))
}

func FuzzReadJSON(f *testing.F) {
	f.Add([]byte(`{"entries":[{"id":"kb-1","question":"居住证怎么办理？","answer":"到社区办理。","matters":["05"],"places":["310113"]}]}`))
	f.Add([]byte(`{"entries":[]}`))
	f.Add([]byte(`{"entries":[{"question":"q","answer":"a","valid_from":"2026-01-01T00:00:00+08:00","valid_until":"2025-01-01T00:00:00Z"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		es, err := knowledge.ReadJSON(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, knowledge.ErrMalformed) && !errors.Is(err, knowledge.ErrInvalid) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		for _, e := range es {
			if err := e.Validate(); err != nil {
				t.Fatalf("accepted an invalid entry: %v", err)
			}
		}
	})
}

func FuzzReadXLSX(f *testing.F) {
	var buf bytes.Buffer
	if err := knowledge.WriteXLSX(&buf, []knowledge.Entry{validEntry()}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		es, err := knowledge.ReadXLSX(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, knowledge.ErrMalformed) && !errors.Is(err, knowledge.ErrInvalid) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		for _, e := range es {
			if err := e.Validate(); err != nil {
				t.Fatalf("accepted an invalid entry: %v", err)
			}
		}
	})
}

func FuzzTerms(f *testing.F) {
	for _, s := range []string{"居住证怎么办理？", "１２３ＡＢＣ", "\xff\xfe", "a证b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		seen := map[string]bool{}
		for _, term := range knowledge.Terms(s) {
			if term == "" || len(term) > knowledge.MaxWordBytes || seen[term] {
				t.Fatalf("Terms(%q) gave %q", s, term)
			}
			seen[term] = true
		}
	})
}
