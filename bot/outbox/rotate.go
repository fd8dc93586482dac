package outbox

import "fmt"

// Previous lets s open items sealed under the deployment's previous secret
// (FARO_HMAC_SECRET_PREVIOUS) during a rotation, so that the replies a process left
// queued before the switch are still sent after its restart; new items are sealed
// under the current secret only. Call it before Run.
func (s *Store) Previous(secret []byte) error {
	if err := s.seal.Also(secret); err != nil {
		return fmt.Errorf("outbox: previous secret: %w", err)
	}
	return nil
}
