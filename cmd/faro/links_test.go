package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runLinksTest(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"links"}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestLinksWritesEveryOrganization(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runLinksTest(t, "--telegram-bot", "FaroPeruBot", "--whatsapp", "whatsapp:+51987654321", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"https://t.me/FaroPeruBot?start=sjm", "https://wa.me/51987654321?text=Hola%20%28ref%20sjm%29"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	for _, f := range []string{"links.csv", "encuentros-sjm/flyer-es.html", "encuentros-sjm/flyer-en.html", "encuentros-sjm/flyer-pt.html",
		"encuentros-sjm/qr-telegram.png", "encuentros-sjm/qr-whatsapp-es.svg", "redtrasex-peru/links.txt"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestLinksOneOrganizationFromTheEnvironment(t *testing.T) {
	t.Setenv("FARO_TELEGRAM_BOT_USERNAME", "@FaroPeruBot")
	t.Setenv("FARO_TWILIO_WHATSAPP_FROM", "")
	dir := t.TempDir()
	code, out, errOut := runLinksTest(t, "--org", "inppares", "--lang", "en", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "https://t.me/FaroPeruBot?start=inp") || strings.Contains(out, "wa.me") {
		t.Errorf("want the Telegram link only:\n%s", out)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 { // inppares/ and links.csv
		t.Errorf("want one organization's folder, got %v", entries)
	}
	if _, err := os.Stat(filepath.Join(dir, "inppares", "flyer-es.html")); err == nil {
		t.Error("only en was asked for")
	}
}

func TestLinksRefusesBadInput(t *testing.T) {
	t.Setenv("FARO_TELEGRAM_BOT_USERNAME", "")
	t.Setenv("FARO_TWILIO_WHATSAPP_FROM", "")
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--telegram-bot", "FaroPeruBot"}, 2, "usage"},
		{[]string{"--out", dir}, 1, "no bot username and no WhatsApp number"},
		{[]string{"--out", dir, "--telegram-bot", "Faro Peru"}, 1, "not a bot username"},
		{[]string{"--out", dir, "--whatsapp", "12"}, 1, "not a WhatsApp number"},
		{[]string{"--out", dir, "--telegram-bot", "FaroPeruBot", "--org", "nope"}, 1, `no organization "nope"`},
		{[]string{"--out", dir, "--telegram-bot", "FaroPeruBot", "--lang", "fr"}, 1, `no flyer texts in "fr"`},
	} {
		code, _, errOut := runLinksTest(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("faro links %v: exit %d, %q; want %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
}

func TestLinksRefusesBadOrgRecords(t *testing.T) {
	data := copyDirectoryData(t)
	orgs := filepath.Join(data, "orgs.yaml")
	b, err := os.ReadFile(orgs)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(orgs, []byte(strings.Replace(string(b), "code: sjm", "code: rtp", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runLinksTest(t, "--directory", data, "--telegram-bot", "FaroPeruBot", "--out", t.TempDir())
	if code != 1 || !strings.Contains(errOut, `code "rtp" is already redtrasex-peru's`) {
		t.Errorf("exit %d: %s", code, errOut)
	}
}
