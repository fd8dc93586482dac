package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// Sealer encrypts what must be stored about a person and read back (an address for an
// operator's reply, a queued message): AES-256-GCM with a key derived from the
// deployment's secret and a purpose, so a leaked Redis dump holds no phone number, and
// what is sealed for one purpose cannot be opened as another.
//
// During a rotation of the secret (see Also) it opens what was sealed under the
// previous secret too, and seals only under the current one.
type Sealer struct {
	aead    cipher.AEAD
	purpose string
	// old are the open-only keys of previous secrets, tried in order after aead.
	old []cipher.AEAD
}

// NewSealer derives the key of purpose ("outbox", "ticket") from secret (16 bytes or
// more: the deployment's FARO_HMAC_SECRET).
func NewSealer(secret []byte, purpose string) (*Sealer, error) {
	aead, err := newAEAD(secret, purpose)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead, purpose: purpose}, nil
}

// newAEAD derives the AES-256-GCM key of purpose from secret.
func newAEAD(secret []byte, purpose string) (cipher.AEAD, error) {
	if len(secret) < 16 {
		return nil, errors.New("sealer: the secret must be at least 16 bytes")
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("faro " + purpose + " v1"))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		return nil, fmt.Errorf("sealer: cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("sealer: gcm: %w", err)
	}
	return aead, nil
}

// Seal encrypts plain with a fresh random nonce, prepended to the result.
func (s *Sealer) Seal(plain []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	nonce := make([]byte, n, n+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("sealer: nonce: %w", err)
	}
	return s.aead.Seal(nonce, nonce, plain, nil), nil
}

// Open decrypts what Seal returned; it fails on anything altered or sealed with
// another secret or purpose.
func (s *Sealer) Open(sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return nil, errors.New("sealer: too short")
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], nil)
	for _, old := range s.old {
		if err == nil {
			break
		}
		plain, err = old.Open(nil, sealed[:n], sealed[n:], nil)
	}
	if err != nil {
		return nil, fmt.Errorf("sealer: open: %w", err)
	}
	return plain, nil
}

// Also lets s open what was sealed for the same purpose under previous, the
// deployment's secret before a rotation (FARO_HMAC_SECRET_PREVIOUS); s still seals
// under its own secret only. Open tries the current key first, so the normal path
// costs nothing more; what was sealed under neither costs one more failed open per
// previous secret. Call it before s is shared: it is not safe concurrently with Open.
func (s *Sealer) Also(previous []byte) error {
	aead, err := newAEAD(previous, s.purpose)
	if err != nil {
		return err
	}
	s.old = append(s.old, aead)
	return nil
}
