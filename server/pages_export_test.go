package server

import (
	"time"
)

// Hooks for the external tests of the pages.

func CheckTOTPForTest(secret []byte, code string, now time.Time) (int64, bool) {
	return checkTOTP(secret, code, now)
}

func TOTPCodeForTest(secret []byte, at time.Time) string {
	return totpCode(secret, uint64(at.Unix()/totpStep))
}
