package secure_test

import (
	"bytes"
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"errors"
	"hash"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/secure"
)

func master(b byte) []byte { return bytes.Repeat([]byte{b}, secure.MasterKeySize) }

func keys(t testing.TB, b byte) secure.Keys {
	t.Helper()
	k, err := secure.NewKeys(master(b))
	require.NoError(t, err)
	return k
}

// GB/T 39786-2021 level 3, PIPL art. 51: an identity field is sealed at rest and opens again.
func TestSealOpenRoundTrip(t *testing.T) {
	k := keys(t, 1)
	for _, plain := range [][]byte{nil, {}, []byte("13800138000"), []byte("110101199003071234"), bytes.Repeat([]byte("地址"), 1000)} {
		sealed, err := k.Cipher.Seal(plain, []byte("tickets/phone/42"))
		require.NoError(t, err)
		assert.Len(t, sealed, len(plain)+secure.Overhead)
		assert.Equal(t, byte(secure.SoftwareKeyID), sealed[0], "key id byte first")
		if len(plain) > 4 {
			assert.False(t, bytes.Contains(sealed, plain), "no plaintext in the envelope")
		}
		got, err := k.Cipher.Open(sealed, []byte("tickets/phone/42"))
		require.NoError(t, err)
		assert.Equal(t, string(plain), string(got))
	}
}

func TestOpenRefusesTampering(t *testing.T) {
	k := keys(t, 1)
	aad := []byte("tickets/id_number/7")
	sealed, err := k.Cipher.Seal([]byte("110101199003071234"), aad)
	require.NoError(t, err)

	flip := func(i int) []byte {
		b := bytes.Clone(sealed)
		b[i] ^= 0x01
		return b
	}
	other := keys(t, 2)
	otherSealed, err := other.Cipher.Seal([]byte("110101199003071234"), aad)
	require.NoError(t, err)

	cases := []struct {
		name   string
		sealed []byte
		aad    []byte
		c      secure.Cipher
		want   error
	}{
		{"flipped nonce byte", flip(1), aad, k.Cipher, secure.ErrOpen},
		{"flipped ciphertext byte", flip(1 + secure.NonceSize + 2), aad, k.Cipher, secure.ErrOpen},
		{"flipped tag byte", flip(len(sealed) - 1), aad, k.Cipher, secure.ErrOpen},
		{"key id changed to an unknown one", flip(0), aad, k.Cipher, secure.ErrUnknownKeyID},
		{"wrong aad (moved to another row)", sealed, []byte("tickets/id_number/8"), k.Cipher, secure.ErrOpen},
		{"no aad", sealed, nil, k.Cipher, secure.ErrOpen},
		{"truncated by one byte", sealed[:len(sealed)-1], aad, k.Cipher, secure.ErrOpen},
		{"truncated to the header", sealed[:1+secure.NonceSize], aad, k.Cipher, secure.ErrMalformed},
		{"empty", nil, aad, k.Cipher, secure.ErrMalformed},
		{"extended by one byte", append(bytes.Clone(sealed), 0), aad, k.Cipher, secure.ErrOpen},
		{"sealed under another master key", otherSealed, aad, k.Cipher, secure.ErrOpen},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.c.Open(tc.sealed, tc.aad)
			require.ErrorIs(t, err, tc.want)
			assert.Nil(t, got)
		})
	}
}

func TestNoncesAreUnique(t *testing.T) {
	k := keys(t, 1)
	const n = 20000
	seen := make(map[string]bool, n)
	for range n {
		sealed, err := k.Cipher.Seal([]byte("same"), nil)
		require.NoError(t, err)
		nonce := string(sealed[1 : 1+secure.NonceSize])
		require.False(t, seen[nonce], "nonce repeated")
		seen[nonce] = true
	}
}

