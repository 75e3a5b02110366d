package server_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/screen"
)

// stateCouncilItem is a 国办 item (国务院 platform, 国办转办) with its upstream number, placed at region.
func stateCouncilItem(upstream, region, content string) string {
	return noiseItem("13812345678", map[string]any{"channel": "state_council", "upstream": upstream, "content": content,
		"place": map[string]any{"region_code": region, "address": "事发地"}})
}

// TestScenarioStateCouncilOutsideRemit walks 000 §4 (一) for a 国办 item whose matter lies outside
// the remit: 超出本市事权范围……的事项，5个工作日内退回国务院办公厅相应的投诉建议系统. No hotline office
// can take it in (the place is outside every office's jurisdiction), so the receiving platform's
// system key takes it in, and the office's return upstream is recorded on the office's behalf at
// once, with the reason and the citizen's message, inside the 5-working-day window. A 国办 item
// within the remit is dispatched as any other and its conclusion report needs the unit's leader's
// review (000 §4 (三): 办结报告经本单位分管领导审核盖章).
func TestScenarioStateCouncilOutsideRemit(t *testing.T) {
	storetest.EachDialectWith(t, machineOptions(t, deadline.StateCouncilForwarded(), ticket.Shanghai()), func(t *testing.T, st *store.Store) {
		s := newScene(t, st, true)
		beijing := stateCouncilItem("GOV-20261123-0101", "110105", "国办转来：北京市朝阳区某小区物业问题。")

		rec := s.on(t).send(http.MethodPost, "/v1/tickets", beijing, "Authorization", s.keys["office"])
		assert.Equal(t, http.StatusForbidden, rec.Code, "an office takes in only its jurisdiction")

		ans, _ := s.intake(t, "gateway", beijing, http.StatusCreated)
		assert.True(t, ans.Stored)
		assert.Equal(t, screen.ReturnUpstream, ans.Screening.Outcome)
		require.NotEmpty(t, ans.Screening.Reasons)
		assert.Equal(t, screen.ReasonOutsideRemit, ans.Screening.Reasons[0].Code)
		assert.Equal(t, loop.StatusScreenedOut, ans.Dispatch.Status)
		assert.NotContains(t, ans.Dispatch.Reason, "left to the hotline office")
		assert.Equal(t, int64(2), ans.Version, "accepted and returned upstream in the one intake")
		require.NotNil(t, ans.Ticket)
		tk := ans.Ticket.Ticket
		assert.Equal(t, ticket.StateReturnedUpstream, tk.State)
		require.NotNil(t, tk.Refusal)
		assert.Equal(t, screen.ReasonOutsideRemit, tk.Refusal.Code, "the reason recorded with the return")
		assert.Equal(t, screen.Shanghai().OutsideRemitMessage, tk.Refusal.Explanation, "what the citizen is told")
		last := tk.History[len(tk.History)-1]
		assert.Equal(t, ticket.ActionReturnUpstream, last.Action)
		assert.Equal(t, ticket.RoleHotlineOffice, last.Role, "the office's decision, recorded by the platform")
		up := clockOf(t, *ans.Ticket, "upstream")
		assert.Equal(t, deadline.ReturnUpstream, up.Key)
		assert.WithinDuration(t, when("2026-12-01 00:00"), up.Due.At, 0, "5 working days from receipt (000 §4 (一))")
		assert.Equal(t, deadline.DoneInTime, up.State, "returned at once, within the window")
		assert.Empty(t, ans.Ticket.AllowedActions, "nothing is left to anyone")
		assert.Equal(t, ticket.StateReturnedUpstream, s.ticket(t, "super", ans.ID).Ticket.State, "on the record for supervision")

		t.Run("the same upstream number again is a duplicate", func(t *testing.T) {
			rec := s.on(t).send(http.MethodPost, "/v1/tickets", beijing, "Authorization", s.keys["gateway"])
			assert.Equal(t, http.StatusConflict, rec.Code)
			assert.Equal(t, "duplicate", problemCode(t, rec))
		})

		t.Run("within the remit it is dispatched and its report reviewed by the unit's leader", func(t *testing.T) {
			ans, _ := s.intake(t, "gateway", stateCouncilItem("GOV-20261123-0102", "310113003001",
				"国办转来：宝钢一村旁工地连续多晚施工到凌晨，噪声扰民。"), http.StatusCreated)
			assert.Equal(t, screen.Accept, ans.Screening.Outcome)
			assert.Equal(t, loop.StatusDispatched, ans.Dispatch.Status)
			require.NotNil(t, ans.Ticket)
			assert.Equal(t, "yy-cyzx", ans.Ticket.Ticket.Assignment.Lead)
			assert.True(t, ans.Ticket.Ticket.Channel.StateCouncil())
			capClock := clockOf(t, *ans.Ticket, "cap")
			assert.Equal(t, deadline.ReplyCap, capClock.Key, "a general 国办 item at most 25 working days (000 §5)")
			for _, c := range ans.Ticket.Clocks {
				assert.NotEqual(t, "upstream", c.Stage, "kept: the return-upstream window no longer applies")
			}
			s.at("2026-11-24 10:00")
			s.must(t, "yy-cyzx", ans.ID, firstContact)
			rec := s.act(t, "yy-cyzx", ans.ID, replyBody(""))
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
			assert.Contains(t, problemOf(t, rec.Body.Bytes()).Detail, "reply.reviewed_by", "000 §4 (三) 分管领导审核盖章")
			rec = s.act(t, "yy-cyzx", ans.ID, replyBody("城运中心分管副主任 李四"))
			require.Equal(t, http.StatusConflict, rec.Code, "000 §4 (三): 审核文档以附件上传 — the stamped report first")
			assert.Equal(t, "attachment_required", problemCode(t, rec))
			rec = s.on(t).upload("/v1/tickets/"+ans.ID+"/attachments?purpose=stamped_report&name=report.pdf",
				pdfFile("办结报告（盖章）"), "Authorization", s.keys["yy-cyzx"])
			require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
			s.must(t, "yy-cyzx", ans.ID, replyBody("城运中心分管副主任 李四"))
			v := s.ticket(t, "office", ans.ID)
			assert.Equal(t, ticket.StateReplied, v.Ticket.State)
			assert.Equal(t, "城运中心分管副主任 李四", v.Ticket.Reply.ReviewedBy)
		})
	})
}

