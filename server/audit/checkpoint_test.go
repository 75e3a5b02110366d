package audit_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
	"github.com/hotline12345/hotline/server/audit"
)

func signedAt(t *testing.T, priv *sm2.PrivateKey, rows []audit.Row) audit.Checkpoint {
	t.Helper()
	head, err := audit.Tip(seq(rows))
	require.NoError(t, err)
	cp, err := audit.Sign(priv, audit.Checkpoint{Size: head.Size, Head: head.Hash, At: t0})
	require.NoError(t, err)
	return cp
}

// Truncation past the last checkpoint is caught: the chain alone still verifies, the checkpoint does not.
func TestCheckpointCatchesTruncation(t *testing.T) {
	priv, err := audit.GenerateKey()
	require.NoError(t, err)
	pub := &priv.PublicKey
	rows := chain(12)
	cp := signedAt(t, priv, rows[:8])

	require.NoError(t, audit.VerifyCheckpoint(pub, cp, seq(rows)), "rows after the checkpoint are fine")
	require.NoError(t, audit.VerifyCheckpoint(pub, cp, seq(rows[:8])))

	require.NoError(t, audit.Verify(seq(rows[:5])))
	err = audit.VerifyCheckpoint(pub, cp, seq(rows[:5]))
	var be *audit.BreakError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, int64(6), be.Seq)
	assert.Contains(t, be.Reason, "truncated: expected at least 8 rows, found 5")

	// Truncated and then regrown to the same length with other rows.
	regrown := clone(rows[:5])
	prev := regrown[4].Hash
	for i := 6; i <= 9; i++ {
		e := rows[i-1].Entry
		e.Action = "ticket.close"
		h := audit.Next(prev, e)
		regrown = append(regrown, audit.Row{Entry: e, Hash: h})
		prev = h
	}
	require.NoError(t, audit.Verify(seq(regrown)))
	require.ErrorAs(t, audit.VerifyCheckpoint(pub, cp, seq(regrown)), &be)
	assert.Equal(t, int64(8), be.Seq)
}

func TestCheckpointSignature(t *testing.T) {
	priv, err := audit.GenerateKey()
	require.NoError(t, err)
	other, err := audit.GenerateKey()
	require.NoError(t, err)
	rows := chain(3)
	cp := signedAt(t, priv, rows)
	require.NoError(t, audit.VerifySignature(&priv.PublicKey, cp))

	forged := func(change func(*audit.Checkpoint)) audit.Checkpoint {
		c := cp
		c.Head = bytes.Clone(cp.Head)
		c.Sig = bytes.Clone(cp.Sig)
		change(&c)
		return c
	}
	cases := map[string]struct {
		cp   audit.Checkpoint
		want error
	}{
		"size lowered":    {forged(func(c *audit.Checkpoint) { c.Size = 2; c.Head = rows[1].Hash }), audit.ErrBadSignature},
		"head changed":    {forged(func(c *audit.Checkpoint) { c.Head[0] ^= 1 }), audit.ErrBadSignature},
		"time changed":    {forged(func(c *audit.Checkpoint) { c.At = c.At.Add(time.Nanosecond) }), audit.ErrBadSignature},
		"signature bit":   {forged(func(c *audit.Checkpoint) { c.Sig[len(c.Sig)-1] ^= 1 }), audit.ErrBadSignature},
		"no signature":    {forged(func(c *audit.Checkpoint) { c.Sig = nil }), audit.ErrBadSignature},
		"negative size":   {forged(func(c *audit.Checkpoint) { c.Size = -1 }), audit.ErrMalformed},
		"short head":      {forged(func(c *audit.Checkpoint) { c.Head = c.Head[:5] }), audit.ErrMalformed},
		"empty with head": {forged(func(c *audit.Checkpoint) { c.Size = 0 }), audit.ErrMalformed},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			require.ErrorIs(t, audit.VerifySignature(&priv.PublicKey, tc.cp), tc.want)
			require.ErrorIs(t, audit.VerifyCheckpoint(&priv.PublicKey, tc.cp, seq(rows)), tc.want)
		})
	}
	require.ErrorIs(t, audit.VerifySignature(&other.PublicKey, cp), audit.ErrBadSignature, "another key")
	require.ErrorIs(t, audit.VerifySignature(nil, cp), audit.ErrKey)
	_, err = audit.Sign(nil, cp)
	require.ErrorIs(t, err, audit.ErrKey)
	_, err = audit.Sign(priv, audit.Checkpoint{Size: -3})
	require.ErrorIs(t, err, audit.ErrMalformed)

	empty, err := audit.Sign(priv, audit.Checkpoint{At: t0})
	require.NoError(t, err, "a checkpoint of the empty chain")
	require.NoError(t, audit.VerifyCheckpoint(&priv.PublicKey, empty, seq(nil)))
}

