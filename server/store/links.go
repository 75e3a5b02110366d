package store

import "fmt"

// LinkMAC is the HMAC-SM3 of msg under the store's index key, domain-separated by purpose: what the
// pages sign their links with (a citizen's one-time rating link, a window's QR code), so a link
// names what it is for and cannot be forged or altered without the key. ErrNoKeys without keys.
func (s *Store) LinkMAC(purpose string, msg []byte) ([]byte, error) {
	if err := s.haveKeys(); err != nil {
		return nil, err
	}
	if purpose == "" || len(purpose) > 64 {
		return nil, fmt.Errorf("%w: link purpose must be 1–64 bytes", ErrInvalid)
	}
	return s.keys.Index.Sum("link:"+purpose, msg), nil
}
