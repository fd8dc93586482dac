package bot

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Channel message length limits.
const (
	// TelegramMaxLen is the limit of a Telegram text message, in UTF-16 code units.
	// see https://core.telegram.org/bots/api#sendmessage
	TelegramMaxLen = 4096
	// WhatsAppMaxLen is the limit of a Twilio WhatsApp message body, in characters.
	// see https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
	WhatsAppMaxLen = 1600
)

// Split cuts o into messages whose Text is at most limit UTF-16 code units long (a
// measure that is never shorter than the character count, so it is safe for both
// Telegram and Twilio). It cuts between blocks (paragraphs separated by a blank line:
// a text, a service card, a menu), never inside one that fits in a message; a block
// longer than limit is cut at line boundaries, then at spaces, and only as a last
// resort inside a word, never inside a character. Buttons and AskLocation go with the
// last part, so the options appear under the end of the text. limit <= 0 means no limit.
func Split(o Outbound, limit int) []Outbound {
	if limit <= 0 || utf16Len(o.Text) <= limit {
		return []Outbound{o}
	}
	chunks := SplitText(o.Text, limit)
	out := make([]Outbound, len(chunks))
	for i, c := range chunks {
		out[i] = Outbound{Channel: o.Channel, Address: o.Address, Text: c, Operator: o.Operator}
	}
	last := &out[len(out)-1]
	last.Buttons, last.AskLocation = o.Buttons, o.AskLocation
	return out
}

// SplitText cuts s into parts of at most limit UTF-16 code units. It packs whole
// blocks (separated by blank lines) into each part; a block of one line (a heading, a
// question, the navigation footer) stays with the block after it, so that a question
// and its numbered options, or a heading and its card, arrive together. Only a unit
// longer than limit is cut inside, at line boundaries, then spaces. Leading and
// trailing newlines of each part are trimmed.
func SplitText(s string, limit int) []string {
	var parts []string
	cur := ""
	flush := func() {
		if cur = strings.Trim(cur, "\n "); cur != "" {
			parts = append(parts, cur)
		}
		cur = ""
	}
	for _, u := range units(s) {
		switch {
		case cur == "":
			cur = u
		case utf16Len(cur)+2+utf16Len(u) <= limit:
			cur += "\n\n" + u
		default:
			flush()
			cur = u
		}
		if utf16Len(cur) > limit {
			pieces := cutLines(cur, limit)
			parts = append(parts, pieces[:len(pieces)-1]...)
			cur = pieces[len(pieces)-1]
		}
	}
	flush()
	return parts
}

// units splits s into blocks at blank lines and joins each one-line block to the
// block that follows it.
func units(s string) []string {
	var out []string
	pending := ""
	for _, b := range strings.Split(s, "\n\n") {
		if b = strings.Trim(b, "\n"); strings.TrimSpace(b) == "" {
			continue
		}
		if pending != "" {
			b = pending + "\n\n" + b
			pending = ""
		}
		if !strings.Contains(b, "\n") {
			pending = b
			continue
		}
		out = append(out, b)
	}
	if pending != "" {
		out = append(out, pending)
	}
	return out
}

// cutLines cuts s into parts of at most limit UTF-16 code units, preferring line
// boundaries, then spaces (the last part may be shorter than the others).
func cutLines(s string, limit int) []string {
	var parts []string
	for s != "" {
		s = strings.TrimLeft(s, "\n")
		if utf16Len(s) <= limit {
			if s = strings.TrimRight(s, "\n "); s != "" {
				parts = append(parts, s)
			}
			break
		}
		cut := prefixLen(s, limit) // bytes of the longest prefix that fits
		head := s[:cut]
		next := byte(0) // the byte after the prefix: a boundary if it is a newline or space
		if cut < len(s) {
			next = s[cut]
		}
		switch i, j := strings.LastIndexByte(head, '\n'), strings.LastIndexByte(head, ' '); {
		case next == '\n':
		case i > 0:
			cut = i
		case next == ' ':
		case j > 0:
			cut = j
		}
		part := strings.TrimRight(s[:cut], "\n ")
		if part != "" {
			parts = append(parts, part)
		}
		s = s[cut:]
		if s != "" && (s[0] == ' ' || s[0] == '\n') {
			s = s[1:]
		}
	}
	if len(parts) == 0 {
		parts = []string{""}
	}
	return parts
}

// prefixLen returns the length in bytes of the longest prefix of s that is at most
// limit UTF-16 code units long and ends on a character boundary (at least one
// character, so progress is always made).
func prefixLen(s string, limit int) int {
	n := 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if w < 0 {
			w = 1
		}
		if n+w > limit {
			if i == 0 {
				_, size := utf8.DecodeRuneInString(s)
				return size
			}
			return i
		}
		n += w
	}
	return len(s)
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
