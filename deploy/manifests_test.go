package deploy

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

// manifests is every object of k8s/, decoded strictly (an unknown or misspelt field,
// or a duplicate key, fails the test) into the Kubernetes API types.
type manifests struct {
	deployment *appsv1.Deployment
	service    *corev1.Service
	ingress    *networkingv1.Ingress
	pdb        *policyv1.PodDisruptionBudget
	configMap  *corev1.ConfigMap
	secret     *corev1.Secret
	namespace  *corev1.Namespace
	netpol     *networkingv1.NetworkPolicy
	files      map[string][]string // file name: the kinds in it
}

// kustomization is the part of kustomize's Kustomization that k8s/kustomization.yaml
// uses; strict decoding rejects anything else.
type kustomization struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Namespace  string   `json:"namespace"`
	Resources  []string `json:"resources"`
}

// documents splits a YAML stream at its "---" lines.
func documents(b []byte) [][]byte {
	var out [][]byte
	for _, d := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(b), -1) {
		if strings.TrimSpace(stripComments(d)) != "" {
			out = append(out, []byte(d))
		}
	}
	return out
}

func stripComments(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

func strict(t *testing.T, name string, doc []byte, into any) {
	t.Helper()
	if err := yaml.UnmarshalStrict(doc, into); err != nil {
		t.Fatalf("%s: strict decoding: %v", name, err)
	}
}

func loadManifests(t *testing.T) *manifests {
	t.Helper()
	paths, err := filepath.Glob("k8s/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no k8s/*.yaml (%v)", err)
	}
	m := &manifests{files: map[string][]string{}}
	for _, p := range paths {
		name := filepath.Base(p)
		if name == "kustomization.yaml" {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, doc := range documents(b) {
			var head struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
			}
			if err := yaml.Unmarshal(doc, &head); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			m.files[name] = append(m.files[name], head.Kind)
			want := map[string]string{
				"Deployment": "apps/v1", "Service": "v1", "Ingress": "networking.k8s.io/v1",
				"PodDisruptionBudget": "policy/v1", "ConfigMap": "v1", "Secret": "v1",
				"Namespace": "v1", "NetworkPolicy": "networking.k8s.io/v1",
			}[head.Kind]
			if want == "" {
				t.Fatalf("%s: kind %q is not one this test knows: add it", name, head.Kind)
			}
			if head.APIVersion != want {
				t.Errorf("%s: %s has apiVersion %q, want %q", name, head.Kind, head.APIVersion, want)
			}
			set := func(dst any, seen bool) {
				if seen {
					t.Fatalf("%s: a second %s: this test expects one", name, head.Kind)
				}
				strict(t, name, doc, dst)
			}
			switch head.Kind {
			case "Deployment":
				set(&m.deployment, m.deployment != nil)
			case "Service":
				set(&m.service, m.service != nil)
			case "Ingress":
				set(&m.ingress, m.ingress != nil)
			case "PodDisruptionBudget":
				set(&m.pdb, m.pdb != nil)
			case "ConfigMap":
				set(&m.configMap, m.configMap != nil)
			case "Secret":
				set(&m.secret, m.secret != nil)
			case "Namespace":
				set(&m.namespace, m.namespace != nil)
			case "NetworkPolicy":
				set(&m.netpol, m.netpol != nil)
			}
		}
	}
	for kind, got := range map[string]bool{
		"Deployment": m.deployment != nil, "Service": m.service != nil, "Ingress": m.ingress != nil,
		"PodDisruptionBudget": m.pdb != nil, "ConfigMap": m.configMap != nil, "Secret": m.secret != nil,
		"Namespace": m.namespace != nil, "NetworkPolicy": m.netpol != nil,
	} {
		if !got {
			t.Fatalf("k8s/ has no %s", kind)
		}
	}
	return m
}

