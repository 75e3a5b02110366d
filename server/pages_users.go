package server

import (
	"net/http"
	"strings"

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
	data := map[string]any{"Users": rows, "Roles": roles, "MinPassword": store.MinPasswordLength,
		"Units": unitOptions(dir, "", "", func(routing.Unit) bool { return true })}
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
