package bot

import (
	"regexp"
	"strings"
)

// A WhatsApp click-to-chat link cannot carry a start parameter as Telegram's deep
// links do: it can only prefill the first message. Faro's links prefill a short
// greeting followed by the organization's code, "Hola (ref sjm)", which the WhatsApp
// ingress recognises and strips (ParseReferral): the code becomes Inbound.StartCode,
// as a Telegram /start code does, and only the greeting reaches the conversation, so
// the code is never said back, relayed to an operator or kept in a transcript.
// see https://faq.whatsapp.com/5913398998672934

// referralRE is a greeting's code at the end of a message: "(ref CODE)", the code as a
// Telegram start parameter may be, "ref" in any case, a colon allowed.
var referralRE = regexp.MustCompile(`(?i)\s*\(\s*ref\s*:?\s*([A-Za-z0-9_-]{1,64})\s*\)\s*$`)

// ReferralText is the prefilled greeting of a link that carries code: "Hola (ref
// sjm)". ParseReferral reads it back.
func ReferralText(greeting, code string) string {
	return strings.TrimSpace(greeting) + " (ref " + code + ")"
}

// ParseReferral recognises a greeting made by ReferralText, even retyped or with
// spaces lost: it returns the text without the code (the greeting, possibly "") and
// the code, or ok false when text ends with no code.
func ParseReferral(text string) (rest, code string, ok bool) {
	m := referralRE.FindStringSubmatchIndex(text)
	if m == nil {
		return text, "", false
	}
	return strings.TrimSpace(text[:m[0]]), text[m[2]:m[3]], true
}

// TakeReferral moves the code of a link's greeting from in.Text to in.StartCode (see
// ParseReferral): the greeting alone stays as text, and a message that was only the
// code becomes a fresh start, as Telegram's /start CODE. Other messages are returned
// as they came. The WhatsApp ingress and `faro chat --channel whatsapp` call it.
func TakeReferral(in Inbound) Inbound {
	if in.Text == "" {
		return in
	}
	if rest, code, ok := ParseReferral(in.Text); ok {
		in.Text, in.StartCode, in.Start = rest, code, rest == ""
	}
	return in
}
