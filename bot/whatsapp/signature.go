package whatsapp

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"sort"
	"strings"
)

// SignatureHeader carries Twilio's signature of a webhook request.
// see https://www.twilio.com/docs/usage/webhooks/webhooks-security#validating-signatures-from-twilio
const SignatureHeader = "X-Twilio-Signature"

// Sign computes Twilio's signature of a form POST: base64(HMAC-SHA1(authToken, the full
// URL Twilio called, then each POST parameter name followed by its value, sorted by
// name)). The URL must be the public one, as configured in Twilio, query included.
// see https://www.twilio.com/docs/usage/webhooks/webhooks-security#validating-signatures-from-twilio
func Sign(authToken, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(fullURL))
	for _, k := range keys {
		for _, v := range form[k] {
			mac.Write([]byte(k))
			mac.Write([]byte(v))
		}
	}
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// validSignature reports whether sig is Twilio's signature of form sent to fullURL,
// compared in constant time. An empty signature is never valid.
func validSignature(authToken, fullURL string, form url.Values, sig string) bool {
	if sig == "" {
		return false
	}
	want := Sign(authToken, fullURL, form)
	return hmac.Equal([]byte(want), []byte(sig))
}

// defaultPorts are the ports a URL of each scheme means when it names none.
var defaultPorts = map[string]string{"https": "443", "http": "80"}

// portVariant returns base (a configured public URL) with the scheme's default port
// added when it names no port, or removed when it names the default one, and "" when
// there is no such variant (another port, another scheme, or an unparsable URL).
// Twilio has signed webhook URLs both with and without the default port, and
// twilio-go's validator accepts both; only the authority changes here, the rest of
// the URL is kept byte for byte.
func portVariant(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || u.Opaque != "" || strings.HasSuffix(u.Host, ":") {
		return ""
	}
	def, ok := defaultPorts[u.Scheme]
	if !ok {
		return ""
	}
	var host string
	switch u.Port() {
	case "":
		host = u.Host + ":" + def
	case def:
		host = strings.TrimSuffix(u.Host, ":"+def)
	default:
		return ""
	}
	// The authority runs from after "://" to the first "/", "?" or "#"; the host is
	// its end (after any userinfo).
	i := strings.Index(base, "://")
	if i < 0 {
		return ""
	}
	rest := base[i+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority := rest[:end]
	if !strings.HasSuffix(authority, u.Host) {
		return ""
	}
	return base[:i+3] + strings.TrimSuffix(authority, u.Host) + host + rest[end:]
}