// TestScenarioStateCouncilOutsideDistrict: with a district's remit (the screening policy's Remit set
// to 宝山区, 310113), a 国办 item placed in another district goes back upstream the same way (000 §4
// (一)), by the platform's system key, while the district's own office could not even take it in.
func TestScenarioStateCouncilOutsideDistrict(t *testing.T) {
	storetest.EachDialectWith(t, machineOptions(t, deadline.StateCouncilForwarded(), ticket.Shanghai()), func(t *testing.T, st *store.Store) {
		p := screen.Shanghai()
		p.Remit = []string{"310113"}
		p.OutsideRemitMessage = "您反映的事项不属于宝山区事权范围，已退回。"
		s := newScene(t, st, true, func(d *server.Deps) { d.Screening = &p })
		pudong := stateCouncilItem("GOV-20261123-0201", "310115001", "国办转来：浦东新区某路段积水。")
		rec := s.on(t).send(http.MethodPost, "/v1/tickets", pudong, "Authorization", s.keys["office"])
		assert.Equal(t, http.StatusForbidden, rec.Code)
		ans, _ := s.intake(t, "gateway", pudong, http.StatusCreated)
		assert.Equal(t, ticket.StateReturnedUpstream, ans.Ticket.Ticket.State)
		assert.Equal(t, p.OutsideRemitMessage, ans.Ticket.Ticket.Refusal.Explanation)
		assert.Equal(t, deadline.DoneInTime, clockOf(t, *ans.Ticket, "upstream").State)
	})
}

