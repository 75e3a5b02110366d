package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/ticket"
)

// The documents' loops over HTTP, each on SQLite and, when their DSNs are set, PostgreSQL and
// MariaDB.

// TestScenarioOneFiveFifteen walks 000 §5 (“1、5、15”) to a satisfied close: the unit contacts the
// citizen within 1 working day of its receipt, a complex matter is replied within 15 (a general one
// within 5), the office calls back (000 §4 (四)) and closes.
func TestScenarioOneFiveFifteen(t *testing.T) {
	storetest.EachDialectWith(t, machineOptions(t, deadline.ShanghaiOneNet(), ticket.Shanghai()), func(t *testing.T, st *store.Store) {
		s := newScene(t, st, true)
		ans, rec := s.intake(t, "office", noiseItem("13812345678", map[string]any{"complexity": "complex"}), http.StatusCreated)
		assert.Equal(t, "/v1/tickets/"+ans.ID, rec.Header().Get("Location"))
		assert.Equal(t, "accept", string(ans.Screening.Outcome))
		require.NotNil(t, ans.Dispatch)
		assert.Equal(t, loop.StatusDispatched, ans.Dispatch.Status)
		require.NotNil(t, ans.Dispatch.Decision)
		assert.Equal(t, "yy-cyzx", ans.Dispatch.Decision.Lead, "statutory duty for 施工管理 at the street (000 §4 (二))")
		assert.Equal(t, "statutory", string(ans.Dispatch.Decision.Mode))
		require.NotEmpty(t, ans.Dispatch.Decision.Trail)
		assert.Equal(t, int64(2), ans.Version, "accept and dispatch")
		assert.Equal(t, `"2"`, rec.Header().Get("ETag"))
		require.NotNil(t, ans.Ticket)
		assert.Equal(t, ticket.StateDispatched, ans.Ticket.Ticket.State)
		fc := clockOf(t, *ans.Ticket, "first_contact")
		assert.WithinDuration(t, when("2026-11-25 00:00"), fc.Due.At, 0, "1 working day from the unit's receipt (000 §5)")
		assert.Equal(t, deadline.Pending, fc.State)
		assert.Equal(t, 1, fc.Remaining)
		reply := clockOf(t, *ans.Ticket, "reply")
		assert.Equal(t, deadline.ReplyComplex, reply.Key)
		assert.WithinDuration(t, when("2026-12-15 00:00"), reply.Due.At, 0, "15 working days for a complex matter (000 §5)")
		assert.Equal(t, 15, reply.Remaining)
		assert.Contains(t, ans.Ticket.AllowedActions, ticket.ActionSupervise)
		assert.NotContains(t, ans.Ticket.AllowedActions, ticket.ActionReply, "the office does not reply")

		unit := s.ticket(t, "yy-cyzx", ans.ID)
		assert.Equal(t, []ticket.Action{ticket.ActionReturn, ticket.ActionFirstContact}, unit.AllowedActions)

		s.at("2026-11-24 10:00")
		s.must(t, "yy-cyzx", ans.ID, firstContact)
		v := s.ticket(t, "yy-cyzx", ans.ID)
		assert.Equal(t, ticket.StateHandling, v.Ticket.State)
		assert.Equal(t, deadline.DoneInTime, clockOf(t, v, "first_contact").State)

		s.at("2026-12-14 10:00")
		v = s.ticket(t, "yy-cyzx", ans.ID)
		assert.Equal(t, deadline.DueSoon, clockOf(t, v, "reply").State, "the last working day is due soon (预警)")
		assert.Equal(t, 0, clockOf(t, v, "reply").Remaining)
		s.must(t, "yy-cyzx", ans.ID, replyBody(""))

		s.at("2026-12-15 10:00")
		v = s.ticket(t, "office", ans.ID)
		assert.Equal(t, deadline.DoneInTime, clockOf(t, v, "reply").State)
		assert.Contains(t, v.AllowedActions, ticket.ActionCallback)
		s.must(t, "office", ans.ID, callbackSatisfied)
		v = s.ticket(t, "office", ans.ID)
		assert.Contains(t, v.AllowedActions, ticket.ActionClose)
		assert.NotContains(t, v.AllowedActions, ticket.ActionReopen, "a satisfied citizen is not reopened (004 §11)")
		s.must(t, "office", ans.ID, closeAction)

		v = s.ticket(t, "office", ans.ID)
		assert.Equal(t, ticket.StateClosed, v.Ticket.State)
		assert.Empty(t, v.AllowedActions, "nothing is left to do on a closed ticket")
		for _, c := range v.Clocks {
			assert.Equal(t, deadline.DoneInTime, c.State, c.Stage)
		}
		assert.Len(t, v.Ticket.History, 6)

		// A general matter: 5 working days (000 §5 在5个工作日内完成整改和反馈).
		s.at("2026-11-23 09:00")
		gen, _ := s.intake(t, "office", noiseItem("13900001111", map[string]any{"complexity": "general",
			"content": "宝钢一村小区门口的施工围挡倒塌，占用人行道，请尽快处理。"}), http.StatusCreated)
		r := clockOf(t, *gen.Ticket, "reply")
		assert.Equal(t, deadline.ReplyGeneral, r.Key)
		assert.WithinDuration(t, when("2026-12-01 00:00"), r.Due.At, 0)
	})
}

