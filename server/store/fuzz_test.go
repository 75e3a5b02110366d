package store

import (
	"testing"
)

// FuzzParseDSN: no DSN panics the parser, and a refused one is a *DSNError that never repeats a
// password.
func FuzzParseDSN(f *testing.F) {
	for _, s := range []string{"", "hotline.db", "sqlite:/tmp/x.db", "file:x.db", "sqlite://x", ":memory:",
		"postgres://u:pw@h:5432/db?sslmode=disable", "postgresql://[::1", "mysql://root@127.0.0.1:3306/test",
		"mysql://u:pw@h/db?timeout=x", "mysql://h", "mariadb://h/db/x", "x.db?_pragma=journal_mode(DELETE)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		d, err := parseDSN(dsn)
		if err != nil {
			if _, ok := err.(*DSNError); !ok {
				t.Fatalf("%q: %T %v", dsn, err, err)
			}
			return
		}
		if d.dialect == "" {
			t.Fatalf("%q: no dialect", dsn)
		}
	})
}

// FuzzDecodeCursor: no cursor panics, and a decoded one round-trips.
func FuzzDecodeCursor(f *testing.F) {
	f.Add("")
	f.Add(encodeCursor(1767225600000000, "0192f5f0-0000-7000-8000-000000000001"))
	f.Add("!!!")
	f.Add(encodeCursor(-1, "x"))
	f.Fuzz(func(t *testing.T, s string) {
		c, err := decodeCursor(s)
		if err != nil || !c.ok {
			return
		}
		back, err := decodeCursor(encodeCursor(c.received, c.id))
		if err != nil || back != c {
			t.Fatalf("%q: %v %v", s, back, err)
		}
	})
}