// objectionJSON is a responsibility objection on ticket id suggesting unit, reviewed by the district
// supervisor (the competent department of 000 §7 (二)).
func objectionJSON(id, review, unit string) string {
	return fmt.Sprintf(`{"ticket_id":%q,"review_id":%q,"basis":"not_department","basis_text":"工地噪声扰民属社区治理，非城管执法事项",`+
		`"suggested_unit":%q,"reviewer":{"unit":"dcj","level":"district"}}`, id, review, unit)
}

// badReviewTicket posts a bad review of yy-cyzx about night-time construction noise at 宝钢一村 and
// has the office dispatch its review ticket to yy-cyzx; it returns the ticket's ID.
func badReviewTicket(t *testing.T, s *scene, reviewID string) string {
	t.Helper()
	body := fmt.Sprintf(`{"review":{"id":%q,"rating":"dissatisfied","unit":"yy-cyzx","channel":"phone","rater":"h-%s","at":"2026-11-22T18:00:00+08:00"},`+
		`"ticket":{"content":"工地夜间施工噪声投诉后仍未解决，不满意","citizen":{"name":"王五","phone":"13912345678"},`+
		`"place":{"region_code":"310113003001","address":"宝钢一村"},"matter":{"levels":[{"code":"05","label":"城市管理"},{"code":"0502","label":"施工管理"}]}}}`,
		reviewID, reviewID)
	id := postReview(t, s.client, s.keys["office"], body)
	require.NotEmpty(t, id)
	s.must(t, "office", id, `{"action":"dispatch","payload":{"dispatch":{"lead":"yy-cyzx","dispatch_mode":"statutory"}}}`)
	return id
}

