# Hài Lòng — the two commands a newcomer needs are `make run` and `make test`.
GO      ?= go
DATA    ?= ./data
ADDR    ?= 127.0.0.1:8080
FUZZTIME ?= 30s

.PHONY: run build test vet bench fuzz clean

run: ## start the server with an embedded database and demo data
	$(GO) run ./cmd/hailong serve --demo --data $(DATA) --addr $(ADDR)

build:
	CGO_ENABLED=0 $(GO) build -trimpath -o hailong ./cmd/hailong

test: vet ## unit, integration and fuzz-seed tests (real bbolt, real server on loopback)
	$(GO) test -count=1 ./...

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

# Ten times the scale (10,000,000 responses; ~20 min, ~3 GB in TMPDIR; docs/BENCHMARKS.md "Ten times the scale"):
#   HAILONG_BENCH_N=10000000 go test -run '^$' -bench 'Storage1M|Serve1M' -benchtime 1x -timeout 120m ./survey/bolt ./cmd/hailong
#   HAILONG_BENCH_N=10000000 HAILONG_BENCH_ORDER=time,agency go test -run '^$' -bench ImportOrder -benchtime 1x -timeout 120m ./survey/bolt
bench: ## benchmarks against the SPEC budgets (see docs/BENCHMARKS.md)
	$(GO) test -run '^$$' -bench . -benchtime 1x -count 1 -timeout 60m ./survey/... ./analytics/... ./cmd/hailong

fuzz: ## run every fuzz target for FUZZTIME each
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

clean:
	rm -rf hailong $(DATA)
