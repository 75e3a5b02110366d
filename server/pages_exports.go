package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/server/store"
)

// The console's downloads (issue 14 "ledger and report downloads"; 003 七 (二) 台账, 004 §14 月通报):
// a unit's staff and the hotline office pick a period and a unit within their scope and download the
// ticket ledger and the 办不成事 ledger (XLSX, CSV) and the monthly report (XLSX, printable HTML).
//
// The download routes under /console/exports/ are the API's handlers themselves — ledgerTickets,
// ledgerWindowCases, monthlyReport — behind the session instead of an API key: the session's
// principal is the caller (signedIn sets it as authenticate does), so the scoping, the masking of
// identities by role and the audit row of each export are the API's, not a copy. A page error
// (a unit outside the caller's scope, a bad period) is shown as a page by pageErrors.

// exportsPage shows the download form.
func (s *server) exportsPage(c echo.Context) error {
	u := staffOf(c)
	_, month, err := s.monthParam(c.QueryParam("period"))
	if err != nil {
		return err
	}
	p := u.Principal()
	units, err := s.store.Units(c.Request().Context(), p)
	if err != nil {
		return err
	}
	blank := "全部单位"
	if p.Role == store.RoleHandlingUnit {
		blank = "本单位及下属单位"
	}
	opts := []option{{Value: "", Label: blank, Selected: true}}
	for _, un := range unitsInScope(units, p) {
		name := un.Name
		if name == "" {
			name = un.ID
		}
		opts = append(opts, option{Value: un.ID, Label: name})
	}
	data := map[string]any{"Month": month, "Units": opts, "Masked": p.Role == store.RoleSupervisor || p.Role == store.RoleAuditor}
	return s.render(c, http.StatusOK, "exports", view{Title: "台账与通报下载", Nav: "exports", Data: data})
}