// TestScenarioObjectionDesignation walks 000 §7 (二) over HTTP: unit A (城运中心) objects to a bad
// review's ticket suggesting unit B (社区管理办); the competent department upholds it and A's return
// names B; B sees the objection that names it. Either B accepts — the ticket is dispatched to B, A
// excluded — or B objects in turn: the designation is pending with the city office (由市政府办公厅指定
// 办理), and once the office records it (POST /v1/tickets/:id/dispatch with the designation) B's
// return naming the designated unit and the designation are applied together, never to A.
func TestScenarioObjectionDesignation(t *testing.T) {
	storetest.EachDialectWith(t, machineOptions(t, deadline.ShanghaiOneNet(), ticket.Shanghai()), func(t *testing.T, st *store.Store) {
		s := newScene(t, st, true)
		// objectUpheld files A's objection on ticket id and has it upheld: the ticket is returned
		// naming B; it returns the case's ID.
		objectUpheld := func(t *testing.T, id, review string) string {
			t.Helper()
			rec := s.on(t).send(http.MethodPost, "/v1/objections", objectionJSON(id, review, "yy-sqglb"), "Authorization", s.keys["yy-cyzx"])
			require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
			c := decodeAs[server.CaseResponse](t, rec)
			rec = s.on(t).get("/v1/cases/"+c.ID, "Authorization", s.keys["yy-sqglb"])
			require.Equal(t, http.StatusOK, rec.Code, "the suggested unit sees the objection that names it: %s", rec.Body.String())
			assert.NotContains(t, decodeAs[server.CaseResponse](t, rec).Allowed, appeal.ActionObject, "nothing to object to before the uphold")
			r := caseAct(t, s.client, s.keys["yy-sqglb"], c.ID, 1, `{"action":"withdraw"}`)
			assert.Equal(t, http.StatusForbidden, r.code, "only the objecting unit withdraws: %s", r.body)
			rec = s.on(t).get("/v1/cases/"+c.ID, "Authorization", s.keys["yy-gov"])
			assert.Equal(t, http.StatusOK, rec.Code, "the street above A sees A's objection")
			d := caseAct(t, s.client, s.keys["super"], c.ID, 1, `{"action":"uphold","reason":"噪声扰民属社区治理"}`).ok()
			assert.Equal(t, appeal.StateUpheld, d.Case.State)
			assert.Equal(t, []string{"yy-cyzx"}, d.Exclude)
			require.NotNil(t, d.Ticket)
			assert.Equal(t, ticket.StateReturned, d.Ticket.Events[0].To)
			return c.ID
		}

		t.Run("the suggested unit accepts", func(t *testing.T) {
			id := badReviewTicket(t, s, "R-accept")
			s.at("2026-11-24 09:00")
			caseID := objectUpheld(t, id, "R-accept")
			b := s.on(t).get("/v1/cases/"+caseID, "Authorization", s.keys["yy-sqglb"])
			require.Equal(t, http.StatusOK, b.Code)
			assert.Contains(t, decodeAs[server.CaseResponse](t, b).Allowed, appeal.ActionObject, "B may object in turn")

			d := s.dispatch(t, id, `{"upheld":["yy-cyzx"]}`)
			assert.Equal(t, loop.StatusDispatched, d.Dispatch.Status)
			require.NotNil(t, d.Dispatch.Decision)
			assert.Equal(t, "yy-sqglb", d.Dispatch.Decision.Lead, "另行转送 to the suggested unit")
			s.must(t, "yy-sqglb", id, firstContact)
			v := s.ticket(t, "yy-sqglb", id)
			assert.Equal(t, ticket.StateHandling, v.Ticket.State)
			assert.Equal(t, []string{"yy-cyzx"}, v.Ticket.Assignment.Returned)
			rec := s.on(t).get("/v1/tickets/"+id, "Authorization", s.keys["yy-cyzx"])
			assert.Equal(t, http.StatusNotFound, rec.Code, "the returning unit no longer handles it")
			s.at("2026-11-23 09:00")
		})

		t.Run("the suggested unit objects in turn and the city office designates", func(t *testing.T) {
			id := badReviewTicket(t, s, "R-object")
			s.at("2026-11-24 09:00")
			caseID := objectUpheld(t, id, "R-object")
			d := s.dispatch(t, id, `{"upheld":["yy-cyzx"]}`)
			require.Equal(t, "yy-sqglb", d.Dispatch.Decision.Lead)

			s.at("2026-11-24 14:00")
			o := caseAct(t, s.client, s.keys["yy-sqglb"], caseID, 2, `{"action":"object","basis":"not_level","reason":"属街道统筹事项，非社区管理办层级"}`).ok()
			assert.Equal(t, appeal.StateReferred, o.Case.State)
			require.NotNil(t, o.Designation, "pending with the designating authority")
			assert.Equal(t, appeal.CityOffice, o.Designation.Authority)
			assert.Equal(t, "yy-sqglb", o.Designation.Disputing)
			assert.Equal(t, []string{"yy-cyzx"}, o.Designation.Exclude)
			assert.Nil(t, o.Ticket, "nothing applied until the authority decides")
			assert.Equal(t, "yy-sqglb", s.ticket(t, "office", id).Ticket.Assignment.Lead)

			path := "/v1/tickets/" + id + "/dispatch"
			version := s.version(t, id)
			rec := s.on(t).send(http.MethodPost, path, `{"designation":{"lead":"yy-cyzx","by":"市政府办公厅"}}`,
				"Authorization", s.keys["office"], "If-Match", fmt.Sprintf(`"%d"`, version))
			assert.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
			assert.Equal(t, "effect_not_applicable", problemCode(t, rec), "the unit whose objection was upheld is excluded")
			rec = s.on(t).send(http.MethodPost, path, `{"designation":{"lead":"yy-gov","by":"市政府办公厅"}}`,
				"Authorization", s.keys["yy-sqglb"], "If-Match", fmt.Sprintf(`"%d"`, version))
			assert.Equal(t, http.StatusForbidden, rec.Code, "a unit does not record designations")
			assert.Equal(t, version, s.version(t, id), "nothing written")

			s.at("2026-11-25 10:00")
			d = s.dispatch(t, id, `{"designation":{"lead":"yy-gov","by":"市政府办公厅","reason":"职责交叉，由街道牵头"}}`)
			assert.Equal(t, loop.StatusDispatched, d.Dispatch.Status)
			require.Len(t, d.Events, 2)
			assert.Equal(t, ticket.ActionReturn, d.Events[0].Action)
			assert.Equal(t, "yy-sqglb", d.Events[0].Actor, "the disputing unit gives the ticket back")
			assert.Equal(t, ticket.ActionDesignate, d.Events[1].Action)
			assert.Equal(t, ticket.RoleLeader, d.Events[1].Role)
			assert.Equal(t, appeal.CityOffice, d.Events[1].Actor, "recorded on the authority's behalf")
			assert.Contains(t, d.Events[1].Reason, "职责交叉")
			assert.Equal(t, version+2, d.Version)

			v := s.ticket(t, "yy-gov", id)
			assert.Equal(t, "yy-gov", v.Ticket.Assignment.Lead)
			assert.Equal(t, ticket.DispatchDesignated, v.Ticket.Assignment.DispatchMode)
			assert.Equal(t, appeal.CityOffice, v.Ticket.Assignment.DesignatedBy)
			assert.Equal(t, []string{"yy-cyzx", "yy-sqglb"}, v.Ticket.Assignment.Returned)
			assert.Contains(t, v.AllowedActions, ticket.ActionFirstContact)
			for _, who := range []string{"yy-cyzx", "yy-sqglb"} {
				rec := s.on(t).get("/v1/tickets/"+id, "Authorization", s.keys[who])
				assert.Equal(t, http.StatusNotFound, rec.Code, who)
			}

			rec = s.on(t).send(http.MethodPost, path, `{"designation":{"lead":"yy-sqglb","by":"市政府办公厅"}}`,
				"Authorization", s.keys["office"], "If-Match", fmt.Sprintf(`"%d"`, d.Version))
			assert.Equal(t, http.StatusConflict, rec.Code, "designated once: the ticket is no longer with the disputing unit")
		})
	})
}

