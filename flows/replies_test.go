package flows_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/faro-chat/faro/flows/content"
)

// cardLine is a line only a card has: a service's distance ("Name · a 1,2 km", "· 1.2
// km away") or a contact of a phone line or service.
var cardLine = regexp.MustCompile(`(?m)(· (a (unos )?[0-9]+(,[0-9])? km|[0-9]+\.[0-9] km away)|^(Tel\. |Web: |WhatsApp: ))`)

// socialNames are the names people give in the golden transcripts.
var socialNames = []string{"Valentina", "Dani", "Yuli", "Ana"}

// TestRepliesAreShortAndDiscreet reads every reply of every golden transcript, as the
// person receives it: its texts and options (cards left out: a list of cards may be
// longer) fit in content.MaxTextRunes, and its first content.PreviewRunes characters
// (what a notification preview shows, numbered options included as on WhatsApp) name
// no topic and no social name.
func TestRepliesAreShortAndDiscreet(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts: %v", err)
	}
	n := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range replies(string(data)) {
			n++
			var kept []string
			for _, b := range strings.Split(r.text, "\n\n") {
				if !cardLine.MatchString(b) {
					kept = append(kept, b)
				}
			}
			if l := utf8.RuneCountInString(strings.Join(kept, "\n\n")); l > content.MaxTextRunes {
				t.Errorf("%s, after %q: the reply is %d characters without its cards, at most %d:\n%s", filepath.Base(file), r.after, l, content.MaxTextRunes, r.text)
			}
			if p := content.PreviewProblem(r.text, socialNames...); p != "" {
				t.Errorf("%s, after %q: %s", filepath.Base(file), r.after, p)
			}
		}
	}
	if n < 200 {
		t.Errorf("only %d replies read: is the transcript format still the same?", n)
	}
}

// TestEmergencyReplyIsShort: the reply to a first call for help, phone lines
// included, fits a cheap phone's screen (it was 1,230 characters, with a card about
// the fire brigade's outage that did not help).
func TestEmergencyReplyIsShort(t *testing.T) {
	data, err := os.ReadFile("testdata/02_emergency_first_message.txt")
	if err != nil {
		t.Fatal(err)
	}
	r := replies(string(data))[0]
	if l := utf8.RuneCountInString(r.text); l > content.MaxTextRunes {
		t.Errorf("the emergency reply is %d characters, at most %d", l, content.MaxTextRunes)
	}
	for _, want := range []string{"105", "100", "106", "113"} {
		if !strings.Contains(r.text, want) {
			t.Errorf("the emergency reply lost %s", want)
		}
	}
	if strings.Contains(r.text, "116") {
		t.Error("the 116 outage card does not help someone in danger from a person")
	}
}

type reply struct{ after, text string }

// replies splits a golden transcript into the replies to each user line (effect
// lines left out).
func replies(s string) []reply {
	var out []reply
	var cur *reply
	var lines []string
	flush := func() {
		if cur != nil {
			cur.text = strings.TrimSpace(strings.Join(lines, "\n"))
			out = append(out, *cur)
		}
		lines = nil
	}
	for _, l := range strings.Split(s, "\n") {
		switch {
		case strings.HasPrefix(l, "> "):
			flush()
			cur = &reply{after: strings.TrimPrefix(l, "> ")}
		case strings.HasPrefix(l, "#") && cur == nil, strings.HasPrefix(l, "[effect"):
		default:
			lines = append(lines, l)
		}
	}
	flush()
	return out
}