// faroOptions reads the table of FARO_* variables from Faro's bot/config/config.go:
// name, and whether NAME_FILE is read too (Secret or File options).
func faroOptions(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile("../bot/config/config.go")
	if err != nil {
		t.Fatalf("Faro's config table: %v", err)
	}
	chunks := strings.Split(string(b), `{Name: "`)[1:]
	opts := map[string]bool{}
	for _, c := range chunks {
		name, rest, ok := strings.Cut(c, `"`)
		if !ok || !strings.HasPrefix(name, "FARO_") {
			continue
		}
		// the option's own fields come before its set func
		head, _, _ := strings.Cut(rest, "set:")
		opts[name] = strings.Contains(head, "Secret: true") || strings.Contains(head, "File: true")
	}
	if len(opts) < 20 || !opts["FARO_HMAC_SECRET"] || !opts["FARO_REDIS_URL"] {
		t.Fatalf("read %d options from bot/config/config.go (%v): has the table changed shape?", len(opts), opts)
	}
	return opts
}

// checkFaroName reports a FARO_* name that Faro does not read (a typo is silently
// ignored by a process that only looks its own names up).
func checkFaroName(t *testing.T, opts map[string]bool, where, name string) {
	t.Helper()
	if !strings.HasPrefix(name, "FARO_") {
		return
	}
	if _, ok := opts[name]; ok {
		return
	}
	if base, ok := strings.CutSuffix(name, "_FILE"); ok {
		if file, known := opts[base]; known && file {
			return
		}
		if _, known := opts[base]; known {
			t.Errorf("%s: %s: Faro reads no _FILE for %s", where, name, base)
			return
		}
	}
	t.Errorf("%s: %s is not one of Faro's variables (bot/config/config.go)", where, name)
}

// goConst reads `Name = "value"` from a Go source file of Faro's.
func goConst(t *testing.T, file, name string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*(?:const\s+)?` + name + `\s*=\s*"([^"]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("%s: no %s constant", file, name)
	}
	return string(m[1])
}

// publicPaths are the paths the outside must reach: the platforms' webhooks (from the
// channel packages' constants), the operator console, and /healthz, which `faro
// doctor` fetches through the public URL (it answers "ok" and nothing more).
func publicPaths(t *testing.T) []string {
	return []string{
		goConst(t, "../bot/telegram/telegram.go", "WebhookPath"),
		goConst(t, "../bot/whatsapp/whatsapp.go", "WebhookPath"),
		goConst(t, "../bot/whatsapp/whatsapp.go", "StatusPath"),
		"/operator",
		"/healthz",
	}
}

func shutdownTimeout(t *testing.T, v string) time.Duration {
	t.Helper()
	if v == "" {
		v = "25s" // Faro's default
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		t.Fatalf("FARO_SHUTDOWN_TIMEOUT %q: %v", v, err)
	}
	return d
}

func TestKustomizationListsEveryManifest(t *testing.T) {
	m := loadManifests(t)
	b, err := os.ReadFile("k8s/kustomization.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var k kustomization
	strict(t, "kustomization.yaml", b, &k)
	if k.Kind != "Kustomization" || k.Namespace != m.namespace.Name {
		t.Errorf("kustomization: kind %q namespace %q, want Kustomization in %q", k.Kind, k.Namespace, m.namespace.Name)
	}
	var want []string
	for f := range m.files {
		if f != "secret.example.yaml" {
			want = append(want, f)
		}
	}
	sort.Strings(want)
	got := slices.Clone(k.Resources)
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Errorf("kustomization resources %v, want every manifest but the Secret example: %v", got, want)
	}
	if slices.Contains(k.Resources, "secret.example.yaml") {
		t.Error("kustomization applies the Secret example: its placeholders would replace the real Secret")
	}
}

