package main

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/hotline12345/hotline/server/secure"
	"github.com/hotline12345/hotline/server/store"
)

// envUserPassword carries the password of "hotline users create": not a flag, which any user of the
// machine could read in the process list.
const envUserPassword = "HOTLINE_USER_PASSWORD"

const usersUsage = `Usage: hotline users create|list|totp [flags]

  create  create a staff account for the pages; the password comes from HOTLINE_USER_PASSWORD
          (at least 10 characters) and is stored only as its argon2id hash
  list    list the accounts (user name, name, unit, role, second factor, state)
  totp    give an account a new TOTP second factor (RFC 6238) and print its otpauth:// URI and
          secret for an authenticator app, once; -off removes it. Needs the identity key
          (HOTLINE_KEY or HOTLINE_KEY_FILE): the secret is sealed like a citizen's identity.

Every change is in the audit chain, by "cli:admin".

Flags:
`

// usersCmd is "hotline users create|list|totp": the staff accounts that sign in to the pages.
func usersCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, db := newFlags("users", usersUsage, getenv, stderr)
	username := fs.String("username", "", "create, totp: the user name (letters, digits, '.', '-', '_')")
	name := fs.String("name", "", "create: the person's name as the pages show it")
	unit := fs.String("unit", "", "create: the unit the account acts for (a unit id of the directory)")
	role := fs.String("role", "", "create: hotline_office, handling_unit, supervisor, auditor or admin")
	off := fs.Bool("off", false, "totp: remove the second factor instead of setting a new one")
	issuer := fs.String("issuer", "hotline", "totp: the issuer the authenticator app shows")
	sub, args, err := subcommand(fs, args, stderr, "create", "list", "totp")
	if err != nil {
		return err
	}
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	opts := store.Options{WithoutKeys: true, NoAutoMigrate: true}
	if sub == "totp" {
		keys, err := secure.LoadKeys(getenv)
		if err != nil {
			return fmt.Errorf("users totp: the identity key: %w", err)
		}
		opts = store.Options{Keys: keys, NoAutoMigrate: true}
	}
	st, err := store.Open(ctx, *db, opts)
	if err != nil {
		return fmt.Errorf("users: %w", err)
	}
	defer st.Close()
	admin := store.Principal{Actor: "cli:admin", Unit: "cli", Role: store.RoleAdmin}
	now := time.Now()
	switch sub {
	case "create":
		pw := getenv(envUserPassword)
		if pw == "" {
			return fmt.Errorf("users create: set %s to the account's password", envUserPassword)
		}
		u, err := st.CreateStaff(ctx, admin, store.NewStaff{Username: *username, Name: *name, Unit: *unit, Role: store.Role(*role),
			Password: pw}, now)
		if err != nil {
			return fmt.Errorf("users create: %w", err)
		}
		fmt.Fprintf(stdout, "created %s (%s, %s of %s)\n", u.Username, u.Name, u.Role, u.Unit)
	case "list":
		list, err := st.StaffAccounts(ctx, admin)
		if err != nil {
			return fmt.Errorf("users list: %w", err)
		}
		for _, u := range list {
			state := "active"
			switch {
			case u.Disabled:
				state = "disabled"
			case now.Before(u.LockedUntil):
				state = "locked until " + u.LockedUntil.Format(time.RFC3339)
			}
			totp := "-"
			if u.TOTP {
				totp = "totp"
			}
			fmt.Fprintf(stdout, "%-16s %-12s %-16s %-15s %-5s %s\n", u.Username, u.Name, u.Unit, u.Role, totp, state)
		}
	case "totp":
		if *username == "" {
			return errors.New("users totp: -username is required")
		}
		if *off {
			if err := st.SetStaffTOTP(ctx, admin, *username, nil, now); err != nil {
				return fmt.Errorf("users totp: %w", err)
			}
			fmt.Fprintf(stdout, "second factor removed from %s\n", *username)
			return nil
		}
		secret := make([]byte, 20)
		if _, err := rand.Read(secret); err != nil {
			return err
		}
		if err := st.SetStaffTOTP(ctx, admin, *username, secret, now); err != nil {
			return fmt.Errorf("users totp: %w", err)
		}
		b32 := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(secret)
		q := url.Values{"secret": {b32}, "issuer": {*issuer}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
		fmt.Fprintf(stdout, "otpauth://totp/%s:%s?%s\nsecret %s (shown once; the account's sessions have ended)\n",
			url.PathEscape(*issuer), url.PathEscape(*username), q.Encode(), b32)
	}
	return nil
}
