#!/usr/bin/env bash
# fuzz.sh [duration]: run every Go fuzz target in the repository for duration each (default
# 60s), one target at a time on one worker (-parallel 1), so a shared machine keeps a core.
# The targets are found by their names (func FuzzX in a _test.go file), so a new one is run
# without editing this list. A crasher is written to the package's testdata/fuzz/FuzzX/ and,
# committed, joins the seed corpus every `go test` runs.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-60s}
status=0
while read -r file; do
	pkg=./$(dirname "$file")
	for fn in $(grep -oE '^func Fuzz[A-Za-z0-9_]+' "$file" | cut -d' ' -f2); do
		echo "== $pkg $fn ($duration)"
		go test "$pkg" -run '^$' -fuzz "^$fn\$" -fuzztime "$duration" -parallel 1 2>&1 | tail -3 || status=1
	done
done < <(grep -rlE '^func Fuzz' --include='*_test.go' cmd internal | sort)
exit $status
