#!/usr/bin/env bash
# The whole test suite under AddressSanitizer (.build-asan), then ThreadSanitizer (.build-tsan).
# Release-optimised but with Swift's bounds and overflow checks kept (PARALLAX_CHECKED=1), so the
# sanitizers see the same code paths as the product minus -Ounchecked. Fails when a build fails,
# a test fails, or any sanitizer report appears, in the test runner or in a `parallax` it started.
#   SANITIZERS="address"  only one of them        SANITIZER_FILTER=Suite  only some tests
#   SANITIZER_BUILD=0     reuse the builds
# Runs under nice: these builds are heavy (about 2-4x a normal build, tests 2-15x slower).
# PARALLAX_SANITIZER (address or thread) tells tests with wall-clock limits to scale them.
set -uo pipefail
cd "$(dirname "$0")/.."

export PARALLAX_CHECKED=1
export SWIFT_BACKTRACE=enable=no
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-2}"
SANITIZERS="${SANITIZERS:-address thread}"
FILTER=()
[ -n "${SANITIZER_FILTER:-}" ] && FILTER=(--filter "$SANITIZER_FILTER")

failed=0
for sanitizer in $SANITIZERS; do
    case "$sanitizer" in
        address) path=.build-asan ;;
        thread) path=.build-tsan ;;
        *) echo "check-sanitizers: unknown sanitizer $sanitizer (address or thread)"; exit 2 ;;
    esac
    flags=(-c release -Xswiftc -enable-testing --sanitize="$sanitizer" --build-path "$path")
    mkdir -p "$path"
    if [ "${SANITIZER_BUILD:-1}" != 0 ]; then
        build_log="$path/sanitizer-build.log"
        echo "== $sanitizer: building into $path (log: $build_log)"
        nice -n 10 swift build "${flags[@]}" --build-tests > "$build_log" 2>&1
        status=$?
        if [ $status -ne 0 ] || [ ! -x "$path/release/parallax" ]; then
            echo "check-sanitizers: the $sanitizer build failed (exit $status); last lines of $build_log:"
            tail -n 30 "$build_log"
            failed=1
            continue
        fi
    fi
    # Every process (the test runner and each parallax it starts, including the one in tmux) writes
    # its reports to REPORTS.PID instead of stderr, so none is lost on a terminal.
    reports_dir="$path/sanitizer-reports"
    rm -rf "$reports_dir" && mkdir -p "$reports_dir"
    # Third-party reports we have read and accept are listed, with reasons, in these files.
    export LSAN_OPTIONS="suppressions=$PWD/Fuzz/Sanitizers/lsan.supp:print_suppressions=0"
    export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:log_path=$PWD/$reports_dir/asan"
    export TSAN_OPTIONS="suppressions=$PWD/Fuzz/Sanitizers/tsan.supp:halt_on_error=0:second_deadlock_stack=1:log_path=$PWD/$reports_dir/tsan"
    log="$path/sanitizer-tests.log"
    echo "== $sanitizer: testing (log: $log, reports: $reports_dir)"
    start=$(date +%s)
    PARALLAX_SANITIZER="$sanitizer" PARALLAX_BIN="$path/release/parallax" \
        nice -n 10 swift test "${flags[@]}" --skip-build "${FILTER[@]}" > "$log" 2>&1
    status=$?
    reports=$(cat "$log" "$reports_dir"/* 2>/dev/null \
        | grep -cE "^(==[0-9]+==ERROR: |WARNING: ThreadSanitizer|SUMMARY: (Address|Thread|Leak)Sanitizer)")
    echo "$sanitizer: exit $status, $reports sanitizer report line(s), $(( $(date +%s) - start )) s"
    grep -E "Test run with|tests? (passed|failed)" "$log" | tail -2
    if [ $status -ne 0 ] || [ "$reports" -ne 0 ]; then
        failed=1
        cat "$log" "$reports_dir"/* 2>/dev/null | grep -E "SUMMARY: |WARNING: ThreadSanitizer|ERROR: |✘" \
            | sort | uniq -c | sort -rn | head -20
    fi
done
[ $failed -eq 0 ] && echo "check-sanitizers: clean" || { echo "check-sanitizers: FAILED"; exit 1; }