func TestDeployment(t *testing.T) {
	m := loadManifests(t)
	d := m.deployment
	if d.Spec.Replicas == nil || *d.Spec.Replicas < 2 {
		t.Fatalf("replicas %s, want 2 or more", fmtReplicas(d.Spec.Replicas))
	}
	sel, err := metav1LabelSelector(d.Spec.Selector)
	if err != nil {
		t.Fatal(err)
	}
	podLabels := labels.Set(d.Spec.Template.Labels)
	if !sel.Matches(podLabels) {
		t.Errorf("the Deployment's selector %v does not match its pods' labels %v", sel, podLabels)
	}
	if ru := d.Spec.Strategy.RollingUpdate; ru == nil || ru.MaxUnavailable == nil || ru.MaxUnavailable.IntValue() != 0 {
		t.Error("a rolling update may take a replica away before its successor is ready: want maxUnavailable 0")
	}
	pod := d.Spec.Template.Spec
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Error("the pods get a service account token they do not need")
	}
	psc := pod.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.RunAsUser == nil || *psc.RunAsUser == 0 {
		t.Error("pod securityContext: want runAsNonRoot and a non-zero runAsUser")
	}
	if psc == nil || psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Error("pod securityContext: want the RuntimeDefault seccomp profile")
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]
	if strings.HasSuffix(c.Image, ":latest") || !strings.Contains(c.Image[strings.LastIndex(c.Image, "/")+1:], ":") && !strings.Contains(c.Image, "@sha256:") {
		t.Errorf("image %q: pin a version or a digest", c.Image)
	}
	sc := c.SecurityContext
	switch {
	case sc == nil:
		t.Fatal("container has no securityContext")
	case sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem:
		t.Error("container: want readOnlyRootFilesystem")
	case sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation:
		t.Error("container: want allowPrivilegeEscalation false")
	case sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL"):
		t.Error("container: want every capability dropped")
	case sc.RunAsUser != nil && *sc.RunAsUser == 0, sc.RunAsNonRoot != nil && !*sc.RunAsNonRoot:
		t.Error("container: runs as root")
	}

	// probes
	probe := func(what string, p *corev1.Probe, path string) {
		t.Helper()
		if p == nil || p.HTTPGet == nil {
			t.Errorf("%s probe: want an httpGet on %s", what, path)
			return
		}
		if p.HTTPGet.Path != path || p.HTTPGet.Port != intstr.FromString("http") {
			t.Errorf("%s probe: GET %s on %v, want %s on the port named http", what, p.HTTPGet.Path, p.HTTPGet.Port.String(), path)
		}
	}
	probe("readiness", c.ReadinessProbe, "/readyz")
	probe("liveness", c.LivenessProbe, "/healthz")

	// ports and the addresses Faro listens on
	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	if ports["http"] == 0 || ports["metrics"] == 0 {
		t.Fatalf("container ports %v: want http and metrics", ports)
	}
	cm := m.configMap.Data
	for _, x := range []struct{ env, port string }{{"FARO_LISTEN", "http"}, {"FARO_METRICS_ADDR", "metrics"}} {
		_, p, err := splitPort(cm[x.env])
		if err != nil || p != ports[x.port] {
			t.Errorf("ConfigMap %s=%q does not listen on the %s containerPort %d", x.env, cm[x.env], x.port, ports[x.port])
		}
	}

	// resources
	r := c.Resources
	if r.Requests.Cpu().IsZero() || r.Requests.Memory().IsZero() || r.Limits.Memory().IsZero() {
		t.Errorf("resources %v: want cpu and memory requests and a memory limit", r)
	}

	// the drain fits in the grace period
	grace := time.Duration(30) * time.Second
	if pod.TerminationGracePeriodSeconds != nil {
		grace = time.Duration(*pod.TerminationGracePeriodSeconds) * time.Second
	}
	var preStop time.Duration
	if c.Lifecycle != nil && c.Lifecycle.PreStop != nil && c.Lifecycle.PreStop.Sleep != nil {
		preStop = time.Duration(c.Lifecycle.PreStop.Sleep.Seconds) * time.Second
	}
	if drain := shutdownTimeout(t, cm["FARO_SHUTDOWN_TIMEOUT"]); grace <= preStop+drain {
		t.Errorf("terminationGracePeriodSeconds %v is not longer than preStop %v + FARO_SHUTDOWN_TIMEOUT %v", grace, preStop, drain)
	}

	// configuration: the ConfigMap and the Secret are the ones that exist, every FARO_*
	// name is Faro's, secrets come as files from the Secret's keys
	opts := faroOptions(t)
	var fromCM bool
	for _, ef := range c.EnvFrom {
		if ef.ConfigMapRef != nil && ef.ConfigMapRef.Name == m.configMap.Name {
			fromCM = true
		}
	}
	if !fromCM {
		t.Errorf("the container does not read the ConfigMap %q", m.configMap.Name)
	}
	for k := range cm {
		checkFaroName(t, opts, "ConfigMap", k)
		if opts[k] && !strings.HasSuffix(k, "_FILE") && k != "FARO_REDIS_URL" {
			t.Errorf("ConfigMap holds %s, a secret: it belongs in the Secret, read through %s_FILE", k, k)
		}
	}
	mounts := map[string]string{} // volume name: mount path
	for _, vm := range c.VolumeMounts {
		mounts[vm.Name] = vm.MountPath
	}
	var secretDir string
	for _, v := range pod.Volumes {
		if v.Secret != nil && v.Secret.SecretName == m.secret.Name {
			secretDir = mounts[v.Name]
		}
	}
	if secretDir == "" {
		t.Fatalf("the Secret %q is not mounted", m.secret.Name)
	}
	secretKeys := map[string]bool{}
	for k := range m.secret.StringData {
		secretKeys[k] = true
	}
	for k := range m.secret.Data {
		secretKeys[k] = true
	}
	for _, e := range c.Env {
		checkFaroName(t, opts, "Deployment env", e.Name)
		if _, inCM := cm[e.Name]; inCM {
			t.Errorf("%s is both in the ConfigMap and in the Deployment's env", e.Name)
		}
		if base, ok := strings.CutSuffix(e.Name, "_FILE"); ok {
			if _, both := cm[base]; both {
				t.Errorf("%s and %s are both set: Faro refuses to start", base, e.Name)
			}
			dir, key := filepath.Split(e.Value)
			if filepath.Clean(dir) != secretDir || !secretKeys[key] {
				t.Errorf("%s=%s is not a key of the Secret mounted at %s", e.Name, e.Value, secretDir)
			}
		} else if opts[e.Name] && e.Name != "FARO_REDIS_URL" {
			t.Errorf("%s is set in the environment: read it from the Secret through %s_FILE", e.Name, e.Name)
		}
	}
	if !slices.ContainsFunc(c.Env, func(e corev1.EnvVar) bool { return e.Name == "FARO_HMAC_SECRET_FILE" }) {
		t.Error("FARO_HMAC_SECRET_FILE is not set: Faro cannot start without its secret")
	}
}