// TestCaseVisibilityFollowsHandlers: a reconsideration the hotline office files for the citizen (002
// §6 (二) 3) is the handling unit's concern: the unit handling the ticket sees it (and may follow it);
// another unit does not; a unit's own appeal stays its own.
func TestCaseVisibilityFollowsHandlers(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) {
		f := newClockServer(t, st, sh(11, 20, 9))
		k := seedCases(t, f.store)
		id := postReview(t, f.client, k["office"], reviewBody("R-v", "unit-a", "dissatisfied", sh(11, 19, 9)))
		*f.now = sh(11, 20, 10)
		dispatchTo(t, f.client, k, id, "unit-a")
		*f.now = sh(11, 23, 9)
		rec := f.send(http.MethodPost, "/v1/reconsiderations", fmt.Sprintf(`{"ticket_id":%q,"reason":"噪声仍未解决"}`, id), "Authorization", k["office"])
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		rc := decodeAs[server.CaseResponse](t, rec).ID
		rec = f.send(http.MethodPost, "/v1/appeals", appealJSON(id, "R-v"), "Authorization", k["unit-a"])
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		ap := decodeAs[server.CaseResponse](t, rec).ID

		tests := []struct {
			who, id string
			want    int
		}{
			{"unit-a", rc, http.StatusOK}, // the ticket's handling unit
			{"unit-b", rc, http.StatusNotFound},
			{"office", rc, http.StatusOK},
			{"super", rc, http.StatusOK},
			{"unit-a", ap, http.StatusOK},
			{"unit-b", ap, http.StatusNotFound},
		}
		for _, tt := range tests {
			rec := f.on(t).get("/v1/cases/"+tt.id, "Authorization", k[tt.who])
			assert.Equal(t, tt.want, rec.Code, "%s GET %s: %s", tt.who, tt.id, rec.Body.String())
		}
	})
}
