package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// runChatTest runs `faro chat args...` with the given lines on stdin and returns stdout.
func runChatTest(t *testing.T, input string, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"chat", "--now", "2026-11-27T10:00:00-05:00"}, args...), strings.NewReader(input), &out, &errOut)
	if code != 0 {
		t.Fatalf("faro chat %v exited %d: %s", args, code, errOut.String())
	}
	return out.String()
}

func TestChatInAPipe(t *testing.T) {
	out := runChatTest(t, "hola\n4\n3\n")
	for _, want := range []string{"> hola", "1. 🆘", "> 4", "> 3", "Inspector", "0800-15-170"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestChatEmergencyFirst(t *testing.T) {
	out := runChatTest(t, "ME ESTAN PEGANDO!!\n")
	if !strings.Contains(out, "105") || !strings.Contains(out, "100") {
		t.Fatalf("a call for help must get the numbers at once:\n%s", out)
	}
}

func TestChatEnglishTelegram(t *testing.T) {
	out := runChatTest(t, "hi\n2\n1\n", "--lang", "en", "--channel", "telegram")
	for _, want := range []string{"Hi 👋", "[1. 🆘", "[📍 Share my location]"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestChatLocationFlagAnswersTheQuestion(t *testing.T) {
	// Ayacucho's main square: the services near there, not in Lima.
	out := runChatTest(t, "hola\n2\n1\n", "--location", "-13.1588,-74.2236")
	if !strings.Contains(out, "> /location -13.1588,-74.2236") {
		t.Fatalf("the pin should be sent when the bot asks where the user is:\n%s", out)
	}
	if !strings.Contains(out, "Huamanga") && !strings.Contains(out, "Ayacucho") {
		t.Fatalf("results should be near Ayacucho:\n%s", out)
	}
}

func TestChatMediaAndCommands(t *testing.T) {
	out := runChatTest(t, "/voice\n/start redtrasex\nborrar\n1\n")
	if !strings.Contains(out, "Solo puedo leer texto") {
		t.Errorf("a voice note should get the kind reply:\n%s", out)
	}
	if !strings.Contains(out, "> borrar") {
		t.Errorf("missing the erase exchange:\n%s", out)
	}
}

func TestChatRejectsBadFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"chat", "--channel", "sms"}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Fatalf("--channel sms: exit %d, want 2", code)
	}
	if code := run(context.Background(), []string{"chat", "--location", "north"}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Fatalf("--location north: exit %d, want 2", code)
	}
}

func TestCheckShippedContent(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"check", "-q"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("faro check exited %d:\n%s%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "0 errors") {
		t.Fatalf("faro check output: %s", out.String())
	}
}

func TestCheckFailsOnBrokenFlow(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir+"/main.yaml", "schema: 1\nstart: a\nhome: a\nemergency: a\noperator: a\nlanguage: a\nerase: a\nnodes:\n  a: {kind: menu, say: [x], options: [{label: y, goto: nowhere}]}\n")
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"check", "--flows", dir}, nil, &out, &errOut)
	if code != 1 {
		t.Fatalf("faro check on a broken flow exited %d, want 1", code)
	}
	for _, want := range []string{`option 1 goto "nowhere" does not exist`, "want lines", "does not exist (used by node a)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("check output lacks %q:\n%s", want, out.String())
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestChatPortugueseWhenEnabled: pt is on by default: writing its name switches to
// it at any point; qu is a draft, on only when enabled.
func TestChatPortugueseWhenEnabled(t *testing.T) {
	t.Setenv("FARO_LOCALES_ENABLED", "")
	out := runChatTest(t, "hola\n4\nportugues\n3\n")
	for _, want := range []string{"Em português: escreva «Português».", "Certo, vou escrever em português.", "Meus direitos"} {
		if !strings.Contains(out, want) {
			t.Errorf("pt: output lacks %q:\n%s", want, out)
		}
	}
	if out := runChatTest(t, "runasimi\n"); strings.Contains(out, "Napaykullayki") {
		t.Errorf("qu off by default, yet it answered in Quechua:\n%s", out)
	}
	t.Setenv("FARO_LOCALES_ENABLED", "qu")
	if out := runChatTest(t, "runasimi\n"); !strings.Contains(out, "Napaykullayki") {
		t.Errorf("qu enabled by the environment:\n%s", out)
	}
}

func TestLocaleReviewRecords(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"es.toml", "pt.toml"} {
		data, err := os.ReadFile("../../locales/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dir+"/"+name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"locale-review", "--dir", dir, "pt"}, nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "reviewer") {
		t.Errorf("a review without a reviewer: exit %d, %s", code, errOut.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"locale-review", "--dir", dir, "--reviewer", "Colectivo X", "--date", "2026-12-01", "pt"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	data, err := os.ReadFile(dir + "/review/pt.toml")
	if err != nil || !strings.Contains(string(data), `status = "reviewed"`) || !strings.Contains(string(data), `reviewer = "Colectivo X"`) || !strings.Contains(string(data), `"welcome.body" = "`) {
		t.Errorf("record:\n%s %v", data, err)
	}
}

// TestChatNeverOffersAMessageNobodyReads: `faro chat` keeps no tickets, so asking for
// a person gets the numbers and no offer to leave a message in a queue nobody reads.
func TestChatNeverOffersAMessageNobodyReads(t *testing.T) {
	out := runChatTest(t, "hola\npersona\n1\n")
	if strings.Contains(out, "estás en la fila") || strings.Contains(out, "dejar un mensaje") {
		t.Errorf("faro chat offered to queue a message nobody will read:\n%s", out)
	}
	if !strings.Contains(out, "105") {
		t.Errorf("asking for a person with nobody there must give the numbers:\n%s", out)
	}
}