// TestScenarioReturnAndRedispatch walks 000 §7 (二): the unit returns the ticket naming a suggested
// unit; with its objection upheld it is excluded and the ticket goes to the suggested unit; when that
// unit returns it too the authority designates, and the designation is dispatched, supervised for the
// bounces (004 §12 (二) 1).
func TestScenarioReturnAndRedispatch(t *testing.T) {
	storetest.EachDialectWith(t, machineOptions(t, deadline.ShanghaiOneNet(), ticket.Shanghai()), func(t *testing.T, st *store.Store) {
		s := newScene(t, st, true)
		ans, _ := s.intake(t, "office", noiseItem("13812345678", nil), http.StatusCreated)
		require.Equal(t, "yy-cyzx", ans.Ticket.Ticket.Assignment.Lead)

		s.at("2026-11-24 10:00")
		s.must(t, "yy-cyzx", ans.ID, `{"action":"return","payload":{"return":{"suggested_unit":"yy-sqglb","basis":"工地噪声扰民属社区治理，非城管执法事项"}}}`)
		v := s.ticket(t, "office", ans.ID)
		assert.Equal(t, ticket.StateReturned, v.Ticket.State)
		assert.Contains(t, v.AllowedActions, ticket.ActionDispatch)

		t.Run("If-Match is required and must be current", func(t *testing.T) {
			path := "/v1/tickets/" + ans.ID + "/dispatch"
			rec := s.on(t).send(http.MethodPost, path, `{"upheld":["yy-cyzx"]}`, "Authorization", s.keys["office"])
			assert.Equal(t, http.StatusPreconditionRequired, rec.Code)
			rec = s.on(t).send(http.MethodPost, path, `{"upheld":["yy-cyzx"]}`, "Authorization", s.keys["office"], "If-Match", `"1"`)
			require.Equal(t, http.StatusPreconditionFailed, rec.Code)
			p := problemOf(t, rec.Body.Bytes())
			require.NotNil(t, p.CurrentVersion)
			assert.Equal(t, v.Version, *p.CurrentVersion)
			rec = s.on(t).send(http.MethodPost, path, `{}`, "Authorization", s.keys["yy-gov"], "If-Match", `"3"`)
			assert.Equal(t, http.StatusForbidden, rec.Code, "a unit does not dispatch")
		})

		d := s.dispatch(t, ans.ID, `{"upheld":["yy-cyzx"]}`)
		assert.Equal(t, loop.StatusDispatched, d.Dispatch.Status)
		require.NotNil(t, d.Dispatch.Decision)
		assert.Equal(t, "yy-sqglb", d.Dispatch.Decision.Lead, "the suggested unit (000 §7 (二) 另行转送)")
		assert.True(t, slices.ContainsFunc(d.Dispatch.Decision.Trail, func(st routingStep) bool {
			return strings.Contains(st.Article, "000 §7")
		}), "the trail cites 000 §7: %+v", d.Dispatch.Decision.Trail)
		require.Len(t, d.Events, 1)
		assert.Equal(t, ticket.ActionDispatch, d.Events[0].Action)
		rec := s.on(t).get("/v1/tickets/"+ans.ID, "Authorization", s.keys["yy-cyzx"])
		assert.Equal(t, http.StatusNotFound, rec.Code, "the returning unit no longer handles it")
		assert.Contains(t, s.ticket(t, "yy-sqglb", ans.ID).AllowedActions, ticket.ActionFirstContact)

		s.at("2026-11-25 10:00")
		s.must(t, "yy-sqglb", ans.ID, `{"action":"return","payload":{"return":{"suggested_unit":"yy-cyzx","basis":"施工管理属城运中心职责"}}}`)
		before := s.version(t, ans.ID)
		d = s.dispatch(t, ans.ID, `{"upheld":["yy-cyzx"]}`)
		assert.Equal(t, loop.StatusNeedsDesignation, d.Dispatch.Status, "the suggested unit objects in turn: designation (000 §7 (二))")
		require.NotNil(t, d.Dispatch.Decision)
		assert.True(t, d.Dispatch.Decision.NeedsDesignation)
		assert.Equal(t, "yy-gov", d.Dispatch.Decision.Authority)
		assert.Contains(t, d.Dispatch.Reason, "yy-gov")
		assert.Empty(t, d.Events)
		assert.Equal(t, before, d.Version, "nothing applied")

		d = s.dispatch(t, ans.ID, `{"upheld":["yy-cyzx"],"designation":{"lead":"yy-gov","by":"友谊路街道分管领导","reason":"职责交叉，由街道牵头"}}`)
		assert.Equal(t, loop.StatusDispatched, d.Dispatch.Status)
		require.Len(t, d.Events, 2)
		assert.Equal(t, ticket.ActionDesignate, d.Events[0].Action)
		assert.Equal(t, ticket.RoleLeader, d.Events[0].Role)
		assert.Equal(t, "友谊路街道分管领导", d.Events[0].Actor, "recorded on the leader's behalf")
		assert.Equal(t, ticket.ActionSupervise, d.Events[1].Action, "two bounces between the same units (004 §12 (二) 1)")
		v = s.ticket(t, "yy-gov", ans.ID)
		assert.Equal(t, "yy-gov", v.Ticket.Assignment.Lead)
		assert.Equal(t, ticket.DispatchDesignated, v.Ticket.Assignment.DispatchMode)
		assert.True(t, v.Ticket.Supervised)
		assert.Equal(t, []string{"yy-cyzx", "yy-sqglb"}, v.Ticket.Assignment.Returned)
	})
}

