package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExplainShowsTheDecision(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"explain", "me", "llamo", "Dani"}, strings.NewReader(""), &out, &errOut)
	if code != 0 {
		t.Fatalf("faro explain exited %d: %s", code, errOut.String())
	}
	for _, want := range []string{"intent:   name", "name:     Dani", "decided:  name after «me llamo»"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("faro explain lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	code = run(context.Background(), []string{"explain"}, strings.NewReader("me estan pegando\nnadie me obliga, yo decido\n"), &out, &errOut)
	if code != 0 || strings.Count(out.String(), "intent:") != 2 || !strings.Contains(out.String(), "intent:   danger") {
		t.Fatalf("faro explain on stdin: exit %d\n%s", code, out.String())
	}
}

// TestEvalOnAFolder evaluates a small corpus written here: the report, per-intent
// table and misses; and a gate failure exits 1 only on the held-out split.
func TestEvalOnAFolder(t *testing.T) {
	dir := t.TempDir()
	data := "danger\tes\tme estan pegando\t\nselfharm\tes\tme quiero morir\t\nother\tes\tme muero de risa jaja\t\nhealth\tes\tdonde me hago la prueba de vih\t\n"
	if err := os.WriteFile(filepath.Join(dir, "x.tsv"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"eval", "--corpus", dir, "--misses"}, strings.NewReader(""), &out, &errOut)
	if code != 0 {
		t.Fatalf("faro eval --corpus exited %d: %s", code, errOut.String())
	}
	for _, want := range []string{"examples 4", "reached 2 of 2", "| danger", "| health", "misses:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("faro eval lacks %q:\n%s", want, out.String())
		}
	}
}
