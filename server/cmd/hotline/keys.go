package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/store"
)

const keysUsage = `Usage:
  hotline keys create -unit UNIT -role ROLE [-label TEXT] [-expires DATE | -valid DAYS] [flags]
  hotline keys list [-json] [flags]
  hotline keys revoke [flags] ID

  create  issue an API key; the key is printed once — only its hash is stored
  list    every key with its status, expiry and fingerprint, never the key
  revoke  revoke a key by its id; it is refused from then on

ROLE is hotline_office, handling_unit (UNIT must be a unit of the directory), supervisor, auditor,
admin, or system for an upstream platform. A key expires at -expires (a date, 2027-06-01, meaning 00:00 that day in Asia/Shanghai, or an
RFC 3339 instant) or -valid days after now (default 365, at most 1095). The command acts as an admin
named cli:$USER in the audit chain. No identity key is needed.

Flags:
`

// keysActor is who the command acts as in the audit chain.
func keysActor(getenv func(string) string) store.Principal {
	actor := "cli"
	if u := strings.TrimSpace(getenv("USER")); u != "" && len(u) <= 64 {
		actor = "cli:" + u
	}
	return store.Principal{Actor: actor, Role: store.RoleAdmin}
}

func keys(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, db := newFlags("keys", keysUsage, getenv, stderr)
	sub, args, err := subcommand(fs, args, stderr, "create", "list", "revoke")
	if err != nil {
		return err
	}
	var (
		unit, role, label, expires, id *string
		valid                          *int
		asJSON                         *bool
	)
	switch sub {
	case "create":
		unit = fs.String("unit", "", "the unit the key acts for")
		role = fs.String("role", "", "hotline_office, handling_unit, supervisor, auditor, admin or system")
		label = fs.String("label", "", "what the key is for")
		expires = fs.String("expires", "", "when the key stops working: a date (Asia/Shanghai) or an RFC 3339 instant")
		valid = fs.Int("valid", 0, "days the key works, from now (default 365)")
	case "list":
		asJSON = fs.Bool("json", false, "one JSON object per key instead of a table")
	case "revoke":
		id = fs.String("id", "", "the key's id (or give it as the argument)")
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if sub == "revoke" && *id == "" && fs.NArg() == 1 {
		*id = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hotline keys %s: unexpected argument %q\n", sub, fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	now := time.Now()
	var spec store.CredentialSpec
	switch sub {
	case "create":
		if *unit == "" || *role == "" {
			fmt.Fprintln(stderr, "hotline keys create: -unit and -role are required")
			fs.Usage()
			return errUsage
		}
		exp, err := keyExpiry(*expires, *valid, now)
		if err != nil {
			return fmt.Errorf("keys create: %w", err)
		}
		spec = store.CredentialSpec{Unit: *unit, Role: store.Role(*role), Label: *label, Expires: exp}
	case "revoke":
		if *id == "" {
			fmt.Fprintln(stderr, "hotline keys revoke: the key's id is required")
			fs.Usage()
			return errUsage
		}
	}

	st, err := openForKeys(ctx, *db)
	if err != nil {
		return fmt.Errorf("keys %s: %w", sub, err)
	}
	defer st.Close()
	admin := keysActor(getenv)
	switch sub {
	case "create":
		c, secret, err := st.IssueCredential(ctx, admin, spec, now)
		if err != nil {
			return fmt.Errorf("keys create: %w", err)
		}
		w := tabwriter.NewWriter(stdout, 0, 0, 1, ' ', 0)
		fmt.Fprintf(w, "id:\t%s\nunit:\t%s\nrole:\t%s\nlabel:\t%s\nexpires:\t%s\nfingerprint:\t%s\nkey:\t%s\n",
			c.ID, c.Unit, c.Role, c.Label, c.Expires.In(deadline.Location()).Format(time.RFC3339), c.Fingerprint, secret)
		if err := w.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(stderr, "hotline: the key is shown once; only its hash is stored. Send it as: Authorization: Bearer <key>")
	case "list":
		creds, err := st.Credentials(ctx, admin)
		if err != nil {
			return fmt.Errorf("keys list: %w", err)
		}
		return writeKeys(stdout, creds, now, *asJSON)
	case "revoke":
		if err := st.RevokeCredential(ctx, admin, *id, now); err != nil {
			return fmt.Errorf("keys revoke: %w", err)
		}
		fmt.Fprintf(stdout, "revoked %s\n", *id)
	}
	return nil
}

// keyExpiry reads -expires or -valid: at most one of them; neither means a year.
func keyExpiry(expires string, valid int, now time.Time) (time.Time, error) {
	switch {
	case expires != "" && valid != 0:
		return time.Time{}, errors.New("give -expires or -valid, not both")
	case valid < 0:
		return time.Time{}, errors.New("-valid: a number of days ≥ 1")
	case valid > 0:
		return now.AddDate(0, 0, valid), nil
	case expires == "":
		return now.Add(store.DefaultCredentialLifetime), nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, expires, deadline.Location()); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, expires)
	if err != nil {
		return time.Time{}, fmt.Errorf("-expires %s: want a date such as 2027-06-01 or an RFC 3339 instant", strconv.Quote(expires))
	}
	return t, nil
}

// openForKeys opens the database without the identity key (credentials hold no identity); an
// embedded SQLite file is migrated, PostgreSQL and MySQL must be at head (hotline migrate up).
func openForKeys(ctx context.Context, dsn string) (*store.Store, error) {
	st, err := store.Open(ctx, dsn, store.Options{WithoutKeys: true})
	if err != nil {
		return nil, err
	}
	pending, err := st.Pending(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	if len(pending) > 0 {
		st.Close()
		return nil, fmt.Errorf("%d migrations pending: run hotline migrate up first", len(pending))
	}
	return st, nil
}

// keyLine is one key as keys list -json writes it.
type keyLine struct {
	store.Credential
	Status string `json:"status"`
}

func writeKeys(w io.Writer, creds []store.Credential, now time.Time, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, c := range creds {
			if err := enc.Encode(keyLine{Credential: c, Status: c.Status(now)}); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUNIT\tROLE\tSTATUS\tEXPIRES\tFINGERPRINT\tLABEL")
	for _, c := range creds {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Unit, c.Role, c.Status(now),
			c.Expires.In(deadline.Location()).Format("2006-01-02 15:04"), c.Fingerprint, c.Label)
	}
	return tw.Flush()
}
