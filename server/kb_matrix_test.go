package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/attach"
	"github.com/hotline12345/hotline/server/knowledge"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
)

// The rows of the authorisation matrix for attachments, the knowledge base and the case library.
// "own" is unit-a's ticket in 宝山区 (its attachment, its case, unit-a's library draft), "other" unit-b's
// in 浦东新区 (a library case that does not exist). Actions carry a stale If-Match.
func init() {
	matrixRows = append(matrixRows,
		matrixRow{"POST /v1/tickets/:id/attachments", kbUpload("/v1/tickets/{ticket}/attachments"),
			"anon=401 *=403 office=201,404 unit=201,404 system=201"},
		matrixRow{"GET /v1/tickets/:id/attachments", get("/v1/tickets/{ticket}/attachments"),
			"anon=401 *=200 office=200,404 unit=200,404 admin=403"},
		matrixRow{"POST /v1/cases/:id/attachments", kbUpload("/v1/cases/{case}/attachments"),
			"anon=401 *=403 office=201 unit=201,404 system=201 admin=404"},
		matrixRow{"GET /v1/cases/:id/attachments", get("/v1/cases/{case}/attachments"),
			"anon=401 *=200 unit=200,404 admin=404"},
		// Those who see a ticket masked (supervisors, auditors) do not download its files (000 第十条).
		matrixRow{"GET /v1/attachments/:id", kbDownload, "anon=401 *=403 office=200,404 unit=200,404 system=200"},
		matrixRow{"POST /v1/tickets/:id/knowledge-answer", kbStaleAnswer,
			"anon=401 *=403 office=412,404 unit=412,404 supervisor=412 system=412"},
		// The knowledge base is read by every staff member; it is kept by the unit that keeps an entry
		// (or a unit above it), the system and the admin.
		matrixRow{"GET /v1/knowledge/suggest", get("/v1/knowledge/suggest?text=%E5%B1%85%E4%BD%8F%E8%AF%81"), "anon=401 *=200"},
		matrixRow{"GET /v1/knowledge/search", get("/v1/knowledge/search?text=%E5%B1%85%E4%BD%8F%E8%AF%81"), "anon=401 *=200"},
		matrixRow{"GET /v1/knowledge/entries", get("/v1/knowledge/entries"), "anon=401 *=200"},
		matrixRow{"POST /v1/knowledge/entries", post("/v1/knowledge/entries", `{"question":"矩阵问题？","answer":"矩阵答复。"}`),
			"anon=401 *=403 office=201 unit=201 system=201 admin=201"},
		matrixRow{"GET /v1/knowledge/entries/:id", kbGet("/v1/knowledge/entries/kb-matrix"), "anon=401 *=200"},
		matrixRow{"PUT /v1/knowledge/entries/:id", kbStalePut, "anon=401 *=403 unit=412 system=412 admin=412"},
		matrixRow{"GET /v1/knowledge/entries/:id/versions", kbGet("/v1/knowledge/entries/kb-matrix/versions"), "anon=401 *=200"},
		matrixRow{"POST /v1/knowledge/import", kbImport, "anon=401 *=403 unit=200 system=200 admin=200"},
		matrixRow{"GET /v1/knowledge/export", get("/v1/knowledge/export"), "anon=401 *=200"},
		// Library cases: drafted by those who handle an eligible ticket (the matrix's are open: 409);
		// drafts read by the office, supervisors, auditors, the system and the drafting unit; reviewed by
		// the office or a supervisor.
		matrixRow{"POST /v1/library/cases", kbDraft, "anon=401 *=403 office=409,404 unit=409,404"},
		matrixRow{"GET /v1/library/cases", get("/v1/library/cases"), "anon=401 *=200"},
		matrixRow{"GET /v1/library/cases/:id", kbLibrary(""), "anon=401 *=200,404 admin=404"},
		matrixRow{"POST /v1/library/cases/:id/actions", kbLibrary(`{"action":"review"}`),
			"anon=401 *=403 office=412,404 supervisor=412,404"},
		matrixRow{"GET /v1/library/search", get("/v1/library/search?text=%E5%B1%85%E4%BD%8F%E8%AF%81"), "anon=401 *=200"},
	)
}

// kbFix is what the rows above need besides the matrix's own fixtures, made once per matrix.
type kbFix struct {
	attachment [2]string // on the own and the other ticket
	library    string    // unit-a's draft of a closed 办不成事 item
}

var kbFixtures sync.Map // *matrix → *kbFix

