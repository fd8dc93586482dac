package store

import (
	"fmt"
	"strings"
	"testing"
)

// TestDialRedisModes: the three deployments parse their URLs without contacting a
// server, and a bad URL never echoes its password.
func TestDialRedisModes(t *testing.T) {
	cases := []struct {
		url, mode string
		want      string // the client type
	}{
		{"redis://:pw@127.0.0.1:6379/0", "single", "*redis.Client"},
		{"redis://127.0.0.1:26379?master_name=faro&addr=127.0.0.2:26379", "sentinel", "*redis.Client"},
		{"redis://127.0.0.1:7000?addr=127.0.0.2:7001&addr=127.0.0.3:7002", "cluster", "*redis.ClusterClient"},
	}
	for _, c := range cases {
		client, err := Dial(c.url, c.mode)
		if err != nil {
			t.Fatalf("%s %s: %v", c.mode, c.url, err)
		}
		if got := fmt.Sprintf("%T", client); got != c.want {
			t.Errorf("%s: client %s, want %s", c.mode, got, c.want)
		}
		_ = client.Close()
	}
	for _, mode := range []string{"single", "sentinel", "cluster"} {
		_, err := Dial("redis://user:s3cret-pw@host:notaport/0", mode)
		if err == nil {
			t.Errorf("%s: a bad URL must be an error", mode)
		} else if strings.Contains(err.Error(), "s3cret-pw") {
			t.Errorf("%s: the error shows the password: %v", mode, err)
		}
	}
}
