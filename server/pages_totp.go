package server

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"time"
)

// TOTP (RFC 6238) with the parameters every authenticator app uses: HMAC-SHA-1, 30-second steps
// from the Unix epoch, 6 digits. A code is accepted for the step of now and the one before and after
// (clock drift); the store refuses a step not after the last one used, so a code works once.

const (
	totpStep   = 30
	totpDigits = 6
)

// totpCode is the HOTP value (RFC 4226 §5.3) of secret at counter, as totpDigits decimal digits.
func totpCode(secret []byte, counter uint64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(sha1.New, secret)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, bin%1_000_000)
}

// checkTOTP reports whether code is secret's TOTP value at now or one step either side, and the step
// it matched.
func checkTOTP(secret []byte, code string, now time.Time) (int64, bool) {
	if len(code) != totpDigits {
		return 0, false
	}
	step := now.Unix() / totpStep
	for _, s := range []int64{step - 1, step, step + 1} {
		if s < 0 {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(totpCode(secret, uint64(s))), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}
