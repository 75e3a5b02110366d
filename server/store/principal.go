package store

import (
	"fmt"
	"strings"
)

// Role is the capacity a principal acts in (the reference server issues per-unit credentials
// with roles). It is stored by its text.
type Role string

// The roles.
const (
	// RoleHotlineOffice accepts, dispatches and calls back the tickets of its jurisdiction (the
	// areas of its unit).
	RoleHotlineOffice Role = "hotline_office"
	// RoleHandlingUnit sees and acts on the tickets its unit, or a unit below it, leads or co-handles.
	RoleHandlingUnit Role = "handling_unit"
	// RoleSupervisor reads every ticket and may apply only the transitions the lifecycle gives to
	// supervisors (督办).
	RoleSupervisor Role = "supervisor"
	// RoleAuditor reads every ticket (masked) and the audit chain; it changes nothing.
	RoleAuditor Role = "auditor"
	// RoleAdmin manages units, the catalogue, regions and credentials; it reads no ticket.
	RoleAdmin Role = "admin"
	// RoleSystem is an upstream platform or the server's own jobs: intake and the system's
	// transitions (automatic screening, repeat detection) on every ticket.
	RoleSystem Role = "system"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleHotlineOffice, RoleHandlingUnit, RoleSupervisor, RoleAuditor, RoleAdmin, RoleSystem:
		return true
	}
	return false
}

// Principal is who acts: the credential or person (Actor), the unit they act for, and the role.
// Every exported method of the store takes one; nothing is read or written without it.
type Principal struct {
	Actor string
	Unit  string
	Role  Role
}

// validate checks the principal is well formed (not that it may do anything).
func (p Principal) validate() error {
	switch {
	case !p.Role.Valid():
		return fmt.Errorf("%w: principal role %q is unknown", ErrInvalid, p.Role)
	case strings.TrimSpace(p.Actor) == "":
		return fmt.Errorf("%w: principal has no actor", ErrInvalid)
	case len(p.Actor) > 128 || len(p.Unit) > 64:
		return fmt.Errorf("%w: principal actor or unit too long", ErrInvalid)
	case (p.Role == RoleHotlineOffice || p.Role == RoleHandlingUnit) && strings.TrimSpace(p.Unit) == "":
		return fmt.Errorf("%w: a %s principal needs a unit", ErrInvalid, p.Role)
	}
	return nil
}

func forbidden(p Principal, what string) error {
	return fmt.Errorf("%w: %s %s may not %s", ErrForbidden, p.Role, p.Actor, what)
}
