# The two commands of the README: `make run` and `make test`.
GO      ?= go
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
# staticcheck at a pinned version, fetched through the Go module proxy on first use.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
LDFLAGS := -X github.com/switchboardhq/switchboard/internal/cli.Version=$(VERSION)

.PHONY: build web run test lint vet fmt clean

## build: bundle the front end and write bin/switchboard with everything embedded
build: web
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/switchboard ./cmd/switchboard

## web: install the npm packages (from package-lock.json) and bundle the front end into web/dist
web:
	@if [ -f package.json ]; then \
		[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; \
		npm run --silent build; \
	fi

## run: build, then serve the demo (SQLite in ./data, sandbox CRM and channels) on http://localhost:8080
run: build
	bin/switchboard serve --sandbox

## test: install what the tests need (npm packages, Debian's chromium) and run every test
test: build
	scripts/test.sh

## lint: gofmt, go vet and staticcheck; anything they report fails (scripts/test.sh runs it)
lint:
	@out=$$(gofmt -l cmd internal web); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

vet:
	$(GO) vet ./...

fmt:
	gofmt -w cmd internal web

clean:
	rm -rf bin web/dist/app web/dist/cabinet
