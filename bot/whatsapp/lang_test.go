package whatsapp

import (
	"net/url"
	"testing"
	"time"
)

// TestLangOfNumber: a number from a Portuguese-speaking country hints pt; the rest
// (Peru, Venezuela, Colombia, the mixed +1) hint nothing, so the default applies.
func TestLangOfNumber(t *testing.T) {
	for number, want := range map[string]string{
		"+5511987654321": "pt", "+351912345678": "pt", "+244923000000": "pt",
		"+51987654321": "", "+584121234567": "", "+573001234567": "", "+15551234567": "", "": "",
	} {
		if got := LangOfNumber(number); got != want {
			t.Errorf("%s: %q, want %q", number, got, want)
		}
	}
	in, ok := ParseForm(url.Values{"From": {"whatsapp:+5521999998888"}, "Body": {"oi"}}, time.Now())
	if !ok || in.LangHint != "pt" {
		t.Errorf("a Brazilian number: hint %q", in.LangHint)
	}
}
