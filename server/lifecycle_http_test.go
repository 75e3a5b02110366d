package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/screen"
)

// TestEveryLifecycleActionOverHTTP applies every action of ticket.Lifecycle() over
// POST /v1/tickets/:id/actions with its payload — dispatch and re-dispatch, returns with the
// suggested unit and the leader's designation, first contact, extension request, escalation and
// decisions, replies (存电办结 too), quality checks, callback, reopening, supervision and urging,
// repeats, closes — under the street rules (004) with a quality check (002 §6 (一) 2), and checks
// that none is left out. No directory is stored, so intakes wait for the office's own dispatch.
func TestEveryLifecycleActionOverHTTP(t *testing.T) {
	qc := deadline.StreetHotline()
	qc.Name, qc.QualityCheck = "street-hotline-qc", true
	hebi := screen.Hebi() // every item needs its content and a contact (002 §5); reviews included
	storetest.EachDialectWith(t, machineOptions(t, qc, ticket.StreetHotline()), func(t *testing.T, st *store.Store) {
		s := newScene(t, st, false, func(d *server.Deps) { d.Screening = &hebi })
		done := map[ticket.Action]bool{}
		ok := func(t *testing.T, who, id, body string) server.ActionResponse {
			t.Helper()
			r := s.must(t, who, id, body)
			done[r.Event.Action] = true
			return r
		}
		item := func(t *testing.T, phone string, extra map[string]any) server.IntakeResponse {
			t.Helper()
			ans, _ := s.intake(t, "office", noiseItem(phone, extra), http.StatusCreated)
			require.Equal(t, loop.StatusManual, ans.Dispatch.Status, "no directory: the office dispatches")
			require.Equal(t, ticket.StateReceived, ans.Ticket.Ticket.State)
			done[ans.Ticket.Ticket.History[0].Action] = true
			return ans
		}
		content := func(c string) map[string]any { return map[string]any{"content": c, "matter": nil} }

		t.Run("refuse, then close the refusal (002 §5; 004 §10)", func(t *testing.T) {
			a := item(t, "13800000001", content("楼下餐馆油烟直排，熏得家里无法开窗，请处理。"))
			ok(t, "office", a.ID, `{"action":"refuse","payload":{"refusal":{"code":"out_of_scope","explanation":"不属于本级事权","redirect":"区生态环境局"}}}`)
			ok(t, "office", a.ID, closeAction)
		})
		t.Run("archive a city item (000 §4 (一))", func(t *testing.T) {
			b := item(t, "13800000002", content("建议在友谊路增设一处共享单车停放点，方便居民出行。"))
			ok(t, "office", b.ID, `{"action":"archive","payload":{"refusal":{"code":"general_suggestion","explanation":"按一般意见建议归档"}}}`)
		})
		t.Run("return a 国办 item upstream (000 §4 (一))", func(t *testing.T) {
			extra := content("国办转来：反映外省某地的企业欠薪问题，要求协调解决。")
			extra["channel"], extra["upstream"] = "state_council", "GOV-1"
			c := item(t, "13800000003", extra)
			ok(t, "office", c.ID, `{"action":"return_upstream","payload":{"refusal":{"code":"outside_remit","explanation":"超出本市事权范围"}}}`)
			rec := s.act(t, "office", c.ID, `{"action":"archive","payload":{"refusal":{"code":"x"}}}`)
			assert.Equal(t, http.StatusConflict, rec.Code, "returned upstream is final")
		})
		t.Run("answer at once, check, close as stored (002 §6 (二) 1 (1); 004 §8 (三))", func(t *testing.T) {
			d := item(t, "13800000004", content("咨询：小区加装电梯的补贴政策在哪里申请？"))
			ok(t, "office", d.ID, `{"action":"answer","payload":{"reply":{"report":"按政策当场答复","summary":"补贴向街道社区事务受理中心申请","outcome":"settled"}}}`)
			ok(t, "office", d.ID, `{"action":"pass_quality_check"}`)
			ok(t, "office", d.ID, `{"action":"close_stored","reason":"历史已有定论","payload":{"closure":{"approver":"区热线办"}}}`)
		})
		t.Run("the whole handling path of a complex matter", func(t *testing.T) {
			e := item(t, "13800000005", map[string]any{"complexity": "complex"})
			ok(t, "office", e.ID, firstContact) // the street office contacts first (004 §8 (一))
			ok(t, "office", e.ID, `{"action":"dispatch","payload":{"dispatch":{"lead":"yy-cyzx","dispatch_mode":"statutory","complexity":"complex"}}}`)
			s.at("2026-11-23 11:00")
			ok(t, "yy-cyzx", e.ID, `{"action":"return","payload":{"return":{"suggested_unit":"yy-sqglb","basis":"属社区治理"}}}`)
			rec := s.act(t, "office", e.ID, `{"action":"designate","payload":{"dispatch":{"lead":"yy-sqglb","dispatch_mode":"designated"}}}`)
			assert.Equal(t, http.StatusForbidden, rec.Code, "the office does not designate as itself (004 §6)")
			assert.Equal(t, "role_not_allowed", problemCode(t, rec))
			r := ok(t, "office", e.ID, `{"action":"designate","on_behalf_of":{"actor":"街道分管领导","role":"leader"},"payload":{"dispatch":{"lead":"yy-sqglb","dispatch_mode":"designated"}}}`)
			assert.Equal(t, "街道分管领导", r.Event.Actor)
			ok(t, "yy-sqglb", e.ID, firstContact)
			s.at("2026-11-27 10:00")
			ok(t, "yy-sqglb", e.ID, `{"action":"request_extension","payload":{"extension":{"days":20,"explanation":"涉及多部门协调","written_report":"关于延期办理的书面报告"}}}`)
			ok(t, "office", e.ID, `{"action":"escalate_extension","payload":{"approval":{"approver":"街道热线办"}}}`)
			ok(t, "office", e.ID, `{"action":"escalate_extension","on_behalf_of":{"actor":"区热线办","role":"upper_office"},"payload":{"approval":{"approver":"区热线办"}}}`)
			ok(t, "office", e.ID, `{"action":"approve_extension","on_behalf_of":{"actor":"市热线办","role":"upper_office"},"payload":{"approval":{"approver":"市热线办"}}}`)
			ok(t, "super", e.ID, `{"action":"supervise","payload":{"supervision":{"trigger":"unresolved"}}}`)
			later := item(t, "13800000008", content("楼下工地的噪声问题还是没有解决，请再处理。"))
			ok(t, "office", e.ID, `{"action":"mark_repeat","payload":{"repeat":{"of":"`+later.Number+`"}}}`)
			s.at("2027-01-05 10:00") // past the extended reply deadline: urging is allowed (002 §6 (二) 1 (6))
			assert.Contains(t, s.ticket(t, "super", e.ID).AllowedActions, ticket.ActionUrge)
			ok(t, "super", e.ID, `{"action":"urge"}`)
			ok(t, "yy-sqglb", e.ID, replyBody(""))
			ok(t, "office", e.ID, `{"action":"fail_quality_check","reason":"答复要点与诉求不符"}`)
			ok(t, "yy-sqglb", e.ID, replyBody(""))
			ok(t, "office", e.ID, `{"action":"pass_quality_check"}`)
			ok(t, "office", e.ID, callbackDissatisfied)
			ok(t, "office", e.ID, `{"action":"reopen"}`)
			ok(t, "yy-sqglb", e.ID, replyBody("社区管理办分管领导"))
			ok(t, "office", e.ID, `{"action":"pass_quality_check"}`)
			ok(t, "office", e.ID, callbackSatisfied)
			ok(t, "office", e.ID, closeAction)
			v := s.ticket(t, "office", e.ID)
			assert.Equal(t, ticket.StateClosed, v.Ticket.State)
			assert.Equal(t, 1, v.Ticket.Counters.Returns)
			assert.Equal(t, 1, v.Ticket.Counters.Urgings)
			assert.Equal(t, 1, v.Ticket.Counters.Extensions)
		})
		t.Run("refuse an extension (004 §9)", func(t *testing.T) {
			s.at("2026-11-23 09:00")
			f := item(t, "13800000006", content("小区绿化带被占用停车，请处理。"))
			ok(t, "office", f.ID, `{"action":"dispatch","payload":{"dispatch":{"lead":"yy-cyzx","dispatch_mode":"statutory","complexity":"general"}}}`)
			ok(t, "yy-cyzx", f.ID, firstContact)
			ok(t, "yy-cyzx", f.ID, `{"action":"request_extension","payload":{"extension":{"days":10,"explanation":"需现场核实"}}}`)
			rec := s.act(t, "office", f.ID, `{"action":"refuse_extension","payload":{"approval":{"approver":"街道热线办"}}}`)
			assert.Equal(t, http.StatusUnprocessableEntity, rec.Code, "a refusal says why")
			ok(t, "office", f.ID, `{"action":"refuse_extension","reason":"理由不充分","payload":{"approval":{"approver":"街道热线办"}}}`)
		})
		t.Run("close a bad review as unfounded (000 §6 (二))", func(t *testing.T) {
			extra := content("差评：窗口工作人员态度差，办事效率低。")
			extra["channel"], extra["kind"] = "bad_review", "review"
			g := item(t, "13800000007", extra)
			ok(t, "office", g.ID, `{"action":"dispatch","payload":{"dispatch":{"lead":"yy-cyzx","dispatch_mode":"statutory"}}}`)
			ok(t, "yy-cyzx", g.ID, firstContact)
			ok(t, "yy-cyzx", g.ID, `{"action":"close_unfounded","payload":{"appeal_review":{"appeal":"A-1","review":"R-1","reviewer":"宝山区政务服务办","level":"district"}}}`)
		})

		var missing []ticket.Action
		for _, a := range ticket.Actions() {
			if !done[a] {
				missing = append(missing, a)
			}
		}
		assert.Empty(t, missing, "every action of ticket.Lifecycle() is applied over HTTP")
	})
}