func TestKeysPEMRoundTrip(t *testing.T) {
	priv, err := audit.GenerateKey()
	require.NoError(t, err)
	privPEM, err := audit.MarshalPrivateKey(priv)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(privPEM, []byte("-----BEGIN PRIVATE KEY-----")))
	pubPEM, err := audit.MarshalPublicKey(&priv.PublicKey)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(pubPEM, []byte("-----BEGIN PUBLIC KEY-----")))

	priv2, err := audit.ParsePrivateKey(privPEM)
	require.NoError(t, err)
	assert.True(t, priv.Equal(priv2))
	pub2, err := audit.ParsePublicKey(pubPEM)
	require.NoError(t, err)
	assert.True(t, priv.PublicKey.Equal(pub2))

	cp := signedAt(t, priv2, chain(2))
	require.NoError(t, audit.VerifySignature(pub2, cp), "keys survive the round trip")

	bad := map[string][]byte{
		"empty":             nil,
		"not PEM":           []byte("hello"),
		"public as private": pubPEM,
		"trailing data":     append(bytes.Clone(privPEM), "x"...),
		"garbage DER":       []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
		"headers":           []byte("-----BEGIN PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END PRIVATE KEY-----\n"),
	}
	for name, data := range bad {
		_, err := audit.ParsePrivateKey(data)
		require.ErrorIs(t, err, audit.ErrKey, name)
	}
	_, err = audit.ParsePublicKey(privPEM)
	require.ErrorIs(t, err, audit.ErrKey)
	_, err = audit.MarshalPrivateKey(nil)
	require.ErrorIs(t, err, audit.ErrKey)
	_, err = audit.MarshalPublicKey(nil)
	require.ErrorIs(t, err, audit.ErrKey)
}

func TestParseCheckpoint(t *testing.T) {
	priv, err := audit.GenerateKey()
	require.NoError(t, err)
	cp := signedAt(t, priv, chain(4))
	data, err := json.Marshal(cp)
	require.NoError(t, err)
	got, err := audit.ParseCheckpoint(data)
	require.NoError(t, err)
	assert.Equal(t, cp.Size, got.Size)
	assert.Equal(t, cp.Head, got.Head)
	assert.True(t, cp.At.Equal(got.At))
	require.NoError(t, audit.VerifySignature(&priv.PublicKey, got), "an exported checkpoint verifies after reading back")

	for _, c := range strictjsontest.Cases(data, audit.MaxCheckpointBytes) {
		t.Run(c.Name, func(t *testing.T) {
			_, err := audit.ParseCheckpoint(c.Input)
			require.ErrorIs(t, err, audit.ErrMalformed)
		})
	}
	_, err = audit.ParseCheckpoint([]byte(`{"size":-1,"head":null,"at":"2026-01-01T00:00:00Z"}`))
	require.ErrorIs(t, err, audit.ErrMalformed)
}

func FuzzParseCheckpoint(f *testing.F) {
	f.Add([]byte(`{"size":1,"head":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","at":"2026-11-29T09:30:00Z","sig":"AQ=="}`))
	f.Add([]byte(`{"size":0,"head":null,"at":"0001-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"size":9223372036854775807}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cp, err := audit.ParseCheckpoint(data)
		if err != nil {
			if !errors.Is(err, audit.ErrMalformed) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if cp.Size < 0 || (cp.Size > 0 && len(cp.Head) != audit.HashSize) {
			t.Fatalf("accepted an invalid checkpoint %+v", cp)
		}
	})
}

func FuzzParsePublicKey(f *testing.F) {
	priv, err := audit.GenerateKey()
	require.NoError(f, err)
	pubPEM, err := audit.MarshalPublicKey(&priv.PublicKey)
	require.NoError(f, err)
	f.Add(pubPEM)
	f.Add([]byte("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pub, err := audit.ParsePublicKey(data)
		if err != nil {
			if !errors.Is(err, audit.ErrKey) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if !sm2.IsSM2PublicKey(pub) {
			t.Fatal("accepted a key that is not SM2")
		}
	})
}
