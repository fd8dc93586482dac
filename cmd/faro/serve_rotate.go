package main

import (
	"fmt"

	"github.com/faro-chat/faro/bot"
)

// rotate starts a rotation of FARO_HMAC_SECRET when FARO_HMAC_SECRET_PREVIOUS is set:
// every store opens what was sealed under the previous secret, and the conversation
// carries people over from their previous names (see bot.Conversation.Previous and
// deploy/README.md, "Rotating secrets"). Without it, nothing changes.
func (s *server) rotate(conv *bot.Conversation) error {
	if s.cfg.HMACSecretPrevious == "" {
		return nil
	}
	prev := []byte(s.cfg.HMACSecretPrevious)
	stores := []interface{ Previous([]byte) error }{s.tickets, s.feedback, s.sessions, conv, s.eraseJobs}
	if s.outbox != nil {
		stores = append(stores, s.outbox)
	}
	for _, st := range stores {
		if err := st.Previous(prev); err != nil {
			return fmt.Errorf("FARO_HMAC_SECRET_PREVIOUS: %w", err)
		}
	}
	s.log.Info("rotation of FARO_HMAC_SECRET under way: data under the previous secret is read and carried over; remove FARO_HMAC_SECRET_PREVIOUS after the rotation window")
	return nil
}
