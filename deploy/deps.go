// Package deploy holds Faro's deployment files (Dockerfile, compose.yaml, k8s/,
// systemd/) and, in manifests_test.go, the test that decodes them strictly into the
// Kubernetes API types and checks what they promise. It is its own Go module so that
// Faro's module does not carry the Kubernetes dependencies; scripts/test.sh runs it.
package deploy
