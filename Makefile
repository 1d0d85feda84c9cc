# Hài Lòng — the two commands a newcomer needs are `make run` and `make test`.
GO      ?= go
DATA    ?= ./data
ADDR    ?= 127.0.0.1:8080
FUZZTIME ?= 30s

.PHONY: run build test test-pg vet bench fuzz clean

run: ## start the server with an embedded database and demo data
	$(GO) run ./cmd/hailong serve --demo --data $(DATA) --addr $(ADDR)

build:
	CGO_ENABLED=0 $(GO) build -trimpath -o hailong ./cmd/hailong

test: vet ## unit, integration and fuzz-seed tests (real bbolt, real server on loopback)
	$(GO) test -count=1 ./...

# The end-to-end tests of cmd/hailong again, each on a fresh PostgreSQL database of a throw-away cluster
# (survey/pg/pgtest; initdb and pg_ctl from HAILONG_PG_BIN, /usr/lib/postgresql/*/bin or PATH). Skipped here: the
# tests of bbolt's file itself (its backup copies, compaction, the file lock, a byte edited in the file, the crash of
# a process holding the file); the PostgreSQL faults are TestFaultsDatabaseRestart and TestServeWaitsForDatabase,
# which `make test` runs. The six tests that fill the demo province (238,733 responses) run here too since the
# counts are blocks on PostgreSQL (migration 0003: two of them took 74 s together, were ~2.5 min each).
BOLT_ONLY = TestBackupUnderLoadAndRestore|TestImportCompactCLI|TestCrashKeepsAcknowledged|TestLogVerifyNamesEditedEntry|TestCommandsFailFastWhileServing|TestScheduledBackups
test-pg: ## the end-to-end tests on PostgreSQL (needs PostgreSQL ≥ 15 installed; no server to run by hand)
	HAILONG_TEST_DB=postgres $(GO) test -count=1 -timeout 30m -skip '$(BOLT_ONLY)' ./cmd/hailong

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
