package audit

import (
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	"github.com/hotline12345/hotline/internal/strictjson"
)

// CheckpointScheme is signed into every checkpoint.
const CheckpointScheme = "hotline/audit/checkpoint/v1"

// MaxCheckpointBytes bounds a checkpoint document ParseCheckpoint accepts.
const MaxCheckpointBytes = 4 << 10

var (
	// ErrBadSignature: a checkpoint's signature does not verify under the given public key.
	ErrBadSignature = errors.New("audit: checkpoint signature does not verify")
	// ErrKey: a key is missing, of the wrong type or badly encoded.
	ErrKey = errors.New("audit: bad key")
	// ErrMalformed: a checkpoint document is refused.
	ErrMalformed = errors.New("audit: malformed checkpoint")
)

// Checkpoint states that the chain had Size rows ending in hash Head at time At; Sig is the SM2
// signature over these three (see the package documentation). JSON is how it is exported.
type Checkpoint struct {
	Size int64     `json:"size"`
	Head []byte    `json:"head"`
	At   time.Time `json:"at"`
	Sig  []byte    `json:"sig,omitempty"`
}

// signedMessage is the canonical encoding the signature covers.
func (cp Checkpoint) signedMessage() []byte {
	at := cp.At.UTC()
	b := make([]byte, 0, 4+len(CheckpointScheme)+8+4+len(cp.Head)+12)
	b = binary.BigEndian.AppendUint32(b, uint32(len(CheckpointScheme)))
	b = append(b, CheckpointScheme...)
	b = binary.BigEndian.AppendUint64(b, uint64(cp.Size))
	b = binary.BigEndian.AppendUint32(b, uint32(len(cp.Head)))
	b = append(b, cp.Head...)
	b = binary.BigEndian.AppendUint64(b, uint64(at.Unix()))
	b = binary.BigEndian.AppendUint32(b, uint32(at.Nanosecond()))
	return b
}

func (cp Checkpoint) validate() error {
	switch {
	case cp.Size < 0:
		return fmt.Errorf("%w: size %d is negative", ErrMalformed, cp.Size)
	case cp.Size == 0 && len(cp.Head) != 0:
		return fmt.Errorf("%w: an empty chain has no head", ErrMalformed)
	case cp.Size > 0 && len(cp.Head) != HashSize:
		return fmt.Errorf("%w: head is %d bytes, want %d", ErrMalformed, len(cp.Head), HashSize)
	}
	return nil
}

// Sign returns cp with Sig set to the SM2 signature (GB/T 32918.2, default user id) of its size, head
// and time. Make cp from Tip and set At to now.
func Sign(priv *sm2.PrivateKey, cp Checkpoint) (Checkpoint, error) {
	if priv == nil {
		return Checkpoint{}, fmt.Errorf("%w: no private key", ErrKey)
	}
	if err := cp.validate(); err != nil {
		return Checkpoint{}, err
	}
	sig, err := priv.Sign(rand.Reader, cp.signedMessage(), sm2.DefaultSM2SignerOpts)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("audit: signing the checkpoint: %w", err)
	}
	cp.Sig = sig
	return cp, nil
}

// VerifyCheckpoint checks cp's signature under pub, then the chain against it (VerifyHead): rows
// cut off at or before cp.Size, or a row up to it changed, is a *BreakError naming the first bad seq.
func VerifyCheckpoint(pub *ecdsa.PublicKey, cp Checkpoint, rows iter.Seq2[Row, error]) error {
	if err := VerifySignature(pub, cp); err != nil {
		return err
	}
	return VerifyHead(rows, Head{Size: cp.Size, Hash: cp.Head})
}

// VerifySignature checks only cp's signature under pub.
func VerifySignature(pub *ecdsa.PublicKey, cp Checkpoint) error {
	if pub == nil || !sm2.IsSM2PublicKey(pub) {
		return fmt.Errorf("%w: not an SM2 public key", ErrKey)
	}
	if err := cp.validate(); err != nil {
		return err
	}
	if len(cp.Sig) == 0 || !sm2.VerifyASN1WithSM2(pub, nil, cp.signedMessage(), cp.Sig) {
		return ErrBadSignature
	}
	return nil
}

// ParseCheckpoint reads a checkpoint exported as JSON ({"size":…,"head":"<base64>","at":"<RFC 3339>",
// "sig":"<base64>"}) through the module's strict loader. It checks the shape, not the signature.
func ParseCheckpoint(data []byte) (Checkpoint, error) {
	var cp Checkpoint
	if err := strictjson.Decode(data, &cp, MaxCheckpointBytes); err != nil {
		return Checkpoint{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if err := cp.validate(); err != nil {
		return Checkpoint{}, err
	}
	return cp, nil
}

// GenerateKey makes a new SM2 signing key.
func GenerateKey() (*sm2.PrivateKey, error) {
	return sm2.GenerateKey(rand.Reader)
}

// MarshalPrivateKey encodes priv as a PEM "PRIVATE KEY" block (PKCS #8). Store it mode 0600.
func MarshalPrivateKey(priv *sm2.PrivateKey) ([]byte, error) {
	if priv == nil {
		return nil, fmt.Errorf("%w: no private key", ErrKey)
	}
	der, err := smx509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKey, err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// ParsePrivateKey decodes a PEM "PRIVATE KEY" block holding an SM2 key.
func ParsePrivateKey(data []byte) (*sm2.PrivateKey, error) {
	der, err := pemBlock(data, "PRIVATE KEY")
	if err != nil {
		return nil, err
	}
	key, err := smx509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("%w: PKCS #8: %w", ErrKey, err)
	}
	priv, ok := key.(*sm2.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: %T is not an SM2 private key", ErrKey, key)
	}
	return priv, nil
}

// MarshalPublicKey encodes pub as a PEM "PUBLIC KEY" block (PKIX).
func MarshalPublicKey(pub *ecdsa.PublicKey) ([]byte, error) {
	if pub == nil || !sm2.IsSM2PublicKey(pub) {
		return nil, fmt.Errorf("%w: not an SM2 public key", ErrKey)
	}
	der, err := smx509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKey, err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// ParsePublicKey decodes a PEM "PUBLIC KEY" block holding an SM2 key.
func ParsePublicKey(data []byte) (*ecdsa.PublicKey, error) {
	der, err := pemBlock(data, "PUBLIC KEY")
	if err != nil {
		return nil, err
	}
	key, err := smx509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("%w: PKIX: %w", ErrKey, err)
	}
	pub, ok := key.(*ecdsa.PublicKey)
	if !ok || !sm2.IsSM2PublicKey(pub) {
		return nil, fmt.Errorf("%w: %T is not an SM2 public key", ErrKey, key)
	}
	return pub, nil
}

func pemBlock(data []byte, typ string) ([]byte, error) {
	block, rest := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("%w: no PEM block", ErrKey)
	}
	if block.Type != typ {
		return nil, fmt.Errorf("%w: PEM block is %q, want %q", ErrKey, block.Type, typ)
	}
	if len(block.Headers) != 0 {
		return nil, fmt.Errorf("%w: encrypted or annotated PEM blocks are not supported", ErrKey)
	}
	for _, c := range rest {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return nil, fmt.Errorf("%w: data after the PEM block", ErrKey)
		}
	}
	return block.Bytes, nil
}