// TestScenarioExtensionWindow walks 004 §9: a general matter's extension is asked within 3 working
// days of the unit's receipt and approved by the street office up to 10; asked later it is refused,
// naming when the window closed.
func TestScenarioExtensionWindow(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) {
		s := newScene(t, st, true)
		in, _ := s.intake(t, "office", noiseItem("13812345678", map[string]any{"complexity": "general"}), http.StatusCreated)
		out, _ := s.intake(t, "office", noiseItem("13900001111", map[string]any{"complexity": "general",
			"content": "宝钢一村小区门口的施工围挡倒塌，占用人行道，请尽快处理。"}), http.StatusCreated)
		s.at("2026-11-23 10:00")
		s.must(t, "yy-cyzx", in.ID, firstContact)
		s.must(t, "yy-cyzx", out.ID, firstContact)

		s.at("2026-11-26 10:00") // the third working day after Monday's dispatch
		ext := `{"action":"request_extension","payload":{"extension":{"days":10,"explanation":"需协调施工单位调整工期"}}}`
		r := s.must(t, "yy-cyzx", in.ID, ext)
		assert.Equal(t, ticket.StateExtensionRequested, r.Event.To)
		v := s.ticket(t, "office", in.ID)
		assert.Contains(t, v.AllowedActions, ticket.ActionApproveExtension)
		assert.Contains(t, v.AllowedActions, ticket.ActionRefuseExtension)
		s.must(t, "office", in.ID, `{"action":"approve_extension","payload":{"approval":{"approver":"街道热线办"}}}`)
		v = s.ticket(t, "yy-cyzx", in.ID)
		assert.Equal(t, ticket.StateHandling, v.Ticket.State)
		assert.WithinDuration(t, when("2026-12-08 00:00"), clockOf(t, v, "reply").Due.At, 0, "extended to 10 working days (004 §9)")
		assert.Equal(t, 1, v.Ticket.Counters.Extensions)

		s.at("2026-11-27 10:00") // the fourth working day: the window has closed
		rec := s.act(t, "yy-cyzx", out.ID, ext)
		assert.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
		p := problemOf(t, rec.Body.Bytes())
		assert.Equal(t, "outside_window", p.Code)
		assert.Contains(t, p.Detail, "2026-11-27")
		assert.Equal(t, ticket.StateHandling, s.ticket(t, "office", out.ID).Ticket.State, "nothing changed")
	})
}

