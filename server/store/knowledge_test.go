package store

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/knowledge"
	"github.com/hotline12345/hotline/ticket"
)

// corpus is the fixed knowledge base of the search tests (testdata/knowledge.json).
func corpus(t testing.TB) []knowledge.Entry {
	t.Helper()
	f, err := os.Open("testdata/knowledge.json")
	require.NoError(t, err)
	defer f.Close()
	es, err := knowledge.ReadJSON(f)
	require.NoError(t, err)
	return es
}

func importCorpus(t testing.TB, s *Store) {
	t.Helper()
	res, err := s.ImportKnowledge(context.Background(), admin, corpus(t), at("2026-11-20 09:00"))
	require.NoError(t, err)
	require.Equal(t, 26, res.Created)
}

// searchCases are the fixed Chinese queries whose results every database must agree on; top names
// the entry that must come first, where one must.
var searchCases = []struct {
	name string
	q    knowledge.Query
	top  string
	not  []string
}{
	{"居住证怎么办", knowledge.Query{Text: "居住证怎么办理"}, "kb-juzhuzheng", nil},
	{"缺租赁备案 at 友谊路街道", knowledge.Query{Text: "办居住证缺少租赁备案", Place: "310113003"}, "kb-juzhu-rental", []string{"kb-pudong-juzhu"}},
	{"缺租赁备案 in 浦东", knowledge.Query{Text: "办居住证缺少租赁备案", Place: "310115001"}, "", []string{"kb-juzhu-rental", "kb-youyi-centre"}},
	{"工地晚上施工噪音", knowledge.Query{Text: "工地晚上施工噪音太吵了"}, "kb-noise-construction", nil},
	{"装修噪声 under 0703", knowledge.Query{Text: "楼上装修噪声", Matter: "070301"}, "kb-noise-neighbor", []string{"kb-garbage"}},
	{"社保卡丢了", knowledge.Query{Text: "社保卡丢了怎么办"}, "kb-medical-insurance-card", nil},
	{"公积金租房", knowledge.Query{Text: "租房可以提取公积金吗"}, "kb-provident-fund-withdraw", nil},
	{"新生儿落户", knowledge.Query{Text: "孩子刚出生怎么落户"}, "kb-hukou-child", nil},
	{"加装电梯 with Latin letters", knowledge.Query{Text: "老小区想装电梯 ELEVATOR"}, "kb-elevator", nil},
	{"an expired entry is not cited", knowledge.Query{Text: "居住证积分申请时间"}, "", []string{"kb-points-2025"}},
	{"full-width and punctuation", knowledge.Query{Text: "营业执照，地址变更？"}, "kb-business-license-change", nil},
	{"no text: the matter's entries and those for every matter, newest first", knowledge.Query{Matter: "0601", Limit: 3}, "kb-pension", []string{"kb-property-fee"}},
	{"nothing matches", knowledge.Query{Text: "火星移民"}, "", nil},
}

// hitKey is what the dialects must agree on: the entry and its score, in order.
func hitKeys(hits []knowledge.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = fmt.Sprintf("%s:%d", h.Entry.ID, h.Score)
	}
	return out
}

// The same fixed Chinese queries give the same entries, with the same scores, in the same order on
// SQLite, PostgreSQL and MariaDB (issue 15; 003 七 (二): the knowledge base answers the next operator).
func TestKnowledgeSearchSameOnEveryDatabase(t *testing.T) {
	var mu sync.Mutex
	results := map[Dialect][][]string{}
	eachDialect(t, func(t *testing.T, s *Store) {
		seedUnits(t, s)
		importCorpus(t, s)
		var got [][]string
		for _, tt := range searchCases {
			hits, err := s.SearchKnowledge(context.Background(), unitB, tt.q, at("2026-11-30 09:00"))
			require.NoError(t, err, tt.name)
			keys := hitKeys(hits)
			t.Logf("%s: %v", tt.name, keys)
			got = append(got, keys)
			if tt.top != "" {
				require.NotEmpty(t, hits, tt.name)
				assert.Equal(t, tt.top, hits[0].Entry.ID, "%s: %v", tt.name, keys)
			}
			for _, n := range tt.not {
				for _, h := range hits {
					assert.NotEqual(t, n, h.Entry.ID, tt.name)
				}
			}
			if tt.q.Text == "火星移民" {
				assert.Empty(t, hits)
			}
		}
		mu.Lock()
		results[s.dialect] = got
		mu.Unlock()
	})
	base, ok := results[SQLite]
	require.True(t, ok)
	for d, got := range results {
		for i := range searchCases {
			assert.Equal(t, base[i], got[i], "%s differs from sqlite on %q", d, searchCases[i].name)
		}
	}
	t.Logf("compared %d dialects on %d queries", len(results), len(searchCases))
}

