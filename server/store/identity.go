package store

import (
	"encoding/json"
	"fmt"

	"github.com/hotline12345/hotline/ticket"
)

// Blind-index field names: the index is keyed per field, so equal values in different fields do not
// match.
const (
	biPhone = "citizen.phone"
	biID    = "citizen.id"
)

func (s *Store) haveKeys() error {
	if s.keys.Cipher == nil || s.keys.Index == nil {
		return ErrNoKeys
	}
	return nil
}

func identityAAD(id string) []byte { return []byte("tickets.identity:" + id) }

// sealIdentity seals the citizen of ticket id and computes the blind indexes of the phone and the ID
// number (or credit code). An empty person is stored as NULL.
func (s *Store) sealIdentity(id string, p ticket.Person) (sealed, phoneBI, idBI []byte, err error) {
	if emptyPerson(p) {
		return nil, nil, nil, nil
	}
	if err := s.haveKeys(); err != nil {
		return nil, nil, nil, err
	}
	plain, err := json.Marshal(p)
	if err != nil {
		return nil, nil, nil, err
	}
	sealed, err = s.keys.Cipher.Seal(plain, identityAAD(id))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("store: sealing the identity of %s: %w", id, err)
	}
	phone, idn := identityOf(p)
	if phone != "" {
		phoneBI = s.keys.Index.Sum(biPhone, []byte(phone))
	}
	if idn != "" {
		idBI = s.keys.Index.Sum(biID, []byte(idn))
	}
	return sealed, phoneBI, idBI, nil
}

// openIdentity opens the sealed citizen of ticket id.
func (s *Store) openIdentity(id string, sealed []byte) (ticket.Person, error) {
	var p ticket.Person
	if len(sealed) == 0 {
		return p, nil
	}
	if err := s.haveKeys(); err != nil {
		return p, err
	}
	plain, err := s.keys.Cipher.Open(sealed, identityAAD(id))
	if err != nil {
		return p, &CorruptError{Table: "tickets", Key: id + " identity", Err: err}
	}
	if err := json.Unmarshal(plain, &p); err != nil {
		return p, &CorruptError{Table: "tickets", Key: id + " identity", Err: err}
	}
	return p, nil
}