func TestSecretExampleHoldsNoSecret(t *testing.T) {
	m := loadManifests(t)
	if len(m.secret.Data) > 0 {
		t.Error("the Secret example has data: keep placeholders in stringData")
	}
	for k, v := range m.secret.StringData {
		if v != "" && !strings.Contains(v, "REPLACE") && !strings.Contains(v, "example") {
			t.Errorf("Secret example %s=%q looks like a real value: use a REPLACE placeholder", k, v)
		}
	}
}

func TestServiceDoesNotExposeMetrics(t *testing.T) {
	m := loadManifests(t)
	s := m.service
	if s.Spec.Type != "" && s.Spec.Type != corev1.ServiceTypeClusterIP {
		t.Errorf("Service type %s: want ClusterIP (the Ingress is the way in)", s.Spec.Type)
	}
	if !labels.SelectorFromSet(s.Spec.Selector).Matches(labels.Set(m.deployment.Spec.Template.Labels)) || len(s.Spec.Selector) == 0 {
		t.Errorf("Service selector %v does not select the Deployment's pods", s.Spec.Selector)
	}
	c := m.deployment.Spec.Template.Spec.Containers[0]
	var metricsPort int32
	for _, p := range c.Ports {
		if p.Name == "metrics" {
			metricsPort = p.ContainerPort
		}
	}
	for _, p := range s.Spec.Ports {
		if p.TargetPort.String() == "metrics" || p.TargetPort.IntValue() == int(metricsPort) || p.Port == metricsPort || p.Name == "metrics" {
			t.Errorf("Service port %v exposes /metrics", p)
		}
		if p.TargetPort != intstr.FromString("http") {
			t.Errorf("Service port %v: want targetPort http", p)
		}
	}
}

