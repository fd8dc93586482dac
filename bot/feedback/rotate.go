package feedback

import "fmt"

// Previous lets s open the reports sealed under the deployment's previous secret
// (FARO_HMAC_SECRET_PREVIOUS) during a rotation; new ones are sealed under the
// current secret only. Call it before s is used.
func (s *Store) Previous(secret []byte) error {
	if err := s.seal.Also(secret); err != nil {
		return fmt.Errorf("feedback: previous secret: %w", err)
	}
	return nil
}
