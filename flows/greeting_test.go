package flows_test

import (
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
)

// TestGreetingsMidConversation: a hello written in the middle of a conversation (she
// comes back to a chat left on a page or at a question) brings the menu, in every
// language, and is never kept as her name or looked up as a place; a message that opens
// with a greeting and says more is read for what it says.
func TestGreetingsMidConversation(t *testing.T) {
	e, _ := realEngine(t)
	f := e.Flow()
	now := time.Date(2026, 12, 2, 21, 0, 0, 0, time.UTC)
	hellos := []string{
		"hola q tal", "holaaa amiga", "buenas noches, como estas?", "wenas", "q hubo pana",
		"hola disculpa la hora", "bns dias", "buenas, hay alguien ahi?",
		"bom dia", "oi tudo bem?", "boa noite gente", "e ai, tem alguem ai",
		"hi there", "hey, is anyone there?", "good evening faro",
	}
	for _, at := range []string{"violence_menu", "services_place", "name_ask"} {
		for _, h := range hellos {
			start := flows.Session{Lang: "es", Node: at, Stack: []string{f.Home}}
			s, replies, _ := e.Step(start, flows.Input{Kind: flows.InputText, Text: h, Now: now})
			if s.Node != f.Home {
				t.Errorf("«%s» at %s: at %s, want the menu (%s)", h, at, s.Node, f.Home)
			}
			if v := s.Vars["name"]; v != "" {
				t.Errorf("«%s» at %s: kept as her name %q", h, at, v)
			}
			if len(replies) == 0 {
				t.Errorf("«%s» at %s: no reply", h, at)
			}
		}
	}
	// more than a hello: what it says is answered (danger first); "" is anything but a
	// hello
	for text, want := range map[string]string{
		"hola, me estan siguiendo":               "danger",
		"buenas noches, me quiero morir":         "selfharm",
		"hola q tal, necesito una prueba de vih": "",
		"oi, quero falar com uma pessoa":         "",
		"hi, where can i get condoms":            "",
	} {
		got := e.Understand(text).Intent
		if got == "greet" || want != "" && got != want {
			t.Errorf("«%s»: read as %s, want %q", text, got, want)
		}
	}
}
