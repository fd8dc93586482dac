package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dirRun runs `faro directory args...` and returns its exit code and output.
func dirRun(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runDirectory(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String() + errOut.String()
}

// TestDirectoryImportNeedsForceToReplace: exporting a data file and importing it back
// over itself after a change shows what changes and writes nothing until --force; a
// new file is written at once.
func TestDirectoryImportNeedsForceToReplace(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.CopyFS(data, os.DirFS("../../directory/data")); err != nil {
		t.Fatal(err)
	}
	exported := filepath.Join(dir, "mimp.csv")
	if code, out := dirRun(t, "export", "--csv", "--data", data, "--file", "mimp.csv", "--out", exported); code != 0 {
		t.Fatalf("export: %d %s", code, out)
	}
	raw, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(raw), "\n", 3)
	edited := lines[0] + "\n" + lines[2] // the first entry removed
	if err := os.WriteFile(exported, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(data, "mimp.csv"))
	code, out := dirRun(t, "import", "--csv", exported, "--out", data)
	if code == 0 || !strings.Contains(out, "0 added, 0 changed, 1 removed") || !strings.Contains(out, "--force") {
		t.Fatalf("import over an existing file without --force: exit %d\n%s", code, out)
	}
	if after, _ := os.ReadFile(filepath.Join(data, "mimp.csv")); !bytes.Equal(before, after) {
		t.Fatal("the data file was changed without --force")
	}
	if code, out := dirRun(t, "import", "--csv", exported, "--out", data, "--force"); code != 0 || !strings.Contains(out, "wrote") {
		t.Fatalf("import --force: exit %d\n%s", code, out)
	}
	if after, _ := os.ReadFile(filepath.Join(data, "mimp.csv")); bytes.Equal(before, after) {
		t.Fatal("import --force wrote nothing")
	}
}
