package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hotline12345/hotline/internal/strictjson"
	"github.com/hotline12345/hotline/server/store"
)

// HandlingUnit is the unit of the demo's handling-unit key: 宝山区房屋管理局友谊路房管办, which the
// demo gives tickets in several states, one of them dispatched and waiting for first contact.
const HandlingUnit = "yy-fgb"

// Key is one demo API key: the role and unit it acts as, the credential's id and the secret.
type Key struct {
	Role   store.Role `json:"role"`
	Unit   string     `json:"unit"`
	ID     string     `json:"id"`
	Secret string     `json:"secret"`
}

// KeyRole is a role the demo issues a key for, with the unit it acts for and labels to print.
type KeyRole struct {
	Role    store.Role
	Unit    string
	Label   string // Chinese
	English string
}

// KeyRoles are the demo's keys, one per role, in the order they are printed.
func KeyRoles() []KeyRole {
	return []KeyRole{
		{store.RoleHotlineOffice, OfficeUnit, "热线办（友谊路街道热线办）", "hotline office"},
		{store.RoleHandlingUnit, HandlingUnit, "承办单位（友谊路房管办）", "handling unit"},
		{store.RoleSupervisor, SupervisorUnit, "督办部门（街道党政办）", "supervisor"},
		{store.RoleAuditor, AuditorUnit, "审计（区热线办）", "auditor"},
		{store.RoleAdmin, AdminUnit, "管理员（街道城运中心）", "admin"},
	}
}

// Credentials returns one working API key per role of [KeyRoles]. A key of known (from an earlier
// run, read back with [ReadKeys]) that still authenticates as its role and unit is kept; the others
// are issued anew (their secrets are returned only now). fresh reports whether any key was issued.
func Credentials(ctx context.Context, st *store.Store, known []Key, now time.Time) (keys []Key, fresh bool, err error) {
	admin := store.Principal{Actor: "demo:admin", Unit: AdminUnit, Role: store.RoleAdmin}
	for _, kr := range KeyRoles() {
		var kept *Key
		for i, k := range known {
			if k.Role != kr.Role || k.Unit != kr.Unit {
				continue
			}
			p, err := st.Authenticate(ctx, k.Secret, now)
			if errors.Is(err, store.ErrForbidden) {
				continue // revoked, or from another database
			}
			if err != nil {
				return nil, false, err
			}
			if p.Role == kr.Role && p.Unit == kr.Unit {
				kept = &known[i]
				break
			}
		}
		if kept != nil {
			keys = append(keys, *kept)
			continue
		}
		id, secret, err := st.CreateCredential(ctx, admin, kr.Unit, kr.Role, "demo "+string(kr.Role), now)
		if err != nil {
			return nil, false, fmt.Errorf("demo: %s key: %w", kr.Role, err)
		}
		keys = append(keys, Key{Role: kr.Role, Unit: kr.Unit, ID: id, Secret: secret})
		fresh = true
	}
	return keys, fresh, nil
}

// MaxKeysBytes bounds a keys file.
const MaxKeysBytes = 16 << 10

// keysFile is the JSON a keys file holds.
type keysFile struct {
	Note string `json:"note"`
	Keys []Key  `json:"keys"`
}

const keysNote = "hotline demo API keys: for trying the server only, never for production"

// ReadKeys reads the keys [WriteKeys] wrote: strict JSON (at most MaxKeysBytes, no unknown,
// duplicate or case-variant keys, no trailing data), every key with a known role, a unit and a
// well-formed secret.
func ReadKeys(r io.Reader) ([]Key, error) {
	var f keysFile
	if err := strictjson.Read(r, &f, MaxKeysBytes); err != nil {
		return nil, fmt.Errorf("demo: keys file: %w", err)
	}
	for i, k := range f.Keys {
		switch {
		case !k.Role.Valid():
			return nil, fmt.Errorf("demo: keys file: key %d: unknown role %q", i+1, k.Role)
		case strings.TrimSpace(k.Unit) == "" || len(k.Unit) > 64:
			return nil, fmt.Errorf("demo: keys file: key %d: unit must be 1–64 bytes", i+1)
		case !strings.HasPrefix(k.Secret, "hlk_") || len(k.Secret) != 68:
			return nil, fmt.Errorf("demo: keys file: key %d: malformed secret", i+1)
		case len(k.ID) > 64:
			return nil, fmt.Errorf("demo: keys file: key %d: id longer than 64 bytes", i+1)
		}
	}
	return f.Keys, nil
}

// WriteKeys writes keys as JSON for [ReadKeys]. The caller makes the file readable by its owner only.
func WriteKeys(w io.Writer, keys []Key) error {
	b, err := json.MarshalIndent(keysFile{Note: keysNote, Keys: keys}, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
