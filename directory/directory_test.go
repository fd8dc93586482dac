package directory_test

import (
	"testing"

	"github.com/faro-chat/faro/directory"
)

// load returns the directory of the embedded data, failing the test if it does not load.
func load(t testing.TB) *directory.Directory {
	t.Helper()
	d, err := directory.Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return d
}
