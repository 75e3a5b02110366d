package secure

import (
	"context"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

// Sizes of the envelope's parts and of the keys.
const (
	MasterKeySize = 32 // bytes of the master key (64 hexadecimal digits)
	CipherKeySize = 16 // bytes of an SM4 key
	IndexKeySize  = 32 // bytes of the derived blind-index key
	IndexSize     = sm3.Size
	NonceSize     = 12
	TagSize       = 16
	// Overhead is what Seal adds to the plaintext: key id, nonce and tag.
	Overhead = 1 + NonceSize + TagSize
	// SoftwareKeyID is the key id of the cipher NewKeys and LoadKeys build.
	SoftwareKeyID KeyID = 1
)

var (
	// ErrNoKey: neither HOTLINE_KEY nor HOTLINE_KEY_FILE is set.
	ErrNoKey = errors.New("secure: no encryption key: set HOTLINE_KEY (64 hexadecimal digits) or HOTLINE_KEY_FILE (a file holding them, mode 0600 or stricter)")
	// ErrInvalidKey is wrapped by every *KeyError.
	ErrInvalidKey = errors.New("secure: invalid key")
	// ErrOpen: a sealed value failed to open — tampered, truncated, sealed under another key or for
	// other additional data. The reason is deliberately not told apart.
	ErrOpen = errors.New("secure: cannot open sealed value")
	// ErrMalformed: a sealed value is too short to be an envelope.
	ErrMalformed = errors.New("secure: malformed sealed value")
	// ErrUnknownKeyID: the envelope names a key id this cipher does not hold.
	ErrUnknownKeyID = errors.New("secure: unknown key id")
	// ErrNotConfigured: a method was called on a zero value.
	ErrNotConfigured = errors.New("secure: not configured (use the New… constructors)")
)

// KeyError says why a key was refused: Source names where it came from (a variable or file name),
// Reason what is wrong. It never contains key material.
type KeyError struct {
	Source string
	Reason string
}

func (e *KeyError) Error() string {
	return fmt.Sprintf("secure: invalid key from %s: %s", e.Source, e.Reason)
}

// Unwrap returns ErrInvalidKey.
func (e *KeyError) Unwrap() error { return ErrInvalidKey }

// Cipher seals and opens one field. aad is authenticated, not encrypted: it binds the sealed value to
// its place (table, column, row id) so it cannot be moved elsewhere.
type Cipher interface {
	Seal(plaintext, aad []byte) ([]byte, error)
	Open(sealed, aad []byte) ([]byte, error)
}

// Index computes a keyed blind index of value in field: equal for equal (field, value) under one key,
// unrelated otherwise. Sum never fails; it returns IndexSize bytes.
type Index interface {
	Sum(field string, value []byte) []byte
}

// Keys is what the store needs: a cipher for identities and an index for equality lookups.
type Keys struct {
	Cipher Cipher
	Index  Index
}

// KeyProvider supplies the Keys at start: from the environment ([EnvProvider]), or from an HSM or KMS
// adapter (see the package documentation).
type KeyProvider interface {
	Keys(ctx context.Context) (Keys, error)
}

// KeyProviderFunc adapts a function to KeyProvider.
type KeyProviderFunc func(ctx context.Context) (Keys, error)

// Keys calls f.
func (f KeyProviderFunc) Keys(ctx context.Context) (Keys, error) { return f(ctx) }

// EnvProvider is the software KeyProvider: LoadKeys over Getenv (os.Getenv in the command).
type EnvProvider struct {
	Getenv func(string) string
}

// Keys calls LoadKeys(p.Getenv).
func (p EnvProvider) Keys(ctx context.Context) (Keys, error) {
	if err := ctx.Err(); err != nil {
		return Keys{}, err
	}
	if p.Getenv == nil {
		return Keys{}, ErrNotConfigured
	}
	return LoadKeys(p.Getenv)
}

// KeyID names a key in the envelope; 0 is never a valid key id.
type KeyID byte

// Key is one SM4 key and its id.
type Key struct {
	ID     KeyID
	Secret []byte // CipherKeySize bytes
}

// SM4GCM is the software Cipher: SM4 in GCM mode with random 96-bit nonces.
type SM4GCM struct {
	current KeyID
	aeads   [256]cipher.AEAD
}

// NewSM4GCM returns a cipher that seals with current and opens values sealed under current or any of
// older (key rotation). Key ids must be non-zero and distinct; secrets CipherKeySize bytes.
func NewSM4GCM(current Key, older ...Key) (*SM4GCM, error) {
	c := &SM4GCM{current: current.ID}
	for i, k := range append([]Key{current}, older...) {
		source := fmt.Sprintf("key %d (id %d)", i, k.ID)
		if k.ID == 0 {
			return nil, &KeyError{Source: source, Reason: "key id 0 is reserved"}
		}
		if c.aeads[k.ID] != nil {
			return nil, &KeyError{Source: source, Reason: "key id used twice"}
		}
		if len(k.Secret) != CipherKeySize {
			return nil, &KeyError{Source: source, Reason: fmt.Sprintf("SM4 key must be %d bytes, got %d", CipherKeySize, len(k.Secret))}
		}
		block, err := sm4.NewCipher(k.Secret)
		if err != nil {
			return nil, &KeyError{Source: source, Reason: "SM4 refused the key"}
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, &KeyError{Source: source, Reason: "GCM refused the cipher"}
		}
		c.aeads[k.ID] = aead
	}
	return c, nil
}

// additional authenticates the key id together with the caller's aad.
func additional(id KeyID, aad []byte) []byte {
	ad := make([]byte, 1+len(aad))
	ad[0] = byte(id)
	copy(ad[1:], aad)
	return ad
}

// Seal encrypts plaintext under the current key, authenticating aad.
func (c *SM4GCM) Seal(plaintext, aad []byte) ([]byte, error) {
	if c == nil || c.current == 0 || c.aeads[c.current] == nil {
		return nil, ErrNotConfigured
	}
	out := make([]byte, 1+NonceSize, Overhead+len(plaintext))
	out[0] = byte(c.current)
	nonce := out[1 : 1+NonceSize]
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("secure: reading a nonce: %w", err)
	}
	return c.aeads[c.current].Seal(out, nonce, plaintext, additional(c.current, aad)), nil
}

