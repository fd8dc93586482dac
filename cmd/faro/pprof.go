//go:build pprof

package main

import (
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof on http.DefaultServeMux
	"os"

	"github.com/faro-chat/faro/bot/config"
)

// With -tags pprof, FARO_PPROF_ADDR (a loopback address) serves Go's profiler, for
// performance work on `faro serve` and `faro load`. Never in production builds.
func init() {
	if addr := config.Lookup(os.Getenv, "FARO_PPROF_ADDR"); addr != "" {
		go func() { _ = http.ListenAndServe(addr, nil) }()
	}
}
