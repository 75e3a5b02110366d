package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/store"
)

// The admin's page of staff accounts (store.CreateStaff, store.StaffAccounts): the accounts and a
// form to create one. The command "hotline users" does the same from a shell, and sets TOTP secrets.

type userRow struct {
	Username, Name, Unit, Role, Status string
	TOTP                               bool
}

func (s *server) usersPage(c echo.Context) error { return s.renderUsers(c, http.StatusOK, "", "") }

func (s *server) renderUsers(c echo.Context, status int, notice, errMsg string) error {
	ctx := c.Request().Context()
	list, err := s.store.StaffAccounts(ctx, staffOf(c).Principal())
	if err != nil {
		return err
	}
	dir, err := s.directory(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	var rows []userRow
	for _, u := range list {
		st := "正常"
		switch {
		case u.Disabled:
			st = "已停用"
		case now.Before(u.LockedUntil):
			st = "已锁定"
		}
		name := u.Unit
		if un, ok := dir.Unit(u.Unit); ok {
			name = un.Name
		}
		rows = append(rows, userRow{Username: u.Username, Name: u.Name, Unit: name, Role: roleLabels[u.Role], Status: st, TOTP: u.TOTP})
	}
	var roles []option
	for _, r := range []store.Role{store.RoleHotlineOffice, store.RoleHandlingUnit, store.RoleSupervisor, store.RoleAuditor, store.RoleAdmin} {
		roles = append(roles, option{Value: string(r), Label: roleLabels[r]})
	}
	displays, err := s.displayKeys(c)
	if err != nil {
		return err
	}
	var keys []displayKeyRow
	for _, k := range displays {
		name := k.Unit
		if un, ok := dir.Unit(k.Unit); ok {
			name = un.Name
		}
		st := map[string]string{store.CredentialActive: "有效", store.CredentialExpired: "已过期", store.CredentialRevoked: "已撤销"}[k.Status(now)]
		keys = append(keys, displayKeyRow{ID: k.ID, Label: k.Label, Unit: name, Fingerprint: k.Fingerprint, Expires: k.Expires,
			Status: st, Active: k.Status(now) == store.CredentialActive})
	}
	data := map[string]any{"Users": rows, "Roles": roles, "MinPassword": store.MinPasswordLength,
		"Units": unitOptions(dir, "", "", func(routing.Unit) bool { return true }), "DisplayKeys": keys,
		"MaxDisplayDays": maxDisplayDays}
	return s.render(c, status, "users", view{Title: "账号管理", Nav: "users", Notice: notice, Error: errMsg, Data: data})
}

func (s *server) createUserPage(c echo.Context) error {
	n := store.NewStaff{Username: strings.TrimSpace(c.FormValue("username")), Name: strings.TrimSpace(c.FormValue("name")),
		Unit: c.FormValue("unit"), Role: store.Role(c.FormValue("role")), Password: c.FormValue("password")}
	u, err := s.store.CreateStaff(c.Request().Context(), staffOf(c).Principal(), n, s.now())
	if err != nil {
		p, _ := problemOf(err)
		if p.Status >= 500 {
			return err
		}
		msg := "无法新建账号：用户名、姓名、角色或密码不符合要求（密码至少 10 个字符）。"
		if p.Code == "duplicate" {
			msg = "用户名已存在。"
		}
		return s.renderUsers(c, p.Status, "", msg)
	}
	return s.renderUsers(c, http.StatusCreated, "已新建账号 "+u.Username+"。", "")
}

// The big screen's display keys (store.RoleDisplay; see displayOrStaff): the admin issues one for an
// office's wall display, sees its address once, and revokes it here — as "hotline keys create -role
// display" and "hotline keys revoke" do from a shell.

// maxDisplayDays bounds a display key's validity chosen on the page.
const maxDisplayDays = 366

type displayKeyRow struct {
	ID, Label, Unit, Fingerprint, Status string
	Expires                              time.Time
	Active                               bool
}

// displayKeys lists the display keys (the admin's key list, display keys only).
func (s *server) displayKeys(c echo.Context) ([]store.Credential, error) {
	all, err := s.store.Credentials(c.Request().Context(), staffOf(c).Principal())
	if err != nil {
		return nil, err
	}
	var out []store.Credential
	for _, k := range all {
		if k.Role == store.RoleDisplay {
			out = append(out, k)
		}
	}
	return out, nil
}

// issueDisplayKeyPage issues a display key and shows the screen's address with it, once.
func (s *server) issueDisplayKeyPage(c echo.Context) error {
	days, err := strconv.Atoi(c.FormValue("days"))
	if err != nil || days < 1 || days > maxDisplayDays {
		return s.renderUsers(c, http.StatusUnprocessableEntity, "", fmt.Sprintf("有效天数须为 1 到 %d 的整数。", maxDisplayDays))
	}
	now := s.now()
	cred, key, err := s.store.IssueCredential(c.Request().Context(), staffOf(c).Principal(), store.CredentialSpec{
		Unit: c.FormValue("unit"), Role: store.RoleDisplay, Label: strings.TrimSpace(c.FormValue("label")),
		Expires: now.AddDate(0, 0, days)}, now)
	if err != nil {
		p, _ := problemOf(err)
		if p.Status >= 500 {
			return err
		}
		return s.renderUsers(c, p.Status, "", "无法签发大屏令牌：请选择目录中的单位，说明不超过 255 字节。")
	}
	addr := c.Scheme() + "://" + c.Request().Host + "/screen?display=" + key
	return s.renderUsers(c, http.StatusCreated, "已签发大屏令牌 "+cred.Fingerprint+"。请在大屏的浏览器中打开以下地址一次（仅显示这一次，请勿外传）："+addr, "")
}

// revokeDisplayKeyPage revokes one display key (and no other key: API keys are revoked elsewhere).
func (s *server) revokeDisplayKeyPage(c echo.Context) error {
	keys, err := s.displayKeys(c)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if k.ID == c.Param("id") {
			if err := s.store.RevokeCredential(c.Request().Context(), staffOf(c).Principal(), k.ID, s.now()); err != nil {
				return err
			}
			return s.renderUsers(c, http.StatusOK, "已撤销大屏令牌 "+k.Fingerprint+"，该大屏将显示“令牌无效”。", "")
		}
	}
	return fmt.Errorf("%w: display key %s", store.ErrNotFound, c.Param("id"))
}