// Open authenticates and decrypts a value Seal returned for the same aad.
func (c *SM4GCM) Open(sealed, aad []byte) ([]byte, error) {
	if c == nil || c.current == 0 {
		return nil, ErrNotConfigured
	}
	if len(sealed) < Overhead {
		return nil, fmt.Errorf("%w: %d bytes, an envelope has at least %d", ErrMalformed, len(sealed), Overhead)
	}
	id := KeyID(sealed[0])
	aead := c.aeads[id]
	if aead == nil {
		return nil, fmt.Errorf("%w: %d", ErrUnknownKeyID, id)
	}
	plain, err := aead.Open(nil, sealed[1:1+NonceSize], sealed[1+NonceSize:], additional(id, aad))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// HMACSM3 is the software Index: HMAC-SM3 under a 32-byte key.
type HMACSM3 struct {
	key []byte
}

// NewHMACSM3 returns an Index keyed with key (at least 16 bytes; IndexKeySize recommended).
func NewHMACSM3(key []byte) (*HMACSM3, error) {
	if len(key) < 16 {
		return nil, &KeyError{Source: "index key", Reason: fmt.Sprintf("must be at least 16 bytes, got %d", len(key))}
	}
	return &HMACSM3{key: append([]byte(nil), key...)}, nil
}

// Sum returns HMAC-SM3(key, len(field) ‖ field ‖ value), len a 4-byte big-endian count. On a zero
// value it returns nil, which matches nothing a configured index returns.
func (x *HMACSM3) Sum(field string, value []byte) []byte {
	if x == nil || x.key == nil {
		return nil
	}
	m := hmac.New(sm3.New, x.key)
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(field)))
	m.Write(n[:])
	m.Write([]byte(field))
	m.Write(value)
	return m.Sum(nil)
}

const (
	derivationSalt = "hotline/secure/v1"
	infoCipher     = "hotline sm4-gcm encryption key"
	infoIndex      = "hotline hmac-sm3 blind index key"
)

// NewKeys derives the encryption and index keys from a MasterKeySize-byte master key (see the package
// documentation) and returns the software Keys, the cipher with key id SoftwareKeyID.
func NewKeys(master []byte) (Keys, error) {
	if len(master) != MasterKeySize {
		return Keys{}, &KeyError{Source: "master key", Reason: fmt.Sprintf("must be %d bytes, got %d", MasterKeySize, len(master))}
	}
	newHash := func() hash.Hash { return sm3.New() }
	encKey, err := hkdf.Key(newHash, master, []byte(derivationSalt), infoCipher, CipherKeySize)
	if err != nil {
		return Keys{}, fmt.Errorf("secure: deriving the encryption key: %w", err)
	}
	idxKey, err := hkdf.Key(newHash, master, []byte(derivationSalt), infoIndex, IndexKeySize)
	if err != nil {
		return Keys{}, fmt.Errorf("secure: deriving the index key: %w", err)
	}
	c, err := NewSM4GCM(Key{ID: SoftwareKeyID, Secret: encKey})
	if err != nil {
		return Keys{}, err
	}
	x, err := NewHMACSM3(idxKey)
	if err != nil {
		return Keys{}, err
	}
	return Keys{Cipher: c, Index: x}, nil
}
