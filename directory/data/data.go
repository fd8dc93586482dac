// Package data holds Faro's Peru directory: the data files in this folder, embedded in
// the binary. See README.md for what each file is, where it comes from and its licence.
package data

import "embed"

// FS holds the data files: *.yaml and *.csv entries, and the gazetteer in geo/.
//
//go:embed *.yaml *.csv *.md geo
var FS embed.FS