func TestKeyRotation(t *testing.T) {
	oldKey := secure.Key{ID: 1, Secret: bytes.Repeat([]byte{1}, secure.CipherKeySize)}
	newKey := secure.Key{ID: 2, Secret: bytes.Repeat([]byte{2}, secure.CipherKeySize)}
	before, err := secure.NewSM4GCM(oldKey)
	require.NoError(t, err)
	after, err := secure.NewSM4GCM(newKey, oldKey)
	require.NoError(t, err)

	sealedOld, err := before.Seal([]byte("13800138000"), nil)
	require.NoError(t, err)
	got, err := after.Open(sealedOld, nil)
	require.NoError(t, err, "the rotated cipher still opens values sealed under the old key")
	assert.Equal(t, "13800138000", string(got))

	sealedNew, err := after.Seal([]byte("13800138000"), nil)
	require.NoError(t, err)
	assert.Equal(t, byte(2), sealedNew[0], "seals under the current key")
	_, err = before.Open(sealedNew, nil)
	require.ErrorIs(t, err, secure.ErrUnknownKeyID)
}

func TestNewSM4GCMRefusesBadKeys(t *testing.T) {
	good := bytes.Repeat([]byte{1}, secure.CipherKeySize)
	for name, keys := range map[string][]secure.Key{
		"id zero":      {{ID: 0, Secret: good}},
		"short secret": {{ID: 1, Secret: good[:15]}},
		"nil secret":   {{ID: 1}},
		"duplicate id": {{ID: 3, Secret: good}, {ID: 3, Secret: good}},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := secure.NewSM4GCM(keys[0], keys[1:]...)
			var ke *secure.KeyError
			require.ErrorAs(t, err, &ke)
			require.ErrorIs(t, err, secure.ErrInvalidKey)
			assert.Nil(t, c)
		})
	}
}

func TestZeroValuesRefuseWithoutPanic(t *testing.T) {
	var c secure.SM4GCM
	_, err := c.Seal([]byte("x"), nil)
	require.ErrorIs(t, err, secure.ErrNotConfigured)
	_, err = c.Open(make([]byte, 64), nil)
	require.ErrorIs(t, err, secure.ErrNotConfigured)
	var nilC *secure.SM4GCM
	_, err = nilC.Seal(nil, nil)
	require.ErrorIs(t, err, secure.ErrNotConfigured)
	var x secure.HMACSM3
	assert.Nil(t, x.Sum("phone", []byte("1")))
	_, err = secure.LoadKeys(nil)
	require.ErrorIs(t, err, secure.ErrNotConfigured)
	_, err = secure.EnvProvider{}.Keys(context.Background())
	require.ErrorIs(t, err, secure.ErrNotConfigured)
}

func TestBlindIndex(t *testing.T) {
	k1, k2 := keys(t, 1), keys(t, 2)
	phone := []byte("13800138000")
	a := k1.Index.Sum("phone", phone)
	assert.Len(t, a, secure.IndexSize)
	assert.Equal(t, a, k1.Index.Sum("phone", bytes.Clone(phone)), "equal values, equal index (repeat-caller lookup)")
	assert.NotEqual(t, a, k1.Index.Sum("phone", []byte("13800138001")), "different values differ")
	assert.NotEqual(t, a, k1.Index.Sum("id_number", phone), "same value in another field differs")
	assert.NotEqual(t, a, k2.Index.Sum("phone", phone), "another key differs")
	// The field name is length-prefixed, so moving bytes between field and value changes the sum.
	assert.NotEqual(t, k1.Index.Sum("ab", []byte("c")), k1.Index.Sum("a", []byte("bc")))
	assert.False(t, bytes.Contains(a, phone))
}

// The derivation documented in doc.go, recomputed here: HKDF-SM3 with salt "hotline/secure/v1" and
// one info string per key, so the encryption and index keys are independent of each other.
func TestKeyDerivationAsDocumented(t *testing.T) {
	m := master(9)
	newHash := func() hash.Hash { return sm3.New() }
	encKey, err := hkdf.Key(newHash, m, []byte("hotline/secure/v1"), "hotline sm4-gcm encryption key", 16)
	require.NoError(t, err)
	idxKey, err := hkdf.Key(newHash, m, []byte("hotline/secure/v1"), "hotline hmac-sm3 blind index key", 32)
	require.NoError(t, err)
	assert.NotEqual(t, encKey, idxKey[:16])

	k := keys(t, 9)
	c, err := secure.NewSM4GCM(secure.Key{ID: secure.SoftwareKeyID, Secret: encKey})
	require.NoError(t, err)
	sealed, err := k.Cipher.Seal([]byte("x"), nil)
	require.NoError(t, err)
	got, err := c.Open(sealed, nil)
	require.NoError(t, err)
	assert.Equal(t, "x", string(got))

	mac := hmac.New(sm3.New, idxKey)
	mac.Write([]byte{0, 0, 0, 5})
	mac.Write([]byte("phone"))
	mac.Write([]byte("13800138000"))
	assert.Equal(t, mac.Sum(nil), k.Index.Sum("phone", []byte("13800138000")))

	_, err = keys(t, 8).Cipher.Open(sealed, nil)
	require.ErrorIs(t, err, secure.ErrOpen, "another master, another key")
}

