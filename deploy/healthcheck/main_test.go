package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRun(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/readyz" {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "ok\n")
	}))
	defer srv.Close()
	if got := run([]string{srv.URL + "/healthz"}, io.Discard); got != 0 {
		t.Errorf("healthz: exit %d, want 0", got)
	}
	if got := run([]string{srv.URL + "/readyz"}, io.Discard); got != 1 {
		t.Errorf("readyz 503: exit %d, want 1", got)
	}
	srv.Close()
	if got := run([]string{srv.URL + "/healthz"}, io.Discard); got != 1 {
		t.Errorf("server down: exit %d, want 1", got)
	}
}
