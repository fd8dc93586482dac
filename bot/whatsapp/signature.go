package whatsapp

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"sort"
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
