package routing

import "fmt"

// enumText describes a small enumeration: index i has the English name
// names[i] (used in JSON and CSV) and the Chinese label labels[i] (for
// display). Index 0 is the zero value.
type enumText struct {
	what   string
	names  []string
	labels []string
}

func (t *enumText) name(i int) string {
	if i < 0 || i >= len(t.names) {
		return fmt.Sprintf("%s(%d)", t.what, i)
	}
	return t.names[i]
}

func (t *enumText) label(i int) string {
	if i < 0 || i >= len(t.labels) {
		return fmt.Sprintf("%s(%d)", t.what, i)
	}
	return t.labels[i]
}

// parse accepts the English name or the Chinese label. The empty string is
// the zero value only if allowZero.
func (t *enumText) parse(s string, allowZero bool) (int, error) {
	for i := range t.names {
		if i == 0 && !allowZero {
			continue
		}
		if s == t.names[i] || (s != "" && s == t.labels[i]) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("%w: unknown %s %q", ErrInvalidField, t.what, s)
}

func (t *enumText) valid(i int) bool { return i > 0 && i < len(t.names) }
