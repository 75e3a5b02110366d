package server_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/hotline12345/hotline/server/ledger"
	"github.com/hotline12345/hotline/server/store"
)

// sheetText opens a downloaded workbook with excelize and returns the cells of sheet, one line a row.
func sheetText(t *testing.T, body, sheet string) string {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	require.NoError(t, err, "the download opens with excelize")
	defer x.Close()
	rows, err := x.GetRows(sheet)
	require.NoError(t, err)
	require.NotEmpty(t, rows, "%s has its header row", sheet)
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "\t") + "\n")
	}
	return b.String()
}

// TestConsoleExports: the console's downloads are the API's ledgers and report behind the session —
// a handling unit gets its own tickets and cannot name another unit; supervisors get masked
// identities; every download is audited under the signed-in account (003 七 (二); 004 §14).
func TestConsoleExports(t *testing.T) {
	site := demoSQLite(t)
	own, other := demoTickets(t, site.sum)
	pii := citizens(t, site)
	month := pagesNow.Format("2006-01")
	unit := site.visitor(t).login(store.RoleHandlingUnit)
	office := site.visitor(t).login(store.RoleHotlineOffice)
	super := site.visitor(t).login(store.RoleSupervisor)

	p := unit.get("/console/exports")
	require.Equal(t, http.StatusOK, p.status)
	checkHTML(t, "/console/exports", p.body)
	assert.NotContains(t, p.body, `value="`+other.Lead+`"`, "the unit picks only units in its scope")

	t.Run("a unit's ticket ledger has its tickets only", func(t *testing.T) {
		p := unit.get("/console/exports/tickets?month=" + month + "&format=xlsx")
		require.Equal(t, http.StatusOK, p.status, firstLine(p.body))
		assert.Equal(t, ledger.ContentTypeXLSX, p.header.Get("Content-Type"))
		cells := sheetText(t, p.body, ledger.TicketSheet().Name)
		assert.Contains(t, cells, own.Number)
		assert.NotContains(t, cells, other.Number)
	})
	t.Run("a unit cannot export another unit's ledger or report", func(t *testing.T) {
		for _, path := range []string{
			"/console/exports/tickets?month=" + month + "&format=csv&unit=" + other.Lead,
			"/console/exports/window-cases?month=" + month + "&format=xlsx&unit=" + other.Lead,
			"/console/exports/report?month=" + month + "&format=xlsx&unit=" + other.Lead,
		} {
			p := unit.get(path)
			assert.Equal(t, http.StatusBadRequest, p.status, path)
			assert.Contains(t, p.header.Get("Content-Type"), "text/html", "the refusal is a page")
			assert.NotContains(t, p.body, other.Number, path)
		}
	})
	t.Run("the office's 办不成事 ledger as CSV and the monthly report", func(t *testing.T) {
		p := office.get("/console/exports/window-cases?month=" + month + "&format=csv")
		require.Equal(t, http.StatusOK, p.status, firstLine(p.body))
		assert.True(t, strings.HasPrefix(p.body, "\ufeff"), "UTF-8 with BOM")
		p = office.get("/console/exports/report?month=" + month + "&format=xlsx")
		require.Equal(t, http.StatusOK, p.status, firstLine(p.body))
		x, err := excelize.OpenReader(bytes.NewReader([]byte(p.body)))
		require.NoError(t, err, "the report opens with excelize")
		assert.NotEmpty(t, x.GetSheetList())
		require.NoError(t, x.Close())
		p = office.get("/console/exports/report?month=" + month + "&format=html")
		require.Equal(t, http.StatusOK, p.status, firstLine(p.body))
		assert.Contains(t, p.header.Get("Content-Type"), "text/html")
	})
	t.Run("a supervisor's ledger masks the citizens", func(t *testing.T) {
		p := super.get("/console/exports/tickets?month=" + month + "&format=csv")
		require.Equal(t, http.StatusOK, p.status, firstLine(p.body))
		for _, v := range pii {
			assert.NotContains(t, p.body, v)
		}
		assert.Empty(t, phoneOrID.FindAllString(p.body, -1))
	})
	t.Run("who may download", func(t *testing.T) {
		anon := site.visitor(t).get("/console/exports/tickets?month=" + month)
		assert.Equal(t, http.StatusSeeOther, anon.status)
		admin := site.visitor(t).login(store.RoleAdmin)
		assert.Equal(t, http.StatusForbidden, admin.get("/console/exports/tickets?month="+month).status)
		assert.Equal(t, http.StatusForbidden, admin.get("/console/exports").status)
	})
	t.Run("every download is audited under the account", func(t *testing.T) {
		ctx := context.Background()
		n, err := site.store.DB().NewSelect().Table("audit_log").Where("action = ?", "ledger.export").
			Where("actor = ?", "staff:"+account(t, store.RoleHandlingUnit).Username).Count(ctx)
		require.NoError(t, err)
		assert.Positive(t, n)
		n, err = site.store.DB().NewSelect().Table("audit_log").Where("action = ?", "report.export").Count(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 2, n, "the office's two report downloads")
	})
}
