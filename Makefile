# Developer entry points for repflow. CI (.ci/run) runs the same go and npm commands directly;
# keep the two in step. The user interface (web/) needs Node and npm; its browser tests need
# Debian's chromium (`apt-get install -y chromium`).

GO        ?= go
GOFMT     ?= gofmt
VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)
BIN       := bin/repflow
# The local PostgreSQL that test-pg and race use; the role must be allowed to create databases.
PG_URL    ?= postgres://root@127.0.0.1:5432/postgres?sslmode=disable
# The core packages the race detector runs on (the whole tree under -race is too slow for CI).
CORE      := ./platform/... ./migrations/...
BENCHTIME ?= 2s
# The database bench-appraisal fills with its load tenant (created on first use, kept after).
BENCH_DB  ?= repflow_bench
BENCH_URL ?= postgres://root@127.0.0.1:5432/$(BENCH_DB)?sslmode=disable
HELM_VERSION ?= v3.16.4
# helm from PATH, else the one `make install-helm` builds into GOPATH/bin.
HELM      ?= $(or $(shell command -v helm 2>/dev/null),$(shell $(GO) env GOPATH)/bin/helm)

.PHONY: help run build connectors web test test-go test-web test-pg race vet fmt-check bench-access bench-appraisal lint-chart install-helm ci clean
.DEFAULT_GOAL := help

## help: list the targets
help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

## run: build the user interface and the connectors, then start the server with them on the embedded database and a demo tenant (./data)
run: web connectors
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/repflow serve --demo

## build: bin/repflow stamped with the git version, with the user interface built into it
build: web connectors
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/repflow

## connectors: the connector plugin binaries into bin/connectors, where the server looks for them (REPFLOW_CONNECTORS_DIR)
connectors:
	@mkdir -p bin/connectors
	$(GO) build -o bin/connectors/ ./connectors/...

## web: build the user interface into web/dist, which the binary embeds
web: web/node_modules/.package-lock.json
	cd web && npm run build

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci

## test: the whole suite: Go on the embedded SQLite (the README's test command), then the interface's unit and browser tests
test: test-go test-web

## test-go: the Go suite on the embedded SQLite
test-go:
	$(GO) test ./...

## test-web: the interface's unit tests and its browser tests in headless chromium
test-web: web/node_modules/.package-lock.json
	cd web && npm test && npm run e2e

## test-pg: the whole suite on the local PostgreSQL
test-pg:
	REPFLOW_TEST_DATABASE_URL='$(PG_URL)' $(GO) test ./...

## race: the core packages under the race detector, on PostgreSQL
race:
	REPFLOW_TEST_DATABASE_URL='$(PG_URL)' $(GO) test -race $(CORE)

## vet: go vet over the tree
vet:
	$(GO) vet ./...

## fmt-check: fail when any Go file is not gofmt-formatted
fmt-check:
	@out=$$(find . -name '*.go' -not -path './.git/*' -not -path './web/node_modules/*' -print0 \
		| xargs -0 -r $(GOFMT) -l); \
	if [ -n "$$out" ]; then printf 'not gofmt-formatted:\n%s\n' "$$out"; exit 1; fi

## bench-access: the access decision benchmark (ours beside ladon's MemoryManager)
bench-access:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./platform/access/

## bench-appraisal: the report of a 2,000-rep month on PostgreSQL beside one hand-written query, and its Excel file (first run: minutes to load the data)
bench-appraisal:
	@psql '$(PG_URL)' -tAc "SELECT 1 FROM pg_database WHERE datname = '$(BENCH_DB)'" | grep -q 1 || psql '$(PG_URL)' -c 'CREATE DATABASE $(BENCH_DB)'
	REPFLOW_BENCH_DATABASE_URL='$(BENCH_URL)' $(GO) test -run '^$$' -bench AppraisalReport -benchtime 3x -timeout 60m ./cmd/repflow/

## lint-chart: helm lint --strict and helm template of charts/repflow (embedded and PostgreSQL values)
lint-chart: $(HELM)
	$(HELM) lint --strict charts/repflow
	$(HELM) lint --strict charts/repflow -f charts/repflow/ci/postgres-values.yaml
	$(HELM) template repflow charts/repflow >/dev/null
	$(HELM) template repflow charts/repflow -f charts/repflow/ci/postgres-values.yaml >/dev/null

## install-helm: build the helm CLI from the Go module proxy into GOPATH/bin (about two to five minutes)
install-helm: $(HELM)
$(HELM):
	$(GO) install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)

## ci: the full CI run (PostgreSQL, vet, both databases, race, smoke test, chart)
ci:
	bash .ci/run

## clean: remove bin/
clean:
	rm -rf bin
