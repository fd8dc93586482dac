// Command healthcheck is the container's HEALTHCHECK: distroless has no shell and no
// curl, so this static binary (standard library only, its own module without
// dependencies) asks faro serve for one URL and exits 0 on 200, 1 otherwise.
//
//	healthcheck                                   # http://127.0.0.1:8080/healthz
//	healthcheck http://127.0.0.1:8080/readyz
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	url := "http://127.0.0.1:8080/healthz"
	if len(args) > 0 {
		url = args[0]
	}
	c := &http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return 1
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(stderr, "healthcheck:", url, resp.Status)
		return 1
	}
	return 0
}