// TestScenarioDissatisfiedReopen walks 004 §11: a dissatisfied callback puts the ticket under
// supervision (004 §12 (二) 4) and it is reopened (不满退回); the unit redoes it within 3 working days
// with its leader's signature, and a satisfied callback closes it.
func TestScenarioDissatisfiedReopen(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) {
		s := newScene(t, st, true)
		ans, _ := s.intake(t, "office", noiseItem("13812345678", map[string]any{"complexity": "general"}), http.StatusCreated)
		s.at("2026-11-23 10:00")
		s.must(t, "yy-cyzx", ans.ID, firstContact)
		s.at("2026-11-24 10:00")
		s.must(t, "yy-cyzx", ans.ID, replyBody(""))
		s.at("2026-11-24 15:00")
		s.must(t, "office", ans.ID, callbackDissatisfied)
		v := s.ticket(t, "office", ans.ID)
		assert.True(t, v.Ticket.Supervised, "004 §12 (二) 4: 回访不满意 is supervised")
		assert.Contains(t, v.AllowedActions, ticket.ActionReopen)
		assert.NotContains(t, v.AllowedActions, ticket.ActionClose)
		rec := s.act(t, "office", ans.ID, closeAction)
		assert.Equal(t, http.StatusConflict, rec.Code)
		assert.Equal(t, "not_applicable", problemCode(t, rec))

		s.at("2026-11-25 09:00")
		s.must(t, "office", ans.ID, `{"action":"reopen"}`)
		v = s.ticket(t, "yy-cyzx", ans.ID)
		assert.Equal(t, ticket.StateReopened, v.Ticket.State)
		redo := clockOf(t, v, "redo")
		assert.Equal(t, deadline.Reopen, redo.Key)
		assert.WithinDuration(t, when("2026-12-01 00:00"), redo.Due.At, 0, "3 working days (004 §11)")
		assert.Equal(t, 3, redo.Remaining)
		assert.Equal(t, deadline.DoneInTime, clockOf(t, v, "reply").State, "the first reply keeps its record")

		s.at("2026-11-27 10:00")
		rec = s.act(t, "yy-cyzx", ans.ID, replyBody(""))
		assert.Equal(t, http.StatusUnprocessableEntity, rec.Code, "the redo is signed by the unit's leader (004 §11): %s", rec.Body.String())
		s.must(t, "yy-cyzx", ans.ID, replyBody("城运中心分管领导"))
		v = s.ticket(t, "office", ans.ID)
		assert.Equal(t, deadline.DoneInTime, clockOf(t, v, "redo").State)
		s.must(t, "office", ans.ID, callbackSatisfied)
		s.must(t, "office", ans.ID, closeAction)
		v = s.ticket(t, "office", ans.ID)
		assert.Equal(t, ticket.StateClosed, v.Ticket.State)
		assert.Equal(t, 1, v.Ticket.Counters.Reopenings)
		assert.Equal(t, 2, v.Ticket.Counters.Replies)
	})
}