func TestIngressRoutesWebhooksAndConsoleOnly(t *testing.T) {
	m := loadManifests(t)
	in := m.ingress
	if len(in.Spec.TLS) == 0 {
		t.Error("Ingress without TLS: Telegram and Twilio call https only, and the console's cookies are Secure")
	}
	routed := map[string]networkingv1.PathType{}
	for _, rule := range in.Spec.Rules {
		if rule.HTTP == nil {
			continue
		}
		for _, p := range rule.HTTP.Paths {
			if p.PathType != nil {
				routed[p.Path] = *p.PathType
			}
			b := p.Backend.Service
			if b == nil || b.Name != m.service.Name || b.Port.Name != "http" {
				t.Errorf("Ingress path %s goes to %+v, want the Service %q port http", p.Path, p.Backend, m.service.Name)
			}
			for _, private := range []string{"/metrics", "/readyz"} {
				if strings.HasPrefix(private, p.Path) && (p.Path == private || p.PathType == nil || *p.PathType != networkingv1.PathTypeExact) {
					t.Errorf("Ingress path %s exposes %s", p.Path, private)
				}
			}
		}
	}
	for _, want := range publicPaths(t) {
		if _, ok := routed[want]; !ok {
			t.Errorf("Ingress does not route %s (routes %v)", want, routed)
		}
	}
	if routed["/operator"] != networkingv1.PathTypePrefix {
		t.Error("Ingress: /operator must be a Prefix (the console has pages under it)")
	}
}

func TestPodDisruptionBudget(t *testing.T) {
	m := loadManifests(t)
	sel, err := metav1LabelSelector(m.pdb.Spec.Selector)
	if err != nil {
		t.Fatal(err)
	}
	if !sel.Matches(labels.Set(m.deployment.Spec.Template.Labels)) {
		t.Errorf("PDB selector %v does not match the Deployment's pods", sel)
	}
	min := m.pdb.Spec.MinAvailable
	if min == nil || min.IntValue() < 1 || int32(min.IntValue()) >= *m.deployment.Spec.Replicas {
		t.Errorf("PDB minAvailable %v: want at least 1 and fewer than the replicas (%d), or no drain can proceed", min, *m.deployment.Spec.Replicas)
	}
}

func TestNetworkPolicyKeepsMetricsInside(t *testing.T) {
	m := loadManifests(t)
	sel, err := metav1LabelSelector(&m.netpol.Spec.PodSelector)
	if err != nil {
		t.Fatal(err)
	}
	if !sel.Matches(labels.Set(m.deployment.Spec.Template.Labels)) {
		t.Errorf("NetworkPolicy selects %v, not the Deployment's pods", sel)
	}
	for _, rule := range m.netpol.Spec.Ingress {
		for _, p := range rule.Ports {
			if p.Port != nil && p.Port.String() == "metrics" && len(rule.From) == 0 {
				t.Error("NetworkPolicy lets anyone reach the metrics port")
			}
		}
	}
}

func TestEveryManifestIsInTheNamespace(t *testing.T) {
	m := loadManifests(t)
	ns := m.namespace.Name
	for name, meta := range map[string]string{
		"Deployment": m.deployment.Namespace, "Service": m.service.Namespace, "Ingress": m.ingress.Namespace,
		"PodDisruptionBudget": m.pdb.Namespace, "ConfigMap": m.configMap.Namespace, "Secret": m.secret.Namespace,
		"NetworkPolicy": m.netpol.Namespace,
	} {
		if meta != ns {
			t.Errorf("%s in namespace %q, want %q", name, meta, ns)
		}
	}
}

// splitPort returns the host and port of a listen address such as ":8080".
func splitPort(addr string) (string, int32, error) {
	i := strings.LastIndex(addr, ":")
	if i < 0 {
		return "", 0, strconv.ErrSyntax
	}
	p, err := strconv.ParseInt(addr[i+1:], 10, 32)
	return addr[:i], int32(p), err
}

// metav1LabelSelector is the selector a LabelSelector means.
func metav1LabelSelector(s *metav1.LabelSelector) (labels.Selector, error) {
	if s == nil || (len(s.MatchLabels) == 0 && len(s.MatchExpressions) == 0) {
		return nil, strconv.ErrSyntax // an empty selector selects everything: never intended here
	}
	return metav1.LabelSelectorAsSelector(s)
}

func fmtReplicas(r *int32) string {
	if r == nil {
		return "unset (1)"
	}
	return strconv.Itoa(int(*r))
}
