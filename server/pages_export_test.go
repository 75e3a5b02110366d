package server

import (
	"context"
	"testing"
	"time"

	"github.com/hotline12345/hotline/server/store"
)

// Hooks for the external tests of the pages.

func CheckTOTPForTest(secret []byte, code string, now time.Time) (int64, bool) {
	return checkTOTP(secret, code, now)
}

func WindowRatingPathForTest(t testing.TB, st *store.Store, unit, window, staff string) string {
	t.Helper()
	s := &server{store: st}
	p, err := s.windowRatingPath(context.Background(), unit, window, staff)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TOTPCodeForTest(secret []byte, at time.Time) string {
	return totpCode(secret, uint64(at.Unix()/totpStep))
}
