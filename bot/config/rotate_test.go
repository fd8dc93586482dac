package config

import (
	"strings"
	"testing"
)

// The previous secret of a rotation is optional, read from its _FILE too, checked
// strong like the current one, refused when it is the current one, and never logged.
func TestHMACSecretPrevious(t *testing.T) {
	const prev = "Pv9-old-Secret_4mQ7xL2zR8tW1nB6kY"
	c, err := Parse(env(with()), files(nil))
	if err != nil || c.HMACSecretPrevious != "" {
		t.Fatalf("without it: %q, %v", c.HMACSecretPrevious, err)
	}
	c, err = Parse(env(with("FARO_HMAC_SECRET_PREVIOUS_FILE", "/run/secrets/old")), files(map[string]string{"/run/secrets/old": prev + "\n"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.HMACSecretPrevious != prev {
		t.Fatalf("from file: %q, %v", c.HMACSecretPrevious, err)
	}
	for name, v := range map[string]string{
		"weak":    "abcdefghijklmnopqrstuvwxyzabcdefgh",
		"short":   "Pv9-old",
		"current": base["FARO_HMAC_SECRET"],
	} {
		_, err := Parse(env(with("FARO_HMAC_SECRET_PREVIOUS", v)), files(nil))
		if err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), v) {
			t.Errorf("%s: error shows the secret: %v", name, err)
		}
	}
	var all strings.Builder
	for _, a := range Attrs(env(with("FARO_HMAC_SECRET_PREVIOUS", prev))) {
		all.WriteString(a.Key + "=" + a.Value.String() + "\n")
	}
	if strings.Contains(all.String(), prev) || !strings.Contains(all.String(), "FARO_HMAC_SECRET_PREVIOUS=") {
		t.Errorf("attrs:\n%s", all.String())
	}
}
