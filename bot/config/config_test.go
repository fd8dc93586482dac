package config

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func files(m map[string]string) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) {
		if v, ok := m[p]; ok {
			return []byte(v), nil
		}
		return nil, errors.New("no such file")
	}
}

var base = map[string]string{
	"FARO_HMAC_SECRET":             "k3Jx9-Qw2LmZ7vT4pR8sN1bY6cF0hD5a",
	"FARO_TELEGRAM_TOKEN":          "123:tok",
	"FARO_TELEGRAM_WEBHOOK_SECRET": "s3cret_-Hook_9xQ2mL7vT4pR",
}

func with(kv ...string) map[string]string {
	m := map[string]string{}
	for k, v := range base {
		m[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func TestDefaultsAndChannels(t *testing.T) {
	c, err := Parse(env(base), files(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != ":8080" || c.RedisMode != "single" || c.TelegramMode != "webhook" || !c.Telegram() || c.WhatsApp() || !c.TwilioStatusCallbacks {
		t.Errorf("%+v", c)
	}
	c, err = Parse(env(with("FARO_TELEGRAM_TOKEN", "", "FARO_TWILIO_ACCOUNT_SID", "ACx", "FARO_TWILIO_AUTH_TOKEN", "t",
		"FARO_TWILIO_WHATSAPP_FROM", "whatsapp:+1", "FARO_PUBLIC_URL", "https://x.org/")), files(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Telegram() || !c.WhatsApp() || c.PublicURL != "https://x.org" {
		t.Errorf("%+v", c)
	}
}

func TestSecretFromFile(t *testing.T) {
	m := with("FARO_HMAC_SECRET", "", "FARO_HMAC_SECRET_FILE", "/run/secrets/hmac")
	c, err := Parse(env(m), files(map[string]string{"/run/secrets/hmac": "from-file-secret-0123-ABCdef-789\n"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.HMACSecret != "from-file-secret-0123-ABCdef-789" {
		t.Errorf("secret %q", c.HMACSecret)
	}
	m["FARO_HMAC_SECRET"] = "also-set-directly-000"
	if _, err := Parse(env(m), files(map[string]string{"/run/secrets/hmac": "x"})); err == nil {
		t.Error("both set: no error")
	}
	// Non-secret options have no _FILE twin.
	c, _ = Parse(env(with("FARO_LISTEN_FILE", "/x")), files(nil))
	if c.Listen != ":8080" {
		t.Errorf("listen %q", c.Listen)
	}
}

func TestErrors(t *testing.T) {
	for name, m := range map[string]map[string]string{
		"short secret":     with("FARO_HMAC_SECRET", "short"),
		"spaces secret":    with("FARO_HMAC_SECRET", strings.Repeat(" ", 40)),
		"one-kind secret":  with("FARO_HMAC_SECRET", "abcdefghijklmnopqrstuvwxyzabcdefgh"),
		"few distinct":     with("FARO_HMAC_SECRET", strings.Repeat("ab12", 10)),
		"short webhook":    with("FARO_TELEGRAM_WEBHOOK_SECRET", "x"),
		"pprof anywhere":   with("FARO_PPROF_ADDR", "0.0.0.0:6060"),
		"bad metrics addr": with("FARO_METRICS_ADDR", "9090"),
		"no channel":       with("FARO_TELEGRAM_TOKEN", ""),
		"webhook secret":   with("FARO_TELEGRAM_WEBHOOK_SECRET", ""),
		"bad secret chars": with("FARO_TELEGRAM_WEBHOOK_SECRET", "a b"),
		"bad mode":         with("FARO_REDIS_MODE", "ring"),
		"bad duration":     with("FARO_SHUTDOWN_TIMEOUT", "soon"),
		"bad api url":      with("FARO_TELEGRAM_API_URL", "ftp://x"),
		"bad bot username": with("FARO_TELEGRAM_BOT_USERNAME", "Faro Peru"),
		"whatsapp no url":  with("FARO_TWILIO_ACCOUNT_SID", "AC", "FARO_TWILIO_AUTH_TOKEN", "t", "FARO_TWILIO_WHATSAPP_FROM", "+1"),
	} {
		_, err := Parse(env(m), files(nil))
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		for _, secret := range []string{"123:tok", base["FARO_TELEGRAM_WEBHOOK_SECRET"], base["FARO_HMAC_SECRET"]} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("%s: error shows a secret: %v", name, err)
			}
		}
	}
	if _, err := Parse(env(with("FARO_TELEGRAM_MODE", "polling", "FARO_TELEGRAM_WEBHOOK_SECRET", "")), files(nil)); err != nil {
		t.Errorf("polling needs no webhook secret: %v", err)
	}
}

func TestConfigAttrsMask(t *testing.T) {
	m := with("FARO_REDIS_URL", "redis://:hunter2pass@redis:6379/0", "FARO_TWILIO_AUTH_TOKEN_FILE", "/run/t",
		"FARO_TWILIO_WHATSAPP_FROM", "whatsapp:+14155238886")
	got := map[string]string{}
	var all strings.Builder
	for _, a := range Attrs(env(m)) {
		got[a.Key] = a.Value.String()
		all.WriteString(a.Key + "=" + a.Value.String() + "\n")
	}
	out := all.String()
	for _, s := range []string{"123:tok", "s3cret_-", "0123456789abcdef0123", "hunter2pass", "14155238886"} {
		if strings.Contains(out, s) {
			t.Errorf("logged %q:\n%s", s, out)
		}
	}
	for k, v := range map[string]string{
		"FARO_TELEGRAM_TOKEN": "********", "FARO_LISTEN": ":8080 (default)",
		"FARO_TWILIO_AUTH_TOKEN": "******** (from file)", "FARO_REDIS_URL": "redis://:xxxxx@redis:6379/0",
		"FARO_TWILIO_API_URL": "(unset)", "FARO_TWILIO_WHATSAPP_FROM": "whatsapp:********",
	} {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(Options) {
		t.Errorf("%d attributes for %d options", len(got), len(Options))
	}
}

func TestHandoffOptions(t *testing.T) {
	c, err := Parse(env(base), files(nil))
	if err != nil {
		t.Fatal(err)
	}
	if h, err := c.OfficeHours(); err != nil || h != nil || c.HandoffRemind.Minutes() != 10 || c.HandoffTZ != "America/Lima" || c.OperatorNotifyChat != 0 {
		t.Fatalf("defaults: hours %v (%v), remind %s, tz %q, notify %d", h, err, c.HandoffRemind, c.HandoffTZ, c.OperatorNotifyChat)
	}
	c, err = Parse(env(with("FARO_HANDOFF_HOURS", "Mo-Fr 09:00-18:00", "FARO_HANDOFF_HOLIDAYS", "2026-12-08, 2026-12-25",
		"FARO_HANDOFF_REMIND", "15m", "FARO_OPERATOR_NOTIFY_CHAT", "-1001234567890")), files(nil))
	if err != nil {
		t.Fatal(err)
	}
	h, err := c.OfficeHours()
	if err != nil || h == nil || len(c.HandoffHolidays) != 2 || c.HandoffRemind.Minutes() != 15 || c.OperatorNotifyChat != -1001234567890 {
		t.Fatalf("%+v, hours %v (%v)", c, h, err)
	}
	for _, bad := range [][]string{
		{"FARO_HANDOFF_HOURS", "weekdays 9 to 6"},
		{"FARO_HANDOFF_HOLIDAYS", "25/12"},
		{"FARO_HANDOFF_TZ", "Lima"},
		{"FARO_HANDOFF_REMIND", "-1m"},
		{"FARO_OPERATOR_NOTIFY_CHAT", "@group"},
	} {
		if _, err := Parse(env(with(bad...)), files(nil)); err == nil {
			t.Errorf("%s=%q accepted", bad[0], bad[1])
		}
	}
	// the group is told through Telegram only
	_, err = Parse(env(with("FARO_TELEGRAM_TOKEN", "", "FARO_TWILIO_ACCOUNT_SID", "ACx", "FARO_TWILIO_AUTH_TOKEN", "t",
		"FARO_TWILIO_WHATSAPP_FROM", "whatsapp:+1", "FARO_PUBLIC_URL", "https://x.org/", "FARO_OPERATOR_NOTIFY_CHAT", "-100")), files(nil))
	if err == nil || !strings.Contains(err.Error(), "FARO_OPERATOR_NOTIFY_CHAT") {
		t.Errorf("notify without Telegram: %v", err)
	}
	// the chat id is not logged
	for _, a := range Attrs(env(with("FARO_OPERATOR_NOTIFY_CHAT", "-1001234567890"))) {
		if strings.Contains(a.Value.String(), "1234567890") {
			t.Errorf("%s logged as %s", a.Key, a.Value)
		}
	}
}

func TestLocalesEnabled(t *testing.T) {
	c, err := Parse(env(base), files(nil))
	if err != nil || c.LocalesEnabled != nil {
		t.Fatalf("default: %v %v (drafts are off unless named)", c.LocalesEnabled, err)
	}
	c, err = Parse(env(with("FARO_LOCALES_ENABLED", " PT, qu ,")), files(nil))
	if err != nil || strings.Join(c.LocalesEnabled, ",") != "pt,qu" {
		t.Fatalf("pt,qu: %v %v", c.LocalesEnabled, err)
	}
	if c, err = Parse(env(with("FARO_LOCALES_ENABLED", "all")), files(nil)); err != nil || c.LocalesEnabled[0] != "all" {
		t.Fatalf("all: %v %v", c.LocalesEnabled, err)
	}
	if _, err := Parse(env(with("FARO_LOCALES_ENABLED", "portuguese")), files(nil)); err == nil || !strings.Contains(err.Error(), "FARO_LOCALES_ENABLED") {
		t.Fatalf("a language name is not a code: %v", err)
	}
}

// TestRedisURLFromFile: the Redis URL, which may hold a password, reads from a file
// too, and is never logged with it.
func TestRedisURLFromFile(t *testing.T) {
	m := with("FARO_REDIS_URL_FILE", "/run/secrets/redis")
	c, err := Parse(env(m), files(map[string]string{"/run/secrets/redis": "redis://:hunter2-pass@redis:6379/0\n"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.RedisURL != "redis://:hunter2-pass@redis:6379/0" {
		t.Errorf("redis url %q", c.RedisURL)
	}
	for _, a := range Attrs(env(m)) {
		if strings.Contains(a.Value.String(), "hunter2") {
			t.Errorf("%s logged as %s", a.Key, a.Value)
		}
	}
	for _, a := range Attrs(env(with("FARO_REDIS_URL", "redis://:hunter2-pass@redis:6379/0"))) {
		if strings.Contains(a.Value.String(), "hunter2") {
			t.Errorf("%s logged as %s", a.Key, a.Value)
		}
	}
}

// TestMetricsAndProfilerAddresses: /metrics is on loopback by default, may be turned
// off or moved; the profiler only ever listens on loopback.
func TestMetricsAndProfilerAddresses(t *testing.T) {
	c, err := Parse(env(base), files(nil))
	if err != nil || c.MetricsAddr != "127.0.0.1:9090" {
		t.Fatalf("default metrics address %q (%v)", c.MetricsAddr, err)
	}
	if c, err := Parse(env(with("FARO_METRICS_ADDR", "off")), files(nil)); err != nil || c.MetricsAddr != "" {
		t.Errorf("off: %q (%v)", c.MetricsAddr, err)
	}
	for _, ok := range []string{"127.0.0.1:6060", "[::1]:6060", "localhost:6060"} {
		if _, err := Parse(env(with("FARO_PPROF_ADDR", ok)), files(nil)); err != nil {
			t.Errorf("pprof %s: %v", ok, err)
		}
	}
}

// TestStrongSecretsAccepted: what `faro secret` prints passes.
func TestStrongSecretsAccepted(t *testing.T) {
	for range 20 {
		s := NewSecret()
		if err := checkStrong(s, 32); err != nil {
			t.Fatalf("NewSecret() = %q: %v", s, err)
		}
		if err := checkTelegramSecret(s); err != nil {
			t.Fatalf("NewSecret() = %q is no Telegram secret: %v", s, err)
		}
	}
}

func TestBotUsernameAndWhatsAppDigits(t *testing.T) {
	c, err := Parse(env(with("FARO_TELEGRAM_BOT_USERNAME", "@FaroPeruBot")), files(nil))
	if err != nil || c.TelegramBotUsername != "FaroPeruBot" {
		t.Fatalf("username: %q, %v", c.TelegramBotUsername, err)
	}
	for _, bad := range []string{"", "bot", "Faro", "faro-bot", "1FaroBot", strings.Repeat("a", 30) + "bot"} {
		if CheckBotUsername(bad) == nil {
			t.Errorf("CheckBotUsername(%q): no error", bad)
		}
	}
	for in, want := range map[string]string{
		"whatsapp:+14155238886": "14155238886", "+51 987 654 321": "51987654321", "51987654321": "51987654321", "+51 (987) 654-321": "51987654321",
	} {
		if got, err := WhatsAppDigits(in); got != want || err != nil {
			t.Errorf("WhatsAppDigits(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "+1", "whatsapp:", "+51abc987", "+051987654321"} {
		if _, err := WhatsAppDigits(bad); err == nil {
			t.Errorf("WhatsAppDigits(%q): no error", bad)
		}
	}
}

// TestConfigAttrsMaskSentinelURL: a Sentinel URL carries the master's password in its
// query (go-redis reads "password" there) and the Sentinels' before the host: neither
// is logged; the rest of the URL is.
func TestConfigAttrsMaskSentinelURL(t *testing.T) {
	m := with("FARO_REDIS_MODE", "sentinel",
		"FARO_REDIS_URL", "redis://:sentinelpw99@sentinel-0:26379/0?master_name=faro&password=masterpw77&addr=sentinel-1:26379")
	var all strings.Builder
	for _, a := range Attrs(env(m)) {
		all.WriteString(a.Key + "=" + a.Value.String() + "\n")
	}
	out := all.String()
	for _, s := range []string{"sentinelpw99", "masterpw77"} {
		if strings.Contains(out, s) {
			t.Errorf("logged %q:\n%s", s, out)
		}
	}
	if !strings.Contains(out, "master_name=faro") || !strings.Contains(out, "sentinel-0:26379") {
		t.Errorf("the URL is masked beyond its passwords:\n%s", out)
	}
}

// TestTrustedProxies: loopback by default (Caddy on the same host); addresses, CIDRs
// and the words; a mistake is refused at start, not trusted silently.
func TestTrustedProxies(t *testing.T) {
	trusts := func(v, addr string) bool {
		t.Helper()
		c, err := Parse(env(with("FARO_TRUSTED_PROXIES", v)), files(nil))
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		a := netip.MustParseAddr(addr)
		for _, p := range c.TrustedProxies {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	for _, c := range []struct {
		value, addr string
		want        bool
	}{
		{"", "127.0.0.1", true}, {"", "::1", true}, {"", "10.0.0.1", false},
		{"none", "127.0.0.1", false},
		{"private", "10.42.0.7", true}, {"private", "172.31.255.1", true}, {"private", "172.32.0.1", false},
		{"private", "fd00::1", true}, {"private", "203.0.113.1", false},
		{"192.0.2.10, 10.0.0.0/8", "192.0.2.10", true}, {"192.0.2.10, 10.0.0.0/8", "192.0.2.11", false},
		{"loopback,172.30.80.0/24", "172.30.80.1", true}, {"loopback,172.30.80.0/24", "127.0.0.1", true},
	} {
		if got := trusts(c.value, c.addr); got != c.want {
			t.Errorf("FARO_TRUSTED_PROXIES=%q trusts %s: %v, want %v", c.value, c.addr, got, c.want)
		}
	}
	for _, bad := range []string{"10.0.0.1/8", "everyone", "none,127.0.0.1", "10.0.0.0/33", "fe80::1%eth0"} {
		if _, err := Parse(env(with("FARO_TRUSTED_PROXIES", bad)), files(nil)); err == nil || !strings.Contains(err.Error(), "FARO_TRUSTED_PROXIES") {
			t.Errorf("%q accepted (%v)", bad, err)
		}
	}
}
