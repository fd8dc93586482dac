package deploy

import (
	"bufio"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// compose is the part of the Compose specification that compose.yaml uses, decoded
// strictly: a misspelt key (stop_grace_peroid) fails instead of being ignored.
type compose struct {
	Name     string                    `json:"name"`
	Services map[string]composeService `json:"services"`
	Volumes  map[string]struct{}       `json:"volumes"`
	Secrets  map[string]struct {
		File string `json:"file"`
	} `json:"secrets"`
}

type composeService struct {
	Build *struct {
		Context    string `json:"context"`
		Dockerfile string `json:"dockerfile"`
	} `json:"build"`
	Image     string `json:"image"`
	Restart   string `json:"restart"`
	DependsOn map[string]struct {
		Condition string `json:"condition"`
	} `json:"depends_on"`
	EnvFile         []string          `json:"env_file"`
	Environment     map[string]string `json:"environment"`
	Secrets         []string          `json:"secrets"`
	Ports           []string          `json:"ports"`
	Expose          []string          `json:"expose"`
	ReadOnly        bool              `json:"read_only"`
	User            string            `json:"user"`
	CapDrop         []string          `json:"cap_drop"`
	SecurityOpt     []string          `json:"security_opt"`
	Command         []string          `json:"command"`
	Volumes         []string          `json:"volumes"`
	StopGracePeriod string            `json:"stop_grace_period"`
	StopSignal      string            `json:"stop_signal"`
	Healthcheck     *struct {
		Test        []string `json:"test"`
		Interval    string   `json:"interval"`
		Timeout     string   `json:"timeout"`
		Retries     int      `json:"retries"`
		StartPeriod string   `json:"start_period"`
	} `json:"healthcheck"`
}

func loadCompose(t *testing.T) compose {
	t.Helper()
	b, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c compose
	strict(t, "compose.yaml", b, &c)
	return c
}

func TestCompose(t *testing.T) {
	c := loadCompose(t)
	faro, ok := c.Services["faro"]
	redis, ok2 := c.Services["redis"]
	if !ok || !ok2 {
		t.Fatalf("compose services %v: want faro and redis", c.Services)
	}

	// Redis keeps tickets and queued replies: persistence on, nothing evicted, a volume.
	cmd := strings.Join(redis.Command, " ")
	for _, want := range []string{"--appendonly yes", "--maxmemory-policy noeviction"} {
		if !strings.Contains(cmd, want) {
			t.Errorf("redis command %q lacks %s", cmd, want)
		}
	}
	var dataVolume bool
	for _, v := range redis.Volumes {
		name, path, _ := strings.Cut(v, ":")
		if _, declared := c.Volumes[name]; declared && strings.HasPrefix(path, "/data") {
			dataVolume = true
		}
	}
	if !dataVolume {
		t.Errorf("redis volumes %v: want a named volume (declared under volumes:) on /data", redis.Volumes)
	}
	if len(redis.Ports) > 0 {
		t.Errorf("redis publishes %v: only faro needs it, inside the network", redis.Ports)
	}
	if faro.DependsOn["redis"].Condition != "service_healthy" || redis.Healthcheck == nil {
		t.Error("faro should wait for a healthy redis (depends_on condition and a redis healthcheck)")
	}

	// The drain fits in the grace period.
	grace, err := time.ParseDuration(faro.StopGracePeriod)
	if err != nil {
		t.Fatalf("faro stop_grace_period %q: %v", faro.StopGracePeriod, err)
	}
	if drain := shutdownTimeout(t, faro.Environment["FARO_SHUTDOWN_TIMEOUT"]); grace <= drain {
		t.Errorf("stop_grace_period %v is not longer than FARO_SHUTDOWN_TIMEOUT %v", grace, drain)
	}

	// Ports: the HTTP port on the host's loopback for the TLS proxy; /metrics nowhere.
	_, metricsPort, err := splitPort(faro.Environment["FARO_METRICS_ADDR"])
	if err != nil {
		t.Fatalf("FARO_METRICS_ADDR %q: %v", faro.Environment["FARO_METRICS_ADDR"], err)
	}
	for _, p := range faro.Ports {
		if !strings.HasPrefix(p, "127.0.0.1:") {
			t.Errorf("faro publishes %q beyond the host's loopback: the TLS proxy is the way in", p)
		}
		if regexp.MustCompile(`(^|:)` + strconv.Itoa(int(metricsPort)) + `($|/)`).MatchString(p) {
			t.Errorf("faro publishes the metrics port: %q", p)
		}
	}

	// Hardening and the healthcheck the image can run (distroless: no shell, no curl).
	if !faro.ReadOnly || !slices.Contains(faro.CapDrop, "ALL") || !slices.Contains(faro.SecurityOpt, "no-new-privileges:true") {
		t.Error("faro: want read_only, cap_drop ALL and no-new-privileges")
	}
	if strings.HasPrefix(faro.User, "0") || strings.HasPrefix(faro.User, "root") {
		t.Errorf("faro runs as %q", faro.User)
	}
	if faro.Healthcheck == nil || len(faro.Healthcheck.Test) < 2 || faro.Healthcheck.Test[0] != "CMD" {
		t.Fatal("faro: want a healthcheck in exec form")
	}
	dockerfile, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	if probe := faro.Healthcheck.Test[1]; !strings.Contains(string(dockerfile), " "+probe) {
		t.Errorf("the healthcheck runs %s, which deploy/Dockerfile does not put in the image", probe)
	}
	if faro.Build == nil || faro.Build.Dockerfile != "deploy/Dockerfile" || faro.Build.Context != ".." {
		t.Error("faro: want build context .. and deploy/Dockerfile")
	}

	// Configuration: Faro's names only; secrets only as files from declared secrets.
	opts := faroOptions(t)
	for k, v := range faro.Environment {
		checkFaroName(t, opts, "compose.yaml", k)
		base, isFile := strings.CutSuffix(k, "_FILE")
		if !isFile {
			if opts[k] && k != "FARO_REDIS_URL" {
				t.Errorf("compose.yaml sets %s in the environment: use %s_FILE and a secret", k, k)
			}
			continue
		}
		name, ok := strings.CutPrefix(v, "/run/secrets/")
		if _, declared := c.Secrets[name]; !ok || !declared || !slices.Contains(faro.Secrets, name) {
			t.Errorf("%s=%s is not a secret faro is given", k, v)
		}
		if _, both := faro.Environment[base]; both {
			t.Errorf("%s and %s are both set: Faro refuses to start", base, k)
		}
	}
	if _, ok := faro.Environment["FARO_HMAC_SECRET_FILE"]; !ok {
		t.Error("compose.yaml: no FARO_HMAC_SECRET_FILE")
	}
	for name, s := range c.Secrets {
		if !strings.HasPrefix(s.File, "./secrets/") {
			t.Errorf("secret %s from %q: keep secret files under deploy/secrets/ (ignored by git)", name, s.File)
		}
	}

	// faro.env (from compose.env.example) names Faro's variables, none of the ones
	// compose.yaml fixes, and no secret.
	if !slices.Contains(faro.EnvFile, "faro.env") {
		t.Errorf("faro env_file %v: want faro.env (from compose.env.example)", faro.EnvFile)
	}
	example := envFile(t, "compose.env.example")
	if _, ok := example["FARO_PUBLIC_URL"]; !ok {
		t.Error("compose.env.example lacks FARO_PUBLIC_URL")
	}
	for name, value := range example {
		checkFaroName(t, opts, "compose.env.example", name)
		if opts[name] {
			t.Errorf("compose.env.example sets %s (%q), a secret: it is a file under secrets/", name, value)
		}
		if _, fixed := faro.Environment[name]; fixed {
			t.Errorf("compose.env.example sets %s, which compose.yaml fixes", name)
		}
		if _, fixed := faro.Environment[name+"_FILE"]; fixed {
			t.Errorf("compose.env.example sets %s, which compose.yaml reads from a file", name)
		}
	}
}

func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "-ldflags='-s -w'", "./cmd/faro"} {
		if !strings.Contains(s, want) {
			t.Errorf("Dockerfile: the build lacks %s", want)
		}
	}
	froms := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllStringSubmatch(s, -1)
	if len(froms) < 2 {
		t.Fatalf("Dockerfile: %d stages, want a build stage and a runtime stage", len(froms))
	}
	final := froms[len(froms)-1][1]
	if final != "scratch" && !strings.HasPrefix(final, "gcr.io/distroless/static") {
		t.Errorf("Dockerfile runs on %s: want distroless static or scratch", final)
	}
	users := regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindAllStringSubmatch(s, -1)
	if len(users) == 0 {
		t.Fatal("Dockerfile: no USER: the image would run as root")
	}
	if u := users[len(users)-1][1]; strings.HasPrefix(u, "0") || strings.HasPrefix(u, "root") {
		t.Errorf("Dockerfile: USER %s", u)
	}
	ignore, err := os.ReadFile("../.dockerignore")
	if err != nil || !strings.Contains(string(ignore), ".git") {
		t.Error("../.dockerignore should keep .git (and the rest) out of the build context")
	}
}