// TestActionRefusals: a bad action body is a problem naming the field; an action the role may not
// take, or the state does not allow, names state and action; another unit's ticket does not exist.
func TestActionRefusals(t *testing.T) {
	s := newScene(t, storetest.SQLite(t), false)
	ans, _ := s.intake(t, "office", noiseItem("13812345678", nil), http.StatusCreated)
	tests := []struct {
		name, who, body, code, field string
		status                       int
	}{
		{"unknown action", "office", `{"action":"teleport"}`, "malformed_json", "action", 400},
		{"unknown payload field", "office", `{"action":"dispatch","payload":{"dispatch":{"lead":"x","colour":"red"}}}`, "malformed_json", "payload.dispatch.colour", 400},
		{"no action", "office", `{"reason":"x"}`, "missing_field", "action", 422},
		{"payload missing", "office", `{"action":"dispatch"}`, "missing_field", "", 422},
		{"a payload the action does not take", "office", `{"action":"dispatch","payload":{"dispatch":{"lead":"yy-cyzx","dispatch_mode":"statutory"},"reply":{"report":"x","summary":"y","outcome":"resolved"}}}`, "missing_field", "", 422},
		{"a role the action does not allow", "super", `{"action":"dispatch","payload":{"dispatch":{"lead":"yy-cyzx","dispatch_mode":"statutory"}}}`, "role_not_allowed", "", 403},
		{"not in this state", "office", `{"action":"reopen"}`, "illegal_transition", "", 409},
		{"on behalf of a role that has credentials", "office", `{"action":"dispatch","on_behalf_of":{"actor":"x","role":"hotline_office"},"payload":{"dispatch":{"lead":"yy-cyzx","dispatch_mode":"statutory"}}}`, "invalid_payload", "on_behalf_of.role", 422},
		{"on behalf of nobody", "office", `{"action":"designate","on_behalf_of":{"actor":" ","role":"leader"},"payload":{"dispatch":{"lead":"yy-cyzx"}}}`, "missing_field", "on_behalf_of.actor", 422},
		{"a unit records nothing on behalf", "yy-cyzx", `{"action":"designate","on_behalf_of":{"actor":"领导","role":"leader"},"payload":{"dispatch":{"lead":"yy-cyzx"}}}`, "forbidden", "", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := s.on(t).send(http.MethodPost, "/v1/tickets/"+ans.ID+"/actions", tt.body,
				"Authorization", s.keys[tt.who], "If-Match", `"1"`)
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			p := problemOf(t, rec.Body.Bytes())
			assert.Equal(t, tt.code, p.Code)
			assert.Equal(t, tt.field, p.Field)
		})
	}
	t.Run("the state and the action are named", func(t *testing.T) {
		rec := s.on(t).send(http.MethodPost, "/v1/tickets/"+ans.ID+"/actions", `{"action":"reopen"}`,
			"Authorization", s.keys["office"], "If-Match", `"1"`)
		p := problemOf(t, rec.Body.Bytes())
		assert.Contains(t, p.Detail, "received")
		assert.Contains(t, p.Detail, "reopen")
		assert.NotContains(t, rec.Body.String(), "13812345678")
	})
	t.Run("an auditor sees no allowed action", func(t *testing.T) {
		v := s.ticket(t, "super", ans.ID)
		assert.True(t, v.Masked)
		assert.Equal(t, []ticket.Action{ticket.ActionSupervise}, v.AllowedActions)
		assert.NotContains(t, s.on(t).get("/v1/tickets/"+ans.ID, "Authorization", s.keys["super"]).Body.String(), "13812345678")
	})
	t.Run("dispatch refusals name the field", func(t *testing.T) {
		for _, tt := range []struct{ body, field string }{
			{`{"designation":{"lead":"yy-gov"}}`, "designation.by"},
			{`{"designation":{"by":"领导"}}`, "designation.lead"},
			{`{"complexity":"huge"}`, "complexity"},
			{`{"upheld":"yy-cyzx"}`, "upheld"},
		} {
			rec := s.on(t).send(http.MethodPost, "/v1/tickets/"+ans.ID+"/dispatch", tt.body,
				"Authorization", s.keys["office"], "If-Match", `"1"`)
			assert.Less(t, rec.Code, 500)
			assert.GreaterOrEqual(t, rec.Code, 400, tt.body)
			assert.Equal(t, tt.field, problemOf(t, rec.Body.Bytes()).Field, tt.body)
		}
	})
	t.Run("without a directory the dispatch is left to the office", func(t *testing.T) {
		rec := s.on(t).send(http.MethodPost, "/v1/tickets/"+ans.ID+"/dispatch", `{}`,
			"Authorization", s.keys["office"], "If-Match", `"1"`)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var d server.DispatchResponse
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &d))
		assert.Equal(t, loop.StatusManual, d.Dispatch.Status)
		assert.Equal(t, int64(1), d.Version)
		assert.Empty(t, d.Events)
	})
}

