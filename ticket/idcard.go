package ticket

import (
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"
)

// ErrInvalidIDCard is wrapped by every error [ValidateIDCard] returns.
var ErrInvalidIDCard = errors.New("ticket: invalid ID-card number")

// IdentifierError says why an identifier (an ID-card number, a credit code, a mobile number) is
// invalid. Its message names the identifier's kind and the problem, never the value itself, so it
// can be logged without leaking personal data.
type IdentifierError struct {
	What   string // "ID-card number", "unified social credit code", "mobile number"
	Reason string
	err    error
}

// Error names the kind of identifier and what is wrong with it, never its value.
func (e *IdentifierError) Error() string {
	return fmt.Sprintf("ticket: invalid %s: %s", e.What, e.Reason)
}

// Unwrap returns the sentinel of the identifier's kind: [ErrInvalidIDCard], [ErrInvalidCreditCode]
// or [ErrInvalidMobile].
func (e *IdentifierError) Unwrap() error { return e.err }

// idWeights are the GB 11643-1999 weights 2^(17-i) mod 11 of the first 17 digits.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheck maps the weighted sum mod 11 to the check character.
const idCheck = "10X98765432"

// idProvinces holds the first two digits of the region codes (GB/T 2260) that citizen ID numbers
// start with, plus 71 (台湾), 81 (香港), 82 (澳门) and 83 (台湾居民居住证).
var idProvinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

// IDCardCheckDigit returns the GB 11643-1999 check character ('0'–'9' or 'X') for the first 17
// digits of a citizen ID number.
func IDCardCheckDigit(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, &IdentifierError{"ID-card number", fmt.Sprintf("need 17 digits before the check digit, have %d characters", len(first17)), ErrInvalidIDCard}
	}
	sum := 0
	for i := range 17 {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0, &IdentifierError{"ID-card number", fmt.Sprintf("character %d is not a digit", i+1), ErrInvalidIDCard}
		}
		sum += int(c-'0') * idWeights[i]
	}
	return idCheck[sum%11], nil
}

// ValidateIDCard reports whether s is a well-formed 18-character citizen ID number (公民身份号码,
// GB 11643-1999): 17 digits and a check character, the first two digits a province code, digits
// 7–14 a real date (YYYYMMDD, from 1900 to 2099; no clock is read, so a future date is not caught) and
// the check character matching the weighted sum (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, mod 11
// mapped to "10X98765432"). Width is folded first: full-width digits and letters, and any Unicode
// decimal digit, count as their ASCII twins ("１１０…Ｘ"). A lower-case x is accepted; surrounding
// spaces are not. The 15-digit numbers of the first generation have no check digit and are rejected
// with their own reason. Errors count characters, never bytes, and never repeat s.
func ValidateIDCard(s string) error {
	bad := func(format string, args ...any) error {
		return &IdentifierError{"ID-card number", fmt.Sprintf(format, args...), ErrInvalidIDCard}
	}
	s = foldWidth(s)
	n := utf8.RuneCountInString(s)
	if n == 15 && allDigits(s) {
		return bad("15-digit first-generation number has no check digit; ask for the 18-digit number")
	}
	if n != 18 {
		return bad("need 18 characters, have %d characters", n)
	}
	for i, r := range []rune(s) {
		if r >= utf8.RuneSelf {
			return bad("character %d is not a digit", i+1)
		}
	}
	want, err := IDCardCheckDigit(s[:17])
	if err != nil {
		return err
	}
	if !idProvinces[s[:2]] {
		return bad("digits 1–2 are not a province code")
	}
	y, _ := strconv.Atoi(s[6:10])
	m, _ := strconv.Atoi(s[10:12])
	d, _ := strconv.Atoi(s[12:14])
	if y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1 ||
		d > time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return bad("digits 7–14 are not a date of birth")
	}
	got := s[17]
	if got == 'x' {
		got = 'X'
	}
	if got != want {
		return bad("check character does not match digits 1–17")
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