func (m *matrix) kb() *kbFix {
	if f, ok := kbFixtures.Load(m); ok {
		return f.(*kbFix)
	}
	ctx := context.Background()
	st := m.f.store
	office := store.Principal{Actor: "matrix-office", Unit: "office-bs", Role: store.RoleHotlineOffice}
	unitA := store.Principal{Actor: "matrix-a", Unit: "unit-a", Role: store.RoleHandlingUnit}
	unitB := store.Principal{Actor: "matrix-b", Unit: "unit-b", Role: store.RoleHandlingUnit}
	fix := &kbFix{}
	for i, p := range []store.Principal{unitA, unitB} {
		a, err := st.Attach(ctx, p, store.AttachRequest{SubjectKind: store.SubjectTicket, SubjectID: []string{m.own, m.other}[i],
			Purpose: attach.PurposeGeneral, Name: "矩阵.pdf", Body: bytes.NewReader(pdfFile("matrix " + p.Unit))}, fixedNow)
		require.NoError(m.t, err)
		fix.attachment[i] = a.ID
	}
	_, err := st.PutKnowledge(ctx, unitA, knowledge.Entry{ID: "kb-matrix", Question: "居住证怎么办理？", Answer: "到社区事务受理服务中心申办。"}, 0, fixedNow)
	require.NoError(m.t, err)

	in := ticket.Intake{Channel: ticket.ChannelWindowOffline, Kind: ticket.KindErrand, Title: "居住证办不成", Content: "窗口称缺少租赁备案。",
		Citizen: ticket.Person{Name: "赵六", Phone: "13700009999"}, Place: ticket.Place{RegionCode: "310113003"}}
	res, err := st.Intake(ctx, office, store.IntakeRequest{Intake: in}, fixedNow)
	require.NoError(m.t, err)
	for i, step := range []struct {
		p store.Principal
		r ticket.Request
	}{
		{office, ticket.Request{Action: ticket.ActionDispatch, Payload: ticket.Payload{Dispatch: &ticket.Dispatch{Lead: "unit-a", DispatchMode: ticket.DispatchStatutory}}}},
		{unitA, ticket.Request{Action: ticket.ActionFirstContact}},
		{unitA, ticket.Request{Action: ticket.ActionReply, Payload: ticket.Payload{Reply: &ticket.Reply{Report: "已办结。", Summary: "一并办理。", Outcome: ticket.OutcomeResolved}}}},
		{office, ticket.Request{Action: ticket.ActionCallback, Payload: ticket.Payload{Callback: &ticket.Callback{Contacted: true, Resolved: true,
			Result: ticket.Satisfied, Efficiency: ticket.Satisfied, Attitude: ticket.Satisfied}}}},
		{office, ticket.Request{Action: ticket.ActionClose}},
	} {
		_, err := st.Apply(ctx, step.p, res.ID, res.Version+int64(i), step.r, fixedNow)
		require.NoError(m.t, err, step.r.Action)
	}
	c, err := st.DraftCase(ctx, unitA, res.ID, fixedNow)
	require.NoError(m.t, err)
	fix.library = c.ID
	kbFixtures.Store(m, fix)
	return fix
}

// kbUpload attaches a small PDF to the ticket or case of path.
func kbUpload(path string) func(*matrix, bool) *http.Request {
	return func(m *matrix, own bool) *http.Request {
		return send(http.MethodPost, path, "application/octet-stream", string(pdfFile("matrix upload")))(m, own)
	}
}

func kbDownload(m *matrix, own bool) *http.Request {
	return httptest.NewRequest(http.MethodGet, "/v1/attachments/"+m.kb().attachment[which(own)], nil)
}

// kbGet reads path once the knowledge fixture exists.
func kbGet(path string) func(*matrix, bool) *http.Request {
	return func(m *matrix, own bool) *http.Request {
		m.kb()
		return get(path)(m, own)
	}
}

func kbStaleAnswer(m *matrix, own bool) *http.Request {
	m.kb()
	req := post("/v1/tickets/{ticket}/knowledge-answer", `{"entry":"kb-matrix"}`)(m, own)
	req.Header.Set("If-Match", `"99"`)
	return req
}

func kbStalePut(m *matrix, own bool) *http.Request {
	m.kb()
	req := send(http.MethodPut, "/v1/knowledge/entries/kb-matrix", "application/json", `{"question":"居住证怎么办理？","answer":"改了。"}`)(m, own)
	req.Header.Set("If-Match", `"99"`)
	return req
}

func kbImport(m *matrix, own bool) *http.Request {
	m.kb()
	return post("/v1/knowledge/import", `{"entries":[{"id":"kb-matrix","question":"居住证怎么办理？","answer":"到社区事务受理服务中心申办。","keeper":"unit-a"}]}`)(m, own)
}

func kbDraft(m *matrix, own bool) *http.Request {
	return post("/v1/library/cases", `{"ticket":"`+m.path("{ticket}", own)+`"}`)(m, own)
}

// kbLibrary reads (body "") or acts on (a stale If-Match) unit-a's library draft (own) or a case that
// does not exist (other).
func kbLibrary(body string) func(*matrix, bool) *http.Request {
	return func(m *matrix, own bool) *http.Request {
		id := "lc-none"
		if own {
			id = m.kb().library
		}
		if body == "" {
			return httptest.NewRequest(http.MethodGet, "/v1/library/cases/"+id, nil)
		}
		req := httptest.NewRequest(http.MethodPost, "/v1/library/cases/"+id+"/actions", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("If-Match", `"99"`)
		return req
	}
}