func TestHMACSM3RefusesShortKey(t *testing.T) {
	_, err := secure.NewHMACSM3(make([]byte, 15))
	require.ErrorIs(t, err, secure.ErrInvalidKey)
}

func TestNewKeysRefusesWrongLength(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33, 64} {
		_, err := secure.NewKeys(make([]byte, n))
		var ke *secure.KeyError
		require.ErrorAs(t, err, &ke, "length %d", n)
	}
}

const hexKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func writeKeyFile(t *testing.T, content string, mode os.FileMode) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "hotline.key")
	require.NoError(t, os.WriteFile(name, []byte(content), 0o600))
	require.NoError(t, os.Chmod(name, mode))
	return name
}

func TestLoadKeys(t *testing.T) {
	fromEnv, err := secure.LoadKeys(env(map[string]string{secure.EnvKey: hexKey}))
	require.NoError(t, err)
	fromFile, err := secure.LoadKeys(env(map[string]string{secure.EnvKeyFile: writeKeyFile(t, hexKey+"\n", 0o600)}))
	require.NoError(t, err)
	raw := make([]byte, 32)
	for i := range raw {
		raw[i] = byte(i)
	}
	direct, err := secure.NewKeys(raw)
	require.NoError(t, err)

	// All three are the same key: what one seals, the others open; their indexes agree.
	sealed, err := fromEnv.Cipher.Seal([]byte("13800138000"), []byte("a"))
	require.NoError(t, err)
	for _, k := range []secure.Keys{fromFile, direct} {
		got, err := k.Cipher.Open(sealed, []byte("a"))
		require.NoError(t, err)
		assert.Equal(t, "13800138000", string(got))
		assert.Equal(t, fromEnv.Index.Sum("phone", []byte("1")), k.Index.Sum("phone", []byte("1")))
	}
	upper, err := secure.LoadKeys(env(map[string]string{secure.EnvKey: "  " + strings.ToUpper(hexKey) + "\n"}))
	require.NoError(t, err)
	assert.Equal(t, fromEnv.Index.Sum("f", nil), upper.Index.Sum("f", nil), "upper-case digits and surrounding space accepted")

	provided, err := secure.EnvProvider{Getenv: env(map[string]string{secure.EnvKey: hexKey})}.Keys(context.Background())
	require.NoError(t, err)
	assert.Equal(t, fromEnv.Index.Sum("f", nil), provided.Index.Sum("f", nil))
}

