package flows_test

import (
	"testing"

	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/flows/flowstest"
)

// testDirectory is the directory transcripts run against.
func testDirectory(t testing.TB) flows.Directory { return flowstest.NewDirectory() }
