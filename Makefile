# Faro's build and test entry points. `make test` is what the README and CI run.
SHELL := /bin/bash
GO ?= go

.PHONY: test quick check vet lint fuzz bench deps

## test: every test under the race detector, with a real redis-server (installed and started if missing)
test:
	@./scripts/test.sh

## quick: every test without the race detector (a faster local loop; CI runs test)
quick:
	@RACE=0 ./scripts/test.sh

## check: validate flows, locales and directory data
check:
	$(GO) run ./cmd/faro check

vet:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

## lint: vet, gofmt and staticcheck
lint: vet
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

## fuzz: run each fuzz target for a while (FUZZTIME=30s by default)
fuzz:
	@./scripts/fuzz.sh

## bench: the benchmarks, five runs each, for benchstat
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./flows/ ./bot/... ./directory/...
