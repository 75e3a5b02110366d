package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/ledger"
	"github.com/hotline12345/hotline/server/ledger/ledgertest"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/ticket"
)

// ledgerFixture stores three tickets through the API: a complaint dispatched to unit-a, a 办不成事
// case at the offline window and a help request, and returns their ids.
func ledgerFixture(t *testing.T, f fixture, k keys) []string {
	t.Helper()
	var ids []string
	for _, body := range []string{
		intakeBody,
		strings.NewReplacer(`"channel":"phone"`, `"channel":"window_offline"`, `"kind":"complaint"`, `"kind":"errand"`,
			"工地夜间施工噪声", "营业执照变更办不成").Replace(intakeBody),
		strings.NewReplacer(`"kind":"complaint"`, `"kind":"help_request"`, "13812345678", "13900001111", "张三", "李四",
			"工地夜间施工噪声", "=路灯不亮").Replace(intakeBody),
	} {
		rec := f.send(http.MethodPost, "/v1/tickets", body, "Authorization", k["office"])
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		var res server.IntakeResponse
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &res))
		ids = append(ids, res.ID)
	}
	// The later intakes of the same caller may have marked the first a repeat (004 §12): act on its
	// current version.
	etag := f.get("/v1/tickets/"+ids[0], "Authorization", k["office"]).Header().Get("ETag")
	require.NotEmpty(t, etag)
	rec := f.send(http.MethodPost, "/v1/tickets/"+ids[0]+"/actions",
		`{"action":"dispatch","payload":{"dispatch":{"lead":"unit-a","dispatch_mode":"statutory"}}}`,
		"Authorization", k["office"], "If-Match", etag)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	return ids
}

// The ticket ledger and the 办不成事 ledger download as XLSX and CSV, read back cell by cell against
// the tickets (004 §14; 003 六 (五), 七 (二)); identities are masked for a supervisor (000 第十条); every
// export is audited.
func TestLedgerExports(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) { ledgerExports(t, st) })
}