func TestSystemd(t *testing.T) {
	b, err := os.ReadFile("systemd/faro.service")
	if err != nil {
		t.Fatal(err)
	}
	unit := map[string][]string{}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if k, v, ok := strings.Cut(l, "="); ok && !strings.HasPrefix(l, "#") {
			unit[k] = append(unit[k], v)
		}
	}
	for k, want := range map[string]string{
		"EnvironmentFile": "/etc/faro/faro.env", "NoNewPrivileges": "yes", "ProtectSystem": "strict",
		"DynamicUser": "yes", "ProtectHome": "yes", "PrivateTmp": "yes", "ExecStart": "/usr/local/bin/faro serve",
	} {
		if !slices.Contains(unit[k], want) {
			t.Errorf("faro.service: want %s=%s, have %v", k, want, unit[k])
		}
	}
	env := envFile(t, "systemd/faro.env.example")
	stop, err := time.ParseDuration(strings.Join(unit["TimeoutStopSec"], "") + "s")
	if err != nil {
		t.Fatalf("faro.service TimeoutStopSec %v: %v", unit["TimeoutStopSec"], err)
	}
	if drain := shutdownTimeout(t, env["FARO_SHUTDOWN_TIMEOUT"]); stop <= drain {
		t.Errorf("TimeoutStopSec %v is not longer than FARO_SHUTDOWN_TIMEOUT %v", stop, drain)
	}
	opts := faroOptions(t)
	for name, value := range env {
		checkFaroName(t, opts, "faro.env.example", name)
		if opts[name] && !strings.HasSuffix(name, "_FILE") && name != "FARO_REDIS_URL" && value != "" {
			t.Errorf("faro.env.example gives the secret %s a value: leave it empty (`faro secret`)", name)
		}
	}
	for _, name := range []string{"FARO_LISTEN", "FARO_METRICS_ADDR"} {
		if host, _, err := splitPort(env[name]); err != nil || host != "127.0.0.1" {
			t.Errorf("faro.env.example %s=%q: want loopback, behind Caddy", name, env[name])
		}
	}

	caddy, err := os.ReadFile("systemd/Caddyfile")
	if err != nil {
		t.Fatal(err)
	}
	cf := stripComments(string(caddy))
	if !strings.Contains(cf, "reverse_proxy "+env["FARO_LISTEN"]) {
		t.Errorf("Caddyfile does not proxy to FARO_LISTEN %s", env["FARO_LISTEN"])
	}
	for _, p := range publicPaths(t) {
		if !regexp.MustCompile(`@faro path [^\n]*` + regexp.QuoteMeta(p) + `( |\n)`).MatchString(cf) {
			t.Errorf("Caddyfile does not proxy %s", p)
		}
	}
	for _, private := range []string{"/metrics", "/readyz", "9090"} {
		if strings.Contains(cf, private) {
			t.Errorf("Caddyfile mentions %s: it must stay on the host", private)
		}
	}
	if !regexp.MustCompile(`(?s)handle \{\s*respond 404`).MatchString(cf) {
		t.Error("Caddyfile: everything but the proxied paths should get 404")
	}
}

// envFile reads NAME=value lines (comments and blank lines skipped).
func envFile(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for i, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			t.Errorf("%s:%d: not NAME=value", path, i+1)
			continue
		}
		if _, dup := out[k]; dup {
			t.Errorf("%s:%d: %s set twice", path, i+1, k)
		}
		out[k] = v
	}
	return out
}
