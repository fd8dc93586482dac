package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faro-chat/faro/directory"
)

// TestCheckCatchesBadOrgRecords: `faro check --directory DIR` on the Peru data with
// bad organization records fails, and says what is wrong with each one.
func TestCheckCatchesBadOrgRecords(t *testing.T) {
	dir := copyDirectoryData(t)
	good := runCheckIn(t, dir)
	cases := []struct {
		name, record, want string
	}{
		{"duplicate id", "  - {id: inppares, name: X, code: x1, source: \"https://example.org\"}", "org inppares: duplicate id"},
		{"duplicate code", "  - {id: dup-code, name: X, code: SJM, source: \"https://example.org\"}", `org dup-code: code "SJM" is already encuentros-sjm's`},
		{"code unfit for a deep link", "  - {id: bad-code, name: X, code: \"a b\", source: \"https://example.org\"}", "org bad-code: code \"a b\": want 1 to 64 of A-Z a-z 0-9 _ -"},
		{"unknown region", "  - {id: bad-region, name: X, code: x2, regions: [\"990000\"], source: \"https://example.org\"}", `org bad-region: region "990000" is not a department or province`},
		{"no source", "  - {id: no-source, name: X, code: x3}", "org no-source: no source"},
		{"entry that disagrees", "  - {id: bad-entry, name: Otra, code: x4, entry: pe-defensoria-sede-lima, source: \"https://example.org\"}", "org bad-entry: entry \"pe-defensoria-sede-lima\" is not a community organization"},
	}
	orgs, err := os.ReadFile(filepath.Join(dir, directory.OrgsFile))
	if err != nil {
		t.Fatal(err)
	}
	bad := string(orgs)
	for _, tc := range cases {
		bad += "\n" + tc.record + "\n"
	}
	if err := os.WriteFile(filepath.Join(dir, directory.OrgsFile), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	out := runCheckIn(t, dir)
	if !strings.Contains(out, "faro check: ") || strings.Contains(good, "orgs.yaml") {
		t.Fatalf("the good data should have no problem with orgs.yaml:\n%s", good)
	}
	for _, tc := range cases {
		if !strings.Contains(out, "error: "+dir+"/"+directory.OrgsFile+" entry "+tc.want) {
			t.Errorf("%s: faro check does not say %q", tc.name, tc.want)
		}
	}
	if t.Failed() {
		t.Logf("faro check said:\n%s", out)
	}
}

// runCheckIn runs `faro check -q --directory dir` and returns what it printed; a
// check with any error exits 1.
func runCheckIn(t *testing.T, dir string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"check", "-q", "--directory", dir}, strings.NewReader(""), &out, &errOut)
	if code != 0 && !strings.Contains(out.String(), "error: ") {
		t.Fatalf("faro check exited %d with no error listed: %s%s", code, out.String(), errOut.String())
	}
	return out.String()
}

// copyDirectoryData copies the embedded directory data to a new folder.
func copyDirectoryData(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(directory.Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(directory.Embedded(), p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, p), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