func ledgerExports(t *testing.T, st *store.Store) {
	f := newServerOn(t, st)
	f.client = &client{t: t, h: f.h}
	k := seedTickets(t, st)
	ids := ledgerFixture(t, f, k)
	ctx := context.Background()
	officeP := store.Principal{Actor: "check", Unit: "office-bs", Role: store.RoleHotlineOffice}
	names := map[string]string{"office-bs": "宝山区热线办", "unit-a": "友谊路街道", "unit-b": "宝山区房管局"}

	expected := func(t *testing.T, id string, row func(*ticket.Ticket, ledger.Names, time.Time) ledger.Row, sheet ledger.Sheet) []string {
		rec, err := st.Get(ctx, officeP, id)
		require.NoError(t, err)
		tk := rec.Ticket
		tk.History = nil
		out := make([]string, len(sheet.Columns))
		for i, v := range row(tk, func(id string) string { return names[id] }, fixedNow) {
			out[i] = ledgertest.Text(v, sheet.Columns[i].Kind)
		}
		return out
	}

	t.Run("the ticket ledger as XLSX, cell by cell", func(t *testing.T) {
		rec := f.on(t).get("/v1/ledgers/tickets?month=2026-11", "Authorization", k["office"])
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.Equal(t, ledger.ContentTypeXLSX, rec.Header().Get("Content-Type"))
		assert.Contains(t, rec.Header().Get("Content-Disposition"), `filename="ledger-tickets-2026-11.xlsx"`)
		assert.Contains(t, rec.Header().Get("Content-Disposition"), "filename*=UTF-8''")
		x, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
		require.NoError(t, err)
		defer x.Close()
		rows, err := x.GetRows("工单台账")
		require.NoError(t, err)
		require.Len(t, rows, 1+len(ids))
		sheet := ledger.TicketSheet()
		for i, id := range ids {
			want := expected(t, id, ledger.TicketRow, sheet)
			got := append(rows[i+1], make([]string, len(want))...)[:len(want)]
			assert.Equal(t, want, got, "row %d", i+1)
		}
		assert.Equal(t, "13812345678", rows[1][8], "the office handles its tickets: the phone in full")
		assert.Equal(t, "友谊路街道", rows[1][11])
	})
	t.Run("the 办不成事 ledger as CSV, with the BOM, round-trips", func(t *testing.T) {
		rec := f.on(t).get("/v1/ledgers/window-cases?from=2026-11-01&to=2026-11-30&format=csv", "Authorization", k["office"])
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.Equal(t, server.ContentTypeCSV, rec.Header().Get("Content-Type"))
		body := rec.Body.Bytes()
		require.True(t, bytes.HasPrefix(body, []byte(ledger.BOM)))
		recs, err := csv.NewReader(bytes.NewReader(body[len(ledger.BOM):])).ReadAll()
		require.NoError(t, err)
		require.Len(t, recs, 2, "the header and the one window case")
		want := expected(t, ids[1], ledger.WindowRow, ledger.WindowSheet())
		for i := range want {
			want[i] = strings.ReplaceAll(ledger.Defuse(want[i]), "\r", "")
		}
		assert.Equal(t, want, recs[1])
		assert.Equal(t, "“办不成事”反映窗口(线下)", recs[1][2])
	})
	t.Run("a supervisor's ledger is masked; the office may ask for it masked", func(t *testing.T) {
		for _, tt := range []struct{ key, query string }{{"super", ""}, {"office", "&masked=true"}} {
			rec := f.on(t).get("/v1/ledgers/tickets?month=2026-11&format=csv"+tt.query, "Authorization", k[tt.key])
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			assert.NotContains(t, rec.Body.String(), "13812345678")
			assert.NotContains(t, rec.Body.String(), "13900001111")
			assert.NotContains(t, rec.Body.String(), "张三")
			assert.Contains(t, rec.Body.String(), "138****5678")
		}
	})
	t.Run("a handling unit's ledger holds its own tickets", func(t *testing.T) {
		rec := f.on(t).get("/v1/ledgers/tickets?month=2026-11&format=csv", "Authorization", k["unit-a"])
		require.Equal(t, http.StatusOK, rec.Code)
		recs, err := csv.NewReader(bytes.NewReader(rec.Body.Bytes()[len(ledger.BOM):])).ReadAll()
		require.NoError(t, err)
		require.Len(t, recs, 2)
		rec = f.on(t).get("/v1/ledgers/tickets?month=2026-11&format=csv", "Authorization", k["unit-b"])
		require.Equal(t, http.StatusOK, rec.Code)
		recs, err = csv.NewReader(bytes.NewReader(rec.Body.Bytes()[len(ledger.BOM):])).ReadAll()
		require.NoError(t, err)
		assert.Len(t, recs, 1, "only the header")
	})
	t.Run("bad parameters are problems naming them", func(t *testing.T) {
		for _, tt := range []struct{ query, field string }{
			{"", "month"}, {"month=2026-13", "month"}, {"month=2026-11&from=2026-11-01", "month"},
			{"from=2026-11-30&to=2026-11-01", "to"}, {"from=2025-01-01&to=2026-11-30", "to"}, {"from=yesterday&to=2026-11-01", "from"},
			{"month=2026-11&format=pdf", "format"}, {"month=2026-11&masked=maybe", "masked"},
			{"month=2026-11&unit=" + strings.Repeat("u", 65), "unit"},
		} {
			rec := f.on(t).get("/v1/ledgers/tickets?"+tt.query, "Authorization", k["office"])
			assert.Equal(t, http.StatusBadRequest, rec.Code, tt.query)
			assert.Equal(t, tt.field, problemOf(t, rec.Body.Bytes()).Field, tt.query)
		}
		rec := f.on(t).get("/v1/ledgers/tickets?month=2026-11")
		assert.Equal(t, http.StatusUnauthorized, rec.Code)
	})
	t.Run("every export is on the audit chain", func(t *testing.T) {
		n, err := st.DB().NewSelect().Table("audit_log").Where("action = ?", "ledger.export").Count(ctx)
		require.NoError(t, err)
		assert.Equal(t, int64(6), n, "the six exports above; refused requests exported nothing")
		require.NoError(t, st.VerifyAudit(ctx, store.Principal{Actor: "auditor", Unit: "audit", Role: store.RoleAuditor}))
	})
}