func TestLoadKeysErrors(t *testing.T) {
	badChar := "g" + hexKey[1:]
	cases := []struct {
		name    string
		env     map[string]string
		want    error
		mention []string
	}{
		{"nothing set", nil, secure.ErrNoKey, []string{"HOTLINE_KEY", "HOTLINE_KEY_FILE"}},
		{"both set", map[string]string{secure.EnvKey: hexKey, secure.EnvKeyFile: "/x"}, secure.ErrInvalidKey, []string{"both"}},
		{"too short", map[string]string{secure.EnvKey: hexKey[:62]}, secure.ErrInvalidKey, []string{"HOTLINE_KEY", "64 hexadecimal digits", "got 62"}},
		{"too long", map[string]string{secure.EnvKey: hexKey + "00"}, secure.ErrInvalidKey, []string{"got 66"}},
		{"not hex", map[string]string{secure.EnvKey: badChar}, secure.ErrInvalidKey, []string{"character 1 is not a hexadecimal digit"}},
		{"not hex, second digit", map[string]string{secure.EnvKey: "0z" + hexKey[2:]}, secure.ErrInvalidKey, []string{"character 2"}},
		{"file missing", map[string]string{secure.EnvKeyFile: filepath.Join(t.TempDir(), "none")}, secure.ErrInvalidKey, []string{"HOTLINE_KEY_FILE", "cannot open"}},
		{"file group-readable", map[string]string{secure.EnvKeyFile: writeKeyFile(t, hexKey, 0o640)}, secure.ErrInvalidKey, []string{"mode 0640", "chmod 600"}},
		{"file world-readable", map[string]string{secure.EnvKeyFile: writeKeyFile(t, hexKey, 0o604)}, secure.ErrInvalidKey, []string{"mode 0604"}},
		{"file is a directory", map[string]string{secure.EnvKeyFile: t.TempDir()}, secure.ErrInvalidKey, []string{"not a regular file"}},
		{"file too large", map[string]string{secure.EnvKeyFile: writeKeyFile(t, strings.Repeat(" ", 2000)+hexKey, 0o600)}, secure.ErrInvalidKey, []string{"larger than"}},
		{"file bad content", map[string]string{secure.EnvKeyFile: writeKeyFile(t, badChar, 0o400)}, secure.ErrInvalidKey, []string{"hexadecimal"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k, err := secure.LoadKeys(env(tc.env))
			require.ErrorIs(t, err, tc.want)
			assert.Nil(t, k.Cipher)
			for _, m := range tc.mention {
				assert.Contains(t, err.Error(), m)
			}
			// An error never quotes key material.
			assert.NotContains(t, err.Error(), hexKey[2:20])
		})
	}
}

func FuzzOpen(f *testing.F) {
	k, err := secure.NewKeys(master(7))
	require.NoError(f, err)
	valid, err := k.Cipher.Seal([]byte("13800138000"), []byte("aad"))
	require.NoError(f, err)
	f.Add(valid, []byte("aad"))
	f.Add([]byte{}, []byte(nil))
	f.Add([]byte{1}, []byte("aad"))
	f.Add(valid[:secure.Overhead], []byte("aad"))
	f.Add(append([]byte{0}, valid[1:]...), []byte("aad"))
	f.Add(append([]byte{255}, valid[1:]...), []byte("aad"))
	f.Fuzz(func(t *testing.T, sealed, aad []byte) {
		plain, err := k.Cipher.Open(sealed, aad)
		if err != nil {
			if plain != nil {
				t.Fatal("plaintext returned with an error")
			}
			if !errors.Is(err, secure.ErrOpen) && !errors.Is(err, secure.ErrMalformed) && !errors.Is(err, secure.ErrUnknownKeyID) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		// Only a genuine envelope opens (the seed, sealed afresh in each fuzz worker), with its own aad.
		if string(plain) != "13800138000" || !bytes.Equal(aad, []byte("aad")) {
			t.Fatalf("forged envelope opened: %x", sealed)
		}
	})
}

// FuzzLoadKeys: any HOTLINE_KEY value either loads (exactly 64 hexadecimal digits, surrounding space
// ignored) or is refused with a *KeyError that quotes none of it.
func FuzzLoadKeys(f *testing.F) {
	f.Add(hexKey)
	f.Add(" " + hexKey + "\n")
	f.Add("g" + hexKey[1:])
	f.Add(hexKey[:63] + "\x00")
	f.Add("")
	f.Add(strings.Repeat("é", 32))
	f.Fuzz(func(t *testing.T, value string) {
		k, err := secure.LoadKeys(env(map[string]string{secure.EnvKey: value}))
		trimmed := strings.TrimSpace(value)
		valid := len(trimmed) == 64 && strings.Trim(strings.ToLower(trimmed), "0123456789abcdef") == ""
		switch {
		case value == "":
			if !errors.Is(err, secure.ErrNoKey) {
				t.Fatalf("empty value: %v", err)
			}
		case valid:
			if err != nil || k.Cipher == nil || k.Index == nil {
				t.Fatalf("valid key refused: %v", err)
			}
		default:
			var ke *secure.KeyError
			if !errors.As(err, &ke) {
				t.Fatalf("invalid key %q: %v", value, err)
			}
			if len(trimmed) >= 8 && strings.Contains(err.Error(), trimmed) {
				t.Fatalf("error quotes the key: %v", err)
			}
		}
	})
}
