#!/usr/bin/env bash
# The whole test suite under AddressSanitizer (.build-asan), then ThreadSanitizer (.build-tsan).
# Release-optimised but with Swift's bounds and overflow checks kept (PARALLAX_CHECKED=1), so the
# sanitizers see the same code paths as the product minus -Ounchecked. Fails on any report.
#   SANITIZERS="address"  only one of them        SANITIZER_FILTER=Suite  only some tests
# Runs under nice: these builds are heavy (about 2-4x a normal build, tests 2-15x slower).
set -uo pipefail
cd "$(dirname "$0")/.."

export PARALLAX_CHECKED=1
export SWIFT_BACKTRACE=enable=no
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-2}"
SANITIZERS="${SANITIZERS:-address thread}"
FILTER=()
[ -n "${SANITIZER_FILTER:-}" ] && FILTER=(--filter "$SANITIZER_FILTER")
# Third-party reports we have read and accept are listed, with reasons, in these files.
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/Sanitizers/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0"
export TSAN_OPTIONS="suppressions=$PWD/Fuzz/Sanitizers/tsan.supp:halt_on_error=1:second_deadlock_stack=1"

failed=0
for sanitizer in $SANITIZERS; do
    case "$sanitizer" in
        address) path=.build-asan ;;
        thread) path=.build-tsan ;;
        *) echo "check-sanitizers: unknown sanitizer $sanitizer (address or thread)"; exit 2 ;;
    esac
    flags=(-c release -Xswiftc -enable-testing --sanitize="$sanitizer" --build-path "$path")
    echo "== $sanitizer: building into $path"
    if ! nice -n 10 swift build "${flags[@]}" --build-tests 2>&1 | grep -E "error:|Build complete|Compiling.*error"; then :; fi
    [ -x "$path/release/parallax" ] || { echo "check-sanitizers: the $sanitizer build failed"; failed=1; continue; }
    log="$path/sanitizer-tests.log"
    echo "== $sanitizer: testing (log: $log)"
    start=$(date +%s)
    PARALLAX_BIN="$path/release/parallax" nice -n 10 swift test "${flags[@]}" --skip-build "${FILTER[@]}" > "$log" 2>&1
    status=$?
    reports=$(grep -cE "^(==[0-9]+==ERROR: |WARNING: ThreadSanitizer|SUMMARY: (Address|Thread|Leak)Sanitizer)" "$log")
    echo "$sanitizer: exit $status, $reports sanitizer report line(s), $(( $(date +%s) - start )) s"
    grep -E "Test run with|tests? (passed|failed)" "$log" | tail -2
    if [ $status -ne 0 ] || [ "$reports" -ne 0 ]; then
        failed=1
        grep -E "SUMMARY: |WARNING: ThreadSanitizer|ERROR: |✘" "$log" | sort | uniq -c | sort -rn | head -20
    fi
done
[ $failed -eq 0 ] && echo "check-sanitizers: clean" || { echo "check-sanitizers: FAILED"; exit 1; }
