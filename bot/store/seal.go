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
type Sealer struct{ aead cipher.AEAD }

// NewSealer derives the key of purpose ("outbox", "ticket") from secret (16 bytes or
// more: the deployment's FARO_HMAC_SECRET).
func NewSealer(secret []byte, purpose string) (*Sealer, error) {
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
	return &Sealer{aead: aead}, nil
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
	if err != nil {
		return nil, fmt.Errorf("sealer: open: %w", err)
	}
	return plain, nil
}
