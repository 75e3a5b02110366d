package store

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

type cursor struct {
	ok       bool
	received int64
	id       string
}

func encodeCursor(received int64, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(received, 10) + "." + id))
}

func decodeCursor(s string) (cursor, error) {
	if s == "" {
		return cursor{}, nil
	}
	bad := fmt.Errorf("%w: malformed page cursor", ErrInvalid)
	if len(s) > 128 {
		return cursor{}, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, bad
	}
	r, id, ok := strings.Cut(string(b), ".")
	if !ok {
		return cursor{}, bad
	}
	n, err := strconv.ParseInt(r, 10, 64)
	if err != nil || n < 0 {
		return cursor{}, bad
	}
	if _, err := uuid.Parse(id); err != nil {
		return cursor{}, bad
	}
	return cursor{ok: true, received: n, id: id}, nil
}
