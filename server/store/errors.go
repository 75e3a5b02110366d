package store

import (
	"errors"
	"fmt"
	"strconv"
)

// The sentinels every error of this package wraps, so callers can branch with errors.Is.
var (
	// ErrBadDSN is wrapped by *DSNError: the data source name cannot be used.
	ErrBadDSN = errors.New("store: bad data source name")
	// ErrUnreachable is wrapped by *ConnectError: the database did not answer or refused the session.
	ErrUnreachable = errors.New("store: database unreachable")
	// ErrMigration is wrapped by *MigrationError: a migration failed.
	ErrMigration = errors.New("store: migration failed")
	// ErrMigrationLocked: another migrator holds the lock (or a crashed one left it; see [Store.Unlock]).
	ErrMigrationLocked = errors.New("store: migrations are locked")
	// ErrStaleVersion is wrapped by *VersionError: a transition named a version that is not current.
	ErrStaleVersion = errors.New("store: stale version")
	// ErrKeyReused is wrapped by *KeyReuseError: an idempotency key was replayed with another body.
	ErrKeyReused = errors.New("store: idempotency key reused with another body")
	// ErrDuplicate: a unique key (e.g. source platform and upstream number) already exists.
	ErrDuplicate = errors.New("store: duplicate")
	// ErrCorrupt is wrapped by *CorruptError: a stored row cannot be decoded or does not check.
	ErrCorrupt = errors.New("store: corrupted row")
	// ErrNotFound: no such row, or none the principal may see.
	ErrNotFound = errors.New("store: not found")
	// ErrForbidden: the principal may not do this.
	ErrForbidden = errors.New("store: forbidden")
	// ErrInvalid: an argument is invalid (a bad principal, filter, cursor or option).
	ErrInvalid = errors.New("store: invalid argument")
	// ErrNoKeys: identities cannot be stored or read without the encryption keys.
	ErrNoKeys = errors.New("store: no encryption keys")
)

// DSNError names what is wrong with a data source name. The DSN itself is not repeated, since it
// may carry a password.
type DSNError struct {
	Dialect string
	Reason  string
}

func (e *DSNError) Error() string {
	if e.Dialect == "" {
		return "store: bad data source name: " + e.Reason
	}
	return fmt.Sprintf("store: bad %s data source name: %s", e.Dialect, e.Reason)
}

func (e *DSNError) Unwrap() error { return ErrBadDSN }

// ConnectError reports a database that could not be reached or set up at open.
type ConnectError struct {
	Dialect string
	Err     error
}

func (e *ConnectError) Error() string {
	return fmt.Sprintf("store: cannot reach the %s database: %v", e.Dialect, e.Err)
}

func (e *ConnectError) Unwrap() []error { return []error{ErrUnreachable, e.Err} }

// MigrationError names the migration that failed.
type MigrationError struct {
	Name string // the migration's id and comment, e.g. "0001_schema"; empty for the migrator itself
	Err  error
}

func (e *MigrationError) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("store: migration failed: %v", e.Err)
	}
	return fmt.Sprintf("store: migration %s failed: %v", e.Name, e.Err)
}

func (e *MigrationError) Unwrap() []error { return []error{ErrMigration, e.Err} }

// VersionError reports a transition refused because the ticket moved on: Current is its version now.
type VersionError struct {
	ID      string
	Given   int64
	Current int64
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("store: ticket %s is at version %d, not %d", e.ID, e.Current, e.Given)
}

func (e *VersionError) Unwrap() error { return ErrStaleVersion }

// KeyReuseError reports an idempotency key replayed with another body.
type KeyReuseError struct {
	Key string
}

func (e *KeyReuseError) Error() string {
	return "store: idempotency key " + strconv.Quote(e.Key) + " was used with another body"
}

func (e *KeyReuseError) Unwrap() error { return ErrKeyReused }

// CorruptError names a stored row that cannot be decoded or fails its check.
type CorruptError struct {
	Table string
	Key   string
	Err   error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("store: corrupted row in %s (%s): %v", e.Table, e.Key, e.Err)
}

func (e *CorruptError) Unwrap() []error { return []error{ErrCorrupt, e.Err} }
