#!/usr/bin/env bash
# The whole test suite: static checks, Go tests (SQLite always; PostgreSQL and NATS when their
# URLs are set), and the browser tests in Debian's Chromium. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
	echo "== installing Debian's chromium for the browser tests"
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
	else
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
	fi
fi

echo "== lint: gofmt, go vet, staticcheck (make lint)"
make -s lint
if [ -f package.json ]; then
	echo "== front end type check and unit tests"
	npm run --silent check
fi

if [ -z "${SWITCHBOARD_TEST_POSTGRES_URL:-}" ]; then
	echo "note: PostgreSQL tests will be skipped; set SWITCHBOARD_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres to run them"
fi
echo "== go test"
mkdir -p test-artifacts
# Verbose output goes to a file; the screen gets each package's result and each top-level test,
# which shows, for example, that the storage conformance suite ran on SQLite and PostgreSQL.
status=0
go test -count=1 -timeout 20m -v ./... >test-artifacts/go-test.log 2>&1 || status=$?
grep -E '^(ok|FAIL|panic:|--- (FAIL|SKIP)|--- PASS: Test[A-Za-z]+ )|^\s+--- FAIL|^\s+[a-z_]+\.go:[0-9]+:' test-artifacts/go-test.log || true
if [ "$status" != 0 ]; then
	echo "go test failed (full output in test-artifacts/go-test.log)"
	exit "$status"
fi
