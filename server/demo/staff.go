package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hotline12345/hotline/server/store"
)

// StaffPassword is the password of every demo staff account. The demo is for trying the server on
// one's own machine, never for production: the password is printed with the accounts.
const StaffPassword = "hotline-demo-2026"

// Account is one demo staff account: the user name to sign in to the pages with, the person's name,
// the role and unit.
type Account struct {
	Username, Name string
	Role           store.Role
	Unit           string
	Label          string // the role's label, Chinese
}

// Accounts are the demo's staff accounts, one per role of [KeyRoles], in the same order.
func Accounts() []Account {
	names := map[store.Role][2]string{
		store.RoleHotlineOffice: {"office", "王热线"},
		store.RoleHandlingUnit:  {"fgb", "李承办"},
		store.RoleSupervisor:    {"dzb", "赵督办"},
		store.RoleAuditor:       {"audit", "钱审计"},
		store.RoleAdmin:         {"admin", "孙管理"},
	}
	var out []Account
	for _, kr := range KeyRoles() {
		n := names[kr.Role]
		out = append(out, Account{Username: n[0], Name: n[1], Role: kr.Role, Unit: kr.Unit, Label: kr.Label})
	}
	return out
}

// StaffAccounts creates the demo's staff accounts with [StaffPassword], keeping those that exist
// already (a second run adds nothing). fresh reports whether any was created.
func StaffAccounts(ctx context.Context, st *store.Store, now time.Time) (accounts []Account, fresh bool, err error) {
	admin := store.Principal{Actor: "demo:admin", Unit: AdminUnit, Role: store.RoleAdmin}
	for _, a := range Accounts() {
		_, err := st.CreateStaff(ctx, admin, store.NewStaff{Username: a.Username, Name: a.Name, Unit: a.Unit, Role: a.Role,
			Password: StaffPassword}, now)
		switch {
		case errors.Is(err, store.ErrDuplicate):
		case err != nil:
			return nil, false, fmt.Errorf("demo: staff account %s: %w", a.Username, err)
		default:
			fresh = true
		}
		accounts = append(accounts, a)
	}
	return accounts, fresh, nil
}
