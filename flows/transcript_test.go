package flows_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/flows/flowstest"
	"github.com/faro-chat/faro/locales"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/ from the current output")

// transcriptNow is the clock of every transcript: a Friday morning in Lima.
var transcriptNow = time.Date(2026, 11, 27, 10, 0, 0, 0, time.FixedZone("PET", -5*3600))

// realEngine builds the engine on the shipped flow, locales and directory.
func realEngine(t testing.TB) (*flows.Engine, *locales.Catalog) {
	t.Helper()
	return flowstest.Engine(t, testDirectory(t))
}

// parseInput reads one transcript line as the user's message, in faro chat's syntax:
// text, "[node#i]" for a button press, "/location LAT,LON", "/voice", "/start CODE".
func parseInput(line string, now time.Time) flows.Input {
	in := flows.Input{Kind: flows.InputText, Now: now}
	cmd, rest, _ := strings.Cut(line, " ")
	switch {
	case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
		in.Payload = line[1 : len(line)-1]
	case cmd == "/location":
		a, b, _ := strings.Cut(rest, ",")
		in.Kind = flows.InputLocation
		in.Lat, _ = strconv.ParseFloat(strings.TrimSpace(a), 64)
		in.Lon, _ = strconv.ParseFloat(strings.TrimSpace(b), 64)
	case cmd == "/voice" || cmd == "/photo" || cmd == "/sticker":
		in.Kind = flows.InputMedia
	case cmd == "/start":
		in.Kind = flows.InputStart
	case cmd == "/closed": // the operator closed the ticket before this message
		in.TicketClosed, in.Text = true, rest
	default:
		in.Text = line
	}
	return in
}

// runTranscript plays the user lines and writes the conversation as a person on
// WhatsApp would read it.
//
// With online, operators are online; a handoff effect opens a ticket as bot.Conversation
// would, so the following lines run in handoff mode.
func runTranscript(e *flows.Engine, texts flows.Localizer, lang string, now time.Time, online bool, lines []string) string {
	var b strings.Builder
	s := flows.Session{Lang: lang}
	for _, line := range lines {
		fmt.Fprintf(&b, "> %s\n", line)
		var replies []flows.Reply
		var effects []flows.Effect
		in := parseInput(line, now)
		in.OperatorsOnline = online
		s, replies, effects = e.Step(s, in)
		m := flows.Render(texts, s.Lang, replies)
		b.WriteString(m.Text)
		b.WriteByte('\n')
		for i, o := range m.Options {
			fmt.Fprintf(&b, "%d. %s\n", i+1, o.Label)
		}
		if m.AskLocation {
			b.WriteString("[📍 location button]\n")
		}
		for _, ef := range effects {
			if ef.Kind == flows.EffectHandoff {
				s.Ticket = "t1"
			}
			if ef.Kind != flows.EffectEvent { // counters, nothing anyone sees
				fmt.Fprintf(&b, "[effect: %s]\n", effectName(ef))
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func effectName(ef flows.Effect) string {
	switch ef.Kind {
	case flows.EffectErase:
		return "erase"
	case flows.EffectHandoff:
		return "handoff " + ef.Topic
	case flows.EffectRelay:
		if ef.Media != "" {
			return "relay " + ef.Media
		}
		return "relay text"
	case flows.EffectClose:
		return "close"
	}
	return "unknown"
}

// TestTranscripts replays every conversation of transcripts and compares it with its
// golden file, testdata/<name>.txt. A missing golden file fails; run
// `go test ./flows -run TestTranscripts -update` to write them, then read the diff.
func TestTranscripts(t *testing.T) {
	e, texts := realEngine(t)
	for _, tc := range transcripts {
		t.Run(tc.name, func(t *testing.T) {
			lang := tc.lang
			if lang == "" {
				lang = "es"
			}
			now := tc.now
			if now.IsZero() {
				now = transcriptNow
			}
			got := runTranscript(e, texts, lang, now, tc.online, tc.lines)
			header := "# " + tc.about + "\n# regenerate: go test ./flows -run TestTranscripts -update\n\n"
			got = header + got
			path := filepath.Join("testdata", tc.name+".txt")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("golden transcript missing (%v): run go test ./flows -run TestTranscripts -update and review it", err)
			}
			if string(want) != got {
				t.Errorf("transcript %s changed; diff testdata against this output, and run -update if the change is right:\n%s", path, firstDiff(string(want), got))
			}
			for _, check := range tc.checks {
				if !strings.Contains(got, check) {
					t.Errorf("transcript %s does not contain %q", tc.name, check)
				}
			}
			if strings.Contains(got, "<no value>") {
				t.Errorf("transcript %s renders a missing template field", tc.name)
			}
		})
	}
}

// firstDiff shows the first differing line of two texts, with a little context.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want: %q\n  got:  %q", i+1, w, g)
		}
	}
	return "(no line differs; trailing newline?)"
}
