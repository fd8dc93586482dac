package flows

import "testing"

// TestEveryKindIsRegistered: each kind a flow may name has its implementation, and
// only those do.
func TestEveryKindIsRegistered(t *testing.T) {
	for _, k := range []string{KindMessage, KindMenu, KindAsk, KindLines, KindServices, KindHandoff, KindLanguage, KindErase, KindConfirm} {
		if _, ok := kinds[k]; !ok {
			t.Errorf("kind %q has no implementation in kinds", k)
		}
	}
	if len(kinds) != 9 {
		t.Errorf("kinds has %d entries, want the 9 declared kinds", len(kinds))
	}
}
