package directory

import "fmt"

// Severities of a Problem.
const (
	SevError   = "error"   // the data must not ship: faro check fails
	SevWarning = "warning" // worth a look; faro check passes
)

// Problem is something wrong with the directory data, found by Validate.
type Problem struct {
	Severity string // SevError or SevWarning
	File     string // data file, relative to the data folder
	Entry    string // entry id, if the problem is about one entry
	Message  string
}

// String formats the problem as "error: file: entry: message".
func (p Problem) String() string {
	s := p.Severity + ": " + p.File
	if p.Entry != "" {
		s += ": " + p.Entry
	}
	return s + ": " + p.Message
}

func errorf(file, entry, format string, args ...any) Problem {
	return Problem{Severity: SevError, File: file, Entry: entry, Message: fmt.Sprintf(format, args...)}
}

func warnf(file, entry, format string, args ...any) Problem {
	return Problem{Severity: SevWarning, File: file, Entry: entry, Message: fmt.Sprintf(format, args...)}
}
