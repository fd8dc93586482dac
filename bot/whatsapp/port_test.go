package whatsapp

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twilio/twilio-go/client"
)

// TestSignatureDefaultPort: Twilio has signed the webhook URL both with and without the
// default port; both are accepted, as twilio-go's validator does, whichever way the
// public URL is configured. Nothing else is: not another host, path, port or scheme.
func TestSignatureDefaultPort(t *testing.T) {
	body, _ := os.ReadFile(filepath.Join("testdata", "text.json"))
	form, ctype := encodeForm(t, body)
	f := mustParse(string(form))
	for _, tc := range []struct {
		name, configured, signed string
		want                     int
	}{
		{"no port configured, signed as configured", "https://faro.example.org/base", "https://faro.example.org/base", 200},
		{"no port configured, signed with :443", "https://faro.example.org/base", "https://faro.example.org:443/base", 200},
		{":443 configured, signed without port", "https://faro.example.org:443/base", "https://faro.example.org/base", 200},
		{":443 configured, signed as configured", "https://faro.example.org:443/base/", "https://faro.example.org:443/base", 200},
		{"http, signed with :80", "http://faro.example.org/base", "http://faro.example.org:80/base", 200},
		{"http :80 configured, signed without port", "http://faro.example.org:80/base", "http://faro.example.org/base", 200},

		{"another host", "https://faro.example.org/base", "https://evil.example.org/base", 403},
		{"another host with :443", "https://faro.example.org/base", "https://evil.example.org:443/base", 403},
		{"another host, :443 configured", "https://faro.example.org:443/base", "https://evil.example.org/base", 403},
		{"host suffix", "https://faro.example.org/base", "https://faro.example.org.evil.example/base", 403},
		{"another path with :443", "https://faro.example.org/base", "https://faro.example.org:443/other", 403},
		{"another path, :443 configured", "https://faro.example.org:443/base", "https://faro.example.org/other", 403},
		{"port :8443", "https://faro.example.org/base", "https://faro.example.org:8443/base", 403},
		{"port :8443, :443 configured", "https://faro.example.org:443/base", "https://faro.example.org:8443/base", 403},
		{"default port of the other scheme", "https://faro.example.org/base", "https://faro.example.org:80/base", 403},
		{"another scheme", "https://faro.example.org/base", "http://faro.example.org:443/base", 403},
		{"no port where :8443 configured", "https://faro.example.org:8443/base", "https://faro.example.org/base", 403},
		{":443 where :8443 configured", "https://faro.example.org:8443/base", "https://faro.example.org:443/base", 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixtureAt(t, tc.configured)
			sig := Sign(testToken, tc.signed+WebhookPath, f)
			if tc.want == 200 {
				// twilio-go accepts the same signature for the configured URL.
				params := map[string]string{}
				for k := range f {
					params[k] = f.Get(k)
				}
				rv := client.NewRequestValidator(testToken)
				if !rv.Validate(strings.TrimRight(tc.configured, "/")+WebhookPath, params, sig) {
					t.Fatal("twilio-go rejects this signature too")
				}
			}
			r := httptest.NewRequest(http.MethodPost, WebhookPath, strings.NewReader(string(form)))
			r.Header.Set("Content-Type", ctype)
			r.Header.Set(SignatureHeader, sig)
			w := httptest.NewRecorder()
			fx.ch.ServeHTTP(w, r)
			if w.Code != tc.want {
				t.Fatalf("signed over %s, configured %s: %d, want %d", tc.signed, tc.configured, w.Code, tc.want)
			}
			if got := len(fx.h.Received()); (got == 1) != (tc.want == 200) {
				t.Errorf("handler ran %d times", got)
			}
		})
	}
}

// TestStatusSignatureDefaultPort: the status callback takes the same URLs.
func TestStatusSignatureDefaultPort(t *testing.T) {
	body, _ := os.ReadFile(filepath.Join("testdata", "status_failed.json"))
	form, ctype := encodeForm(t, body)
	f := mustParse(string(form))
	for _, tc := range []struct {
		configured, signed string
		want               int
	}{
		{"https://faro.example.org/base", "https://faro.example.org:443/base", 204},
		{"https://faro.example.org:443/base", "https://faro.example.org/base", 204},
		{"https://faro.example.org/base", "https://faro.example.org:8443/base", 403},
		{"https://faro.example.org:443/base", "https://evil.example.org:443/base", 403},
	} {
		fx := newFixtureAt(t, tc.configured)
		r := httptest.NewRequest(http.MethodPost, StatusPath, strings.NewReader(string(form)))
		r.Header.Set("Content-Type", ctype)
		r.Header.Set(SignatureHeader, Sign(testToken, tc.signed+StatusPath, f))
		w := httptest.NewRecorder()
		fx.ch.ServeStatus(w, r)
		if w.Code != tc.want {
			t.Errorf("status signed over %s, configured %s: %d, want %d", tc.signed, tc.configured, w.Code, tc.want)
		}
	}
}

// TestPortVariant: only the authority's default port changes; the rest is kept as is.
func TestPortVariant(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://faro.example.org", "https://faro.example.org:443"},
		{"https://faro.example.org:443", "https://faro.example.org"},
		{"https://faro.example.org/base", "https://faro.example.org:443/base"},
		{"https://faro.example.org:443/base", "https://faro.example.org/base"},
		{"http://faro.example.org/a%2Fb", "http://faro.example.org:80/a%2Fb"},
		{"http://faro.example.org:80/base", "http://faro.example.org/base"},
		{"https://[2001:db8::1]/base", "https://[2001:db8::1]:443/base"},
		{"https://[2001:db8::1]:443/base", "https://[2001:db8::1]/base"},
		{"https://u:p@faro.example.org/base", "https://u:p@faro.example.org:443/base"},
		{"https://faro.example.org:8443/base", ""},
		{"https://faro.example.org:80/base", ""},
		{"http://faro.example.org:443/base", ""},
		{"ftp://faro.example.org/base", ""},
		{"faro.example.org/base", ""},
		{"https://faro.example.org:/base", ""},
		{"://bad", ""},
	} {
		if got := portVariant(tc.in); got != tc.want {
			t.Errorf("portVariant(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