// 004 §6 (八): the keeper maintains its entries; every version is kept with who changed what, when.
func TestKnowledgeVersionsAndKeepers(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		e := knowledge.Entry{Question: "垃圾分类投放时间？", Answer: "早7时至9时。", Matters: []routing.MatterCode{"07"}}
		created, err := s.PutKnowledge(ctx, unitA, e, 0, at("2026-11-20 09:00"))
		require.NoError(t, err)
		assert.Equal(t, int64(1), created.Version)
		assert.Equal(t, "unit-a", created.Keeper, "the keeper defaults to the writer's unit")
		assert.Equal(t, "clerk-a", created.UpdatedBy)

		e = created
		e.Answer = "早7时至9时，晚18时至20时。"
		_, err = s.PutKnowledge(ctx, unitB, e, 1, at("2026-11-21 09:00"))
		assert.ErrorIs(t, err, ErrForbidden, "unit-b does not keep unit-a's entries")
		_, err = s.PutKnowledge(ctx, unitA, e, 5, at("2026-11-21 09:00"))
		var ve *VersionError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, int64(1), ve.Current)
		updated, err := s.PutKnowledge(ctx, unitA, e, 1, at("2026-11-21 09:00"))
		require.NoError(t, err)
		assert.Equal(t, int64(2), updated.Version)
		same, err := s.PutKnowledge(ctx, unitA, updated, 2, at("2026-11-21 10:00"))
		require.NoError(t, err)
		assert.Equal(t, int64(2), same.Version, "no change, no version")

		// A unit below the keeper is not above it; the keeper's parent is.
		e = updated
		e.Keeper = "unit-a1"
		moved, err := s.PutKnowledge(ctx, unitA, e, 2, at("2026-11-22 09:00"))
		require.NoError(t, err)
		e = moved
		e.Answer += "节假日照常。"
		_, err = s.PutKnowledge(ctx, unitA1, e, 3, at("2026-11-22 10:00"))
		require.NoError(t, err)

		h, err := s.KnowledgeHistory(ctx, superv, created.ID)
		require.NoError(t, err)
		require.Len(t, h, 4)
		assert.Equal(t, []string{"created"}, h[0].Changed)
		assert.Equal(t, []string{"answer"}, h[1].Changed)
		assert.Equal(t, "clerk-a", h[1].Actor)
		assert.Equal(t, at("2026-11-21 09:00").UTC(), h[1].At)
		assert.Equal(t, []string{"keeper"}, h[2].Changed)
		assert.Equal(t, "unit-a1", h[3].Unit)
		assert.Equal(t, "早7时至9时。", h[0].Entry.Answer, "old versions keep what they said")

		_, err = s.PutKnowledge(ctx, unitA, knowledge.Entry{ID: created.ID, Question: "q", Answer: "a"}, 0, at("2026-11-22 11:00"))
		assert.ErrorIs(t, err, ErrDuplicate)
		_, err = s.PutKnowledge(ctx, unitA, knowledge.Entry{ID: "kb-none", Question: "q", Answer: "a"}, 3, at("2026-11-22 11:00"))
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = s.PutKnowledge(ctx, superv, knowledge.Entry{Question: "q", Answer: "a"}, 0, at("2026-11-22 11:00"))
		assert.ErrorIs(t, err, ErrForbidden)
		_, err = s.PutKnowledge(ctx, unitA, knowledge.Entry{Question: " ", Answer: "a"}, 0, at("2026-11-22 11:00"))
		assert.ErrorIs(t, err, knowledge.ErrInvalid)

		// The search follows the current version.
		hits, err := s.SearchKnowledge(ctx, unitB, knowledge.Query{Text: "节假日垃圾投放"}, at("2026-11-23 09:00"))
		require.NoError(t, err)
		require.NotEmpty(t, hits)
		assert.Equal(t, int64(4), hits[0].Entry.Version)
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}