// TestScenarioThirdRepeatSupervised walks 004 §12 (二) 2 (同一工单重复投诉 3 次及以上的即进行督办):
// the caller raises the same demand three more times; each is linked to the open original, which
// counts it, and the third puts the original under supervision. The repeats are stored, not
// dispatched as new.
func TestScenarioThirdRepeatSupervised(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) {
		s := newScene(t, st, true)
		orig, _ := s.intake(t, "office", noiseItem("13812345678", nil), http.StatusCreated)
		require.Nil(t, orig.Repeat)
		var numbers []string
		for i, at := range []string{"2026-11-24 09:00", "2026-11-25 09:00", "2026-11-26 09:00"} {
			s.at(at)
			ans, _ := s.intake(t, "office", noiseItem("138 1234 5678", map[string]any{
				"content": "宝钢一村旁的工地又连续几晚施工到凌晨，噪声扰民，请尽快处理！"}), http.StatusCreated)
			require.NotNil(t, ans.Repeat, "repeat %d", i+1)
			assert.Equal(t, orig.Number, ans.Repeat.Original)
			assert.Equal(t, orig.ID, ans.Repeat.OriginalID)
			assert.Equal(t, i+1, ans.Repeat.Count)
			assert.True(t, ans.Repeat.Counted)
			assert.Equal(t, i+1 >= 3, ans.Repeat.UnderSupervision)
			assert.Equal(t, i+1 >= 3, ans.Repeat.Supervised, "repeat %d", i+1)
			assert.Equal(t, loop.StatusRepeat, ans.Dispatch.Status)
			assert.Equal(t, ticket.StateReceived, ans.Ticket.Ticket.State, "stored, handled with the original")
			numbers = append(numbers, ans.Number)
		}
		v := s.ticket(t, "office", orig.ID)
		assert.Equal(t, 3, v.Ticket.Counters.Repeats)
		assert.True(t, v.Ticket.Supervised)
		var marked []string
		for _, e := range v.Ticket.History {
			if e.Action == ticket.ActionMarkRepeat {
				marked = append(marked, e.Payload.Repeat.Of.String())
			}
		}
		assert.Equal(t, numbers, marked, "the original names each repeat")
	})
}

// TestScenarioWindowRefusal walks 003 四 (四) 5 (不予受理问题，限定在3个工作日内给予申办人回复，说明不能办理
// 的原因): an item at the 办不成事 window outside government service is refused with its reason code,
// the citizen's message and where to go instead; the refusal is replied and closed within 3 working
// days.
func TestScenarioWindowRefusal(t *testing.T) {
	storetest.EachDialectWith(t, machineOptions(t, deadline.CouldNotGetItDone(), ticket.Shanghai()), func(t *testing.T, st *store.Store) {
		s := newScene(t, st, true)
		ans, _ := s.intake(t, "office", noiseItem("13812345678", map[string]any{
			"channel": "window_offline", "kind": "errand", "title": "申请强制执行",
			"content": "我的民事诉讼判决书已经生效，要求窗口帮我办理强制执行。", "matter": nil,
			"place": map[string]any{"region_code": "310113003", "address": "友谊路街道社区事务受理中心"}}), http.StatusCreated)
		assert.True(t, ans.Stored)
		assert.Equal(t, "refuse", string(ans.Screening.Outcome))
		require.NotEmpty(t, ans.Screening.Reasons)
		r := ans.Screening.Reasons[0]
		assert.Equal(t, "out_of_scope.litigation", r.Code)
		assert.NotEmpty(t, r.Message)
		assert.Contains(t, r.Redirect, "人民法院")
		assert.Equal(t, r.Message, ans.Screening.Message)
		assert.Equal(t, loop.StatusScreenedOut, ans.Dispatch.Status)

		tk := ans.Ticket.Ticket
		assert.Equal(t, ticket.StateRefused, tk.State)
		require.NotNil(t, tk.Refusal)
		assert.Equal(t, "out_of_scope.litigation", tk.Refusal.Code)
		assert.Equal(t, r.Message, tk.Refusal.Explanation)
		assert.Equal(t, r.Redirect, tk.Refusal.Redirect)
		rr := clockOf(t, *ans.Ticket, "refusal_reply")
		assert.Equal(t, deadline.ReplyRefusal, rr.Key)
		assert.WithinDuration(t, when("2026-11-27 00:00"), rr.Due.At, 0, "3 working days (003 四 (四) 5)")
		assert.Equal(t, 3, rr.Remaining)
		assert.Equal(t, []ticket.Action{ticket.ActionClose}, ans.Ticket.AllowedActions)

		form := s.on(t).get("/v1/tickets/"+ans.ID+"/forms/registration", "Authorization", s.keys["office"])
		require.Equal(t, http.StatusOK, form.Code)
		assert.Contains(t, form.Body.String(), ans.Number)

		s.at("2026-11-25 16:00")
		s.must(t, "office", ans.ID, closeAction)
		v := s.ticket(t, "office", ans.ID)
		assert.Equal(t, ticket.StateClosed, v.Ticket.State)
		assert.Equal(t, deadline.DoneInTime, clockOf(t, v, "refusal_reply").State)
	})
}