// A ticket recorded under another deadline policy than the server's machine is still read, without
// clocks or allowed actions (the machine can neither time nor change it), and refused if acted on.
func TestTicketUnderAnotherPolicy(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.DSN(t, storetest.LegSQLite)
	street, err := store.Open(ctx, dsn, storetest.DefaultOptions())
	require.NoError(t, err)
	defer street.Close()
	s := newScene(t, street, false)
	ans, _ := s.intake(t, "office", noiseItem("13812345678", nil), http.StatusCreated)
	require.NotEmpty(t, ans.Ticket.Clocks)

	oneNet, err := store.Open(ctx, dsn, machineOptions(t, deadline.ShanghaiOneNet(), ticket.Shanghai()))
	require.NoError(t, err)
	defer oneNet.Close()
	h, err := server.New(server.Deps{Store: oneNet, Calendar: deadline.China(), Now: s.clock})
	require.NoError(t, err)
	c := &client{t: t, h: h}
	rec := c.get("/v1/tickets/"+ans.ID, "Authorization", s.keys["office"])
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var v server.TicketResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &v))
	assert.Empty(t, v.Clocks)
	assert.Empty(t, v.AllowedActions)
	rec = c.send(http.MethodPost, "/v1/tickets/"+ans.ID+"/actions", firstContact, "Authorization", s.keys["office"], "If-Match", `"1"`)
	assert.Equal(t, http.StatusConflict, rec.Code)
	assert.Equal(t, "policy_mismatch", problemCode(t, rec))
}
