package flows

import "testing"

// TestEveryKindIsRegistered: each kind a flow may name has its implementation, and
// only those do.
func TestEveryKindIsRegistered(t *testing.T) {
	for _, k := range []string{KindMessage, KindMenu, KindAsk, KindLines, KindServices, KindHandoff, KindLanguage, KindErase, KindConfirm, KindEntries, KindFeedback} {
		if _, ok := kinds[k]; !ok {
			t.Errorf("kind %q has no implementation in kinds", k)
		}
	}
	if len(kinds) != 11 {
		t.Errorf("kinds has %d entries, want the 11 declared kinds", len(kinds))
	}
}
