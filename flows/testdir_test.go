package flows_test

import (
	"sync"
	"testing"

	"github.com/faro-chat/faro/directory"
	"github.com/faro-chat/faro/flows"
)

var (
	dirOnce sync.Once
	dir     *directory.Directory
	dirErr  error
)

// testDirectory is the directory transcripts run against: the shipped Peru data, so the
// transcripts show the numbers and places a person would really get.
func testDirectory(t testing.TB) flows.Directory {
	t.Helper()
	dirOnce.Do(func() { dir, dirErr = directory.Default() })
	if dirErr != nil {
		t.Fatal(dirErr)
	}
	return dir
}
