package repeat

import "github.com/hotline12345/hotline/internal/enum"

// Scope says which earlier tickets a new one is compared with.
type Scope string

// The scopes. "Place" means the same region code and the same matter code; a ticket without either
// has no place and matches nothing by place.
const (
	ScopeCaller        Scope = "caller"          // the caller's own tickets, at any place
	ScopeCallerPlace   Scope = "caller_place"    // the caller's own tickets at the same place and matter
	ScopePlace         Scope = "place"           // any caller's tickets at the same place and matter
	ScopeCallerOrPlace Scope = "caller_or_place" // the caller's own tickets, or anyone's at the same place and matter
)

var scopes = enum.New("repeat.Scope", ErrInvalidEnum,
	enum.Value[Scope]{V: ScopeCaller, Label: "同一来电人"},
	enum.Value[Scope]{V: ScopeCallerPlace, Label: "同一来电人、同一地点同一事项"},
	enum.Value[Scope]{V: ScopePlace, Label: "同一地点同一事项"},
	enum.Value[Scope]{V: ScopeCallerOrPlace, Label: "同一来电人或同一地点同一事项"},
)

func scopeWire() []string {
	all := scopes.All()
	out := make([]string, len(all))
	for i, s := range all {
		out[i] = string(s)
	}
	return out
}

// Scopes returns the scopes in display order.
func Scopes() []Scope { return scopes.All() }

// ParseScope returns the scope whose wire value or Chinese label is s.
func ParseScope(s string) (Scope, error) { return scopes.Parse(s) }

// String returns the scope's wire value, e.g. "caller_or_place".
func (s Scope) String() string { return string(s) }

// Label returns the scope's Chinese label, e.g. "同一来电人或同一地点同一事项" ("未知(x)" for an
// unknown scope).
func (s Scope) Label() string { return scopes.Label(s) }

// Valid reports whether s is one of the declared scopes.
func (s Scope) Valid() bool { return scopes.Valid(s) }

// UnmarshalText implements [encoding.TextUnmarshaler], accepting the wire value or the Chinese label
// and refusing anything else with an *[EnumError].
func (s *Scope) UnmarshalText(b []byte) error {
	v, err := scopes.Unmarshal(b)
	if err != nil {
		return err
	}
	*s = v
	return nil
}
