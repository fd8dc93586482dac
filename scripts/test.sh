#!/usr/bin/env bash
# Runs Faro's whole test suite on a fresh Debian machine with Go: installs redis-server
# and chromium (the browser tests drive it headless) when they are missing, starts a
# private redis-server on a free port for the run, and stops it after. Without a
# browser the browser tests fail; FARO_SKIP_BROWSER=1 skips them (and the install).
# The tests run under the race detector; RACE=0 runs them without it (faster, for a
# quick local loop).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
if [ "${FARO_SKIP_BROWSER:-}" != 1 ] && [ -z "${FARO_CHROMIUM:-}" ] &&
  ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 &&
  ! command -v google-chrome >/dev/null 2>&1; then
  need_apt+=(chromium)
fi
if ((${#need_apt[@]})); then
  echo "== installing ${need_apt[*]} (Debian packages)"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# A private redis-server for the tests, on a free port, gone when this script ends.
dir=$(mktemp -d)
redis_pid=
trap '[ -n "$redis_pid" ] && kill $redis_pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 40000))
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --databases 1024 --dir "$dir" --daemonize no >"$dir/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 100); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && break
    kill -0 "$redis_pid" 2>/dev/null || break
    sleep 0.05
  done
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  kill "$redis_pid" 2>/dev/null || true
  redis_pid=
done
[ -n "$redis_pid" ] || { echo "redis-server did not start:"; cat "$dir/redis.log"; exit 1; }
export FARO_TEST_REDIS_URL="redis://127.0.0.1:$port/0"

echo "== gofmt and go vet"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go') 2>/dev/null || true)
if [ -n "$unformatted" ]; then echo "gofmt would change:"; echo "$unformatted"; exit 1; fi
go vet ./...

# deploy/ is a module of its own (the Kubernetes API types stay out of Faro's), and
# deploy/healthcheck another (the image's probe, no dependencies): vet and test both.
echo "== deploy modules (manifests, compose, systemd; the healthcheck probe)"
for mod in deploy deploy/healthcheck; do
  (cd "$mod" && go vet ./... && go test -count=1 ./...)
done

echo "== faro check (flows, locales, directory)"
go run ./cmd/faro check -q

# Long tests of computation alone, in one goroutine (training the model, checking every
# text, searching the gazetteer every way): the race detector finds nothing there and
# makes them 15-20 times slower (TestEmbeddedModelIsFresh: 12 s, 197 s under it). The race
# pass skips them and a pass without the detector runs them, so that every test still
# runs once. A name here must be unique in the repository and a test of PURE_PKGS.
PURE_PKGS="./flows/understand ./flows/content ./directory ./bot/stats ./cmd/faro"
PURE="^(TestEmbeddedModelIsFresh|TestTrainLeavesOutEmojiAlone|TestSparseModelsAreFeatureByFeature"
PURE+="|TestWordingFindsProblems|TestCheckConsoleTextsForThePerson|TestCheckFlyerTexts|TestTextClaims"
PURE+="|TestOrgChecksCatchBadRecords|TestLocateAsBefore|TestPrefixSpansByFirstWord"
PURE+="|TestFuzzyReadsTheKeysThatMayBeNear|TestNearbyMatchesBruteForce|TestLookPrunesUnlistedRunsOnly"
PURE+="|TestNoSmallCountRecovered|TestCheckCatchesBadOrgRecords|TestCheckShippedContent)$"

if [ "${RACE:-1}" = 0 ]; then
  echo "== go test (redis at 127.0.0.1:$port)"
  go test -count=1 ./... "$@"
  exit
fi
echo "== go test -race (redis at 127.0.0.1:$port)"
go test -race -count=1 -skip "$PURE" ./... "$@"
echo "== go test, the tests of computation alone that the race pass skipped"
# shellcheck disable=SC2086 # PURE_PKGS is a list of packages
go test -count=1 -run "$PURE" $PURE_PKGS "$@"
