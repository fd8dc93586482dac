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
	case cmd == "/closed": // the operator closed the ticket before this message (text or a button)
		in = parseInput(rest, now)
		in.TicketClosed = true
	default:
		in.Text = line
	}
	return in
}

// runTranscript plays the user lines of tc and writes the conversation as a person on
// WhatsApp would read it.
//
// With tc.online, operators are online; a handoff effect opens a ticket as
// bot.Conversation would, so the following lines run in handoff mode. With tc.away the
// office hours are over until tc.back; with tc.blocked the person may open no ticket.
// Two lines are not the person's: "/closing" is the operator closing the chat (the
// message the console sends, Engine.HandoffClosedReply) and "/reminder" the reminder to
// someone waiting long (Engine.HandoffWaitingReply).
func runTranscript(e *flows.Engine, texts flows.Localizer, tc transcript, lang string, now time.Time) string {
	var b strings.Builder
	s := flows.Session{Lang: lang}
	for _, line := range tc.lines {
		fmt.Fprintf(&b, "> %s\n", line)
		var replies []flows.Reply
		var effects []flows.Effect
		switch line {
		case "/closing":
			replies = e.HandoffClosedReply(s.Lang)
		case "/reminder":
			replies = e.HandoffWaitingReply(s.Lang)
		default:
			in := parseInput(line, now)
			in.OperatorsOnline, in.OutOfHours, in.Back, in.Blocked = tc.online, tc.away, tc.back, tc.blocked
			s, replies, effects = e.Step(s, in)
		}
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
			switch {
			case ef.Kind != flows.EffectEvent:
				fmt.Fprintf(&b, "[effect: %s]\n", effectName(ef))
			case strings.HasPrefix(ef.Topic, "rating_"), strings.HasPrefix(ef.Topic, flows.EventHelped), strings.HasPrefix(ef.Topic, flows.EventFeedback): // counted, nothing about the person
				fmt.Fprintf(&b, "[event: %s]\n", ef.Topic)
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
		name := "relay text"
		if ef.Media != "" {
			name = "relay " + ef.Media
		}
		if ef.Urgent {
			name += " urgent"
		}
		return name
	case flows.EffectClose:
		return "close"
	case flows.EffectFeedback:
		entry := ef.Entry
		if entry == "" {
			entry = "-"
		}
		return fmt.Sprintf("feedback %s about %s: %q", ef.Topic, entry, ef.Text)
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
			got := runTranscript(e, texts, tc, lang, now)
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
