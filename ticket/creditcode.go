package ticket

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidCreditCode is wrapped by every error [ValidateCreditCode] returns.
var ErrInvalidCreditCode = errors.New("ticket: invalid unified social credit code")

// creditChars are the 31 characters of GB 32100-2015 (no I, O, Z, S, V), in value order.
const creditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights are the GB 32100-2015 weights 3^i mod 31 of the first 17 characters.
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCodeCheckChar returns the GB 32100-2015 check character for the first 17 characters of a
// unified social credit code.
func CreditCodeCheckChar(first17 string) (byte, error) {
	bad := func(format string, args ...any) error {
		return &IdentifierError{"unified social credit code", fmt.Sprintf(format, args...), ErrInvalidCreditCode}
	}
	if len(first17) != 17 {
		return 0, bad("need 17 characters before the check character, have %d bytes", len(first17))
	}
	sum := 0
	for i := range 17 {
		v := strings.IndexByte(creditChars, first17[i])
		if v < 0 {
			return 0, bad("character %d is not one of %s", i+1, creditChars)
		}
		sum += v * creditWeights[i]
	}
	return creditChars[(31-sum%31)%31], nil
}

// ValidateCreditCode reports whether s is a well-formed unified social credit code (统一社会信用代码,
// GB 32100-2015): 18 characters from "0123456789ABCDEFGHJKLMNPQRTUWXY" (upper case), characters 3–8 a
// region code of digits, and the 18th the check character: 31 − (Σ value×weight mod 31), with 31
// written as 0, weights 3^i mod 31. The organisation code in characters 9–17 is not checked against
// GB 11714, since codes issued to individual businesses do not follow it.
func ValidateCreditCode(s string) error {
	bad := func(format string, args ...any) error {
		return &IdentifierError{"unified social credit code", fmt.Sprintf(format, args...), ErrInvalidCreditCode}
	}
	if len(s) != 18 {
		return bad("need 18 characters, have %d bytes", len(s))
	}
	want, err := CreditCodeCheckChar(s[:17])
	if err != nil {
		return err
	}
	if !allDigits(s[2:8]) {
		return bad("characters 3–8 are not a region code")
	}
	if strings.IndexByte(creditChars, s[17]) < 0 {
		return bad("character 18 is not one of %s", creditChars)
	}
	if s[17] != want {
		return bad("check character does not match characters 1–17")
	}
	return nil
}