// TestScenarioStateCouncilReturnedUpstream walks 000 §4 (一): a 国办 item missing an element goes
// back upstream at once (within 5 working days), a city item that cannot be dispatched is archived
// as a general suggestion, and an item with missing elements of another rule is not stored.
func TestScenarioStateCouncilReturnedUpstream(t *testing.T) {
	storetest.EachDialectWith(t, machineOptions(t, deadline.StateCouncilForwarded(), ticket.Shanghai()), func(t *testing.T, st *store.Store) {
		s := newScene(t, st, true)
		ans, _ := s.intake(t, "office", noiseItem("13812345678", map[string]any{
			"channel": "state_council", "upstream": "GOV-20261123-0001", "place": map[string]any{"region_code": "310113"}}), http.StatusCreated)
		assert.Equal(t, "return_upstream", string(ans.Screening.Outcome))
		assert.Contains(t, ans.Screening.Missing, screenElement("place"))
		tk := ans.Ticket.Ticket
		assert.Equal(t, ticket.StateReturnedUpstream, tk.State)
		assert.Equal(t, "missing_elements", tk.Refusal.Code)
		assert.Contains(t, tk.Refusal.Explanation, "事发地点")
		up := clockOf(t, *ans.Ticket, "upstream")
		assert.Equal(t, deadline.ReturnUpstream, up.Key)
		assert.Equal(t, deadline.DoneInTime, up.State, "returned within 5 working days")
		assert.Equal(t, loop.StatusScreenedOut, ans.Dispatch.Status)
		assert.Empty(t, ans.Ticket.AllowedActions)

		t.Run("the same upstream number again is a duplicate", func(t *testing.T) {
			rec := s.on(t).send(http.MethodPost, "/v1/tickets", noiseItem("13812345678", map[string]any{
				"channel": "state_council", "upstream": "GOV-20261123-0001", "place": map[string]any{"region_code": "310113"}}),
				"Authorization", s.keys["office"])
			assert.Equal(t, http.StatusConflict, rec.Code)
			assert.Equal(t, "duplicate", problemCode(t, rec))
		})
		t.Run("a city item without a contact is archived as a general suggestion", func(t *testing.T) {
			ans, _ := s.intake(t, "office", noiseItem("", map[string]any{"citizen": map[string]any{"name": "匿名"}}), http.StatusCreated)
			assert.Equal(t, "archive", string(ans.Screening.Outcome))
			assert.Equal(t, ticket.StateArchived, ans.Ticket.Ticket.State)
		})
		t.Run("missing elements are not stored: the citizen is asked", func(t *testing.T) {
			ans, rec := s.intake(t, "office", noiseItem("13812345678", map[string]any{"channel": "bad_review", "kind": "review"}), http.StatusOK)
			assert.False(t, ans.Stored)
			assert.Equal(t, "missing_elements", string(ans.Screening.Outcome))
			assert.Contains(t, ans.Screening.Missing, screenElement("unit"))
			assert.NotEmpty(t, ans.Screening.Message)
			assert.Empty(t, ans.ID)
			assert.Nil(t, ans.Ticket)
			assert.Empty(t, rec.Header().Get("Location"))
		})
	})
}