// An import is all or nothing; entries it repeats are updated, unchanged ones left alone.
func TestKnowledgeImport(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		es := corpus(t)
		bad := append(append([]knowledge.Entry{}, es[:3]...), knowledge.Entry{ID: "kb-x", Question: "q", Answer: "a", Keeper: "unit-b"})
		_, err := s.ImportKnowledge(ctx, unitA, bad, at("2026-11-20 09:00"))
		require.ErrorIs(t, err, ErrForbidden, "unit-a keeps nothing of unit-b")
		page, err := s.ListKnowledge(ctx, unitA, KnowledgeFilter{})
		require.NoError(t, err)
		assert.Empty(t, page.Items, "nothing of a refused import is stored")

		res, err := s.ImportKnowledge(ctx, admin, es, at("2026-11-20 09:00"))
		require.NoError(t, err)
		assert.Equal(t, ImportResult{Created: 26}, res)
		es[0].Answer += "（2026年修订）"
		res, err = s.ImportKnowledge(ctx, admin, es, at("2026-11-21 09:00"))
		require.NoError(t, err)
		assert.Equal(t, ImportResult{Updated: 1, Unchanged: 25}, res)

		page, err = s.ListKnowledge(ctx, unitA, KnowledgeFilter{Limit: 10})
		require.NoError(t, err)
		assert.Len(t, page.Items, 10)
		assert.Equal(t, "kb-juzhuzheng", page.Items[0].ID)
		assert.Equal(t, int64(2), page.Items[0].Version)
		rest, err := s.ListKnowledge(ctx, unitA, KnowledgeFilter{After: page.Next, Limit: 100})
		require.NoError(t, err)
		assert.Len(t, rest.Items, 16)
		assert.Zero(t, rest.Next)
		all, err := s.ExportKnowledge(ctx, auditor, "unit-b", at("2026-11-21 10:00"))
		require.NoError(t, err)
		for _, e := range all {
			assert.Equal(t, "unit-b", e.Keeper)
		}

		var df int64
		require.NoError(t, s.db.NewSelect().Model((*kbTermRow)(nil)).Column("df").Where("term = ?", kindEntry+"#").Scan(ctx, &df))
		assert.Equal(t, int64(26), df, "the count of documents follows updates")
		require.NoError(t, s.db.NewSelect().Model((*kbTermRow)(nil)).Column("df").Where("term = ?", kindEntry+"居住").Scan(ctx, &df))
		var blocks []kbBlockRow
		require.NoError(t, s.db.NewSelect().Model(&blocks).Where("term = ?", kindEntry+"居住").Scan(ctx))
		var postings int64
		for _, b := range blocks {
			require.NoError(t, decodeBlock(b.Blk, b.Data, func(int64, int16) { postings++ }))
		}
		assert.Equal(t, postings, df, "document frequencies match the postings")
	})
}

// 002 §6 (二) 1 (1): a ticket answered from the knowledge base is an immediate answer (即办) that cites
// the entry, through the lifecycle.
func TestAnswerFromKnowledge(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		importCorpus(t, s)
		in := sampleIntake("居住证办理咨询")
		in.Kind, in.Content = ticket.KindConsultation, "请问居住证怎么办理？"
		id := intakeAs(t, s, in, at("2026-11-30 09:00"))

		_, _, err := s.AnswerFromKnowledge(ctx, office, id, 1, "kb-points-2025", "", at("2026-11-30 09:01"))
		assert.ErrorIs(t, err, ErrEntryNotValid, "an expired entry is not cited")
		_, _, err = s.AnswerFromKnowledge(ctx, unitA, id, 1, "kb-juzhuzheng", "", at("2026-11-30 09:01"))
		assert.ErrorIs(t, err, ErrNotFound, "unit-a does not handle the ticket")

		res, e, err := s.AnswerFromKnowledge(ctx, office, id, 1, "kb-juzhuzheng", "", at("2026-11-30 09:01"))
		require.NoError(t, err)
		assert.Equal(t, ticket.StateReplied, res.Event.To)
		assert.Equal(t, ticket.ActionAnswer, res.Event.Action)
		assert.Contains(t, res.Event.Reason, "kb-juzhuzheng")
		rec, err := s.Get(ctx, office, id)
		require.NoError(t, err)
		assert.Equal(t, ticket.ModeImmediate, rec.Ticket.Mode)
		assert.Equal(t, e.Answer, rec.Ticket.Reply.Summary)
		assert.True(t, strings.Contains(rec.Ticket.Reply.Report, "上海市居住证管理办法 第八条"), rec.Ticket.Reply.Report)
		assert.Equal(t, ticket.OutcomeExplained, rec.Ticket.Reply.Outcome)
	})
}
