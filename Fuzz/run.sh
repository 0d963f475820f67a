#!/usr/bin/env bash
# Builds the libFuzzer targets into .build-fuzz and runs each for FUZZ_SECONDS (default 60).
# Fails when the build fails, or when any target reports a crash, a leak, a sanitizer error, a
# timeout or an out-of-memory in this run. A target that cannot run (e.g. a model file is missing)
# is reported as skipped, and the summary says how many were.
#   FUZZ_SECONDS=600 Fuzz/run.sh                 longer runs
#   FUZZ_TARGETS="FuzzGGUF FuzzXML" Fuzz/run.sh  a subset
#   FUZZ_PARALLEL=2 Fuzz/run.sh                  two targets at a time (each uses one core)
#   FUZZ_BUILD=0 Fuzz/run.sh                     skip the build
#   FUZZ_TIMEOUT=60 Fuzz/run.sh                  seconds one input may take (default 10; raise it
#                                                on a loaded machine, where nice'd runs get starved)
#   FUZZ_KEEP_GOING=1 Fuzz/run.sh                keep fuzzing after a finding (libFuzzer fork mode),
#                                                so a long run collects every crash; still fails at the end
#   FUZZ_SKIP_FAILS=1 Fuzz/run.sh                a skipped target fails the run (e.g. in CI with models)
# Each run has an id (RUN_ID, default a time stamp). New corpus entries go to .build-fuzz/corpus/TARGET
# (shared by runs; the committed seeds in Fuzz/Corpus are only read); this run's findings go to
# .build-fuzz/artifacts/TARGET/RUN_ID/ and its logs to .build-fuzz/runs/RUN_ID/.
set -uo pipefail
cd "$(dirname "$0")/.."

ALL_TARGETS="FuzzGGUF FuzzSafetensors FuzzBPE FuzzWordPiece FuzzLoader FuzzBEIR FuzzQASuite FuzzChatDataset
FuzzTheme FuzzXML FuzzFormatCompliance"
TARGETS="${FUZZ_TARGETS:-$ALL_TARGETS}"
SECONDS_EACH="${FUZZ_SECONDS:-60}"
FUZZ_KEEP_GOING="${FUZZ_KEEP_GOING:-0}"
FUZZ_TIMEOUT="${FUZZ_TIMEOUT:-10}"
FUZZ_SKIP_FAILS="${FUZZ_SKIP_FAILS:-0}"
PARALLEL="${FUZZ_PARALLEL:-1}"
RUN_ID="${RUN_ID:-$(date -u +%Y%m%dT%H%M%SZ)-$$}"
BUILD_PATH=.build-fuzz
BIN="$BUILD_PATH/release"
RUN_DIR="$BUILD_PATH/runs/$RUN_ID"
export PARALLAX_FUZZ=1
export OPENBLAS_NUM_THREADS=1
# The Swift runtime's crash backtracer fights ASan over the signal and can hang: leave reports to ASan.
export SWIFT_BACKTRACE=enable=no
# Leak checks on; libFuzzer reports and stops at the first error.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/Fuzz/Sanitizers/lsan-fuzz.supp:print_suppressions=0}"

mkdir -p "$RUN_DIR" || { echo "fuzz: cannot create $RUN_DIR"; exit 1; }
echo "== fuzz run $RUN_ID (logs: $RUN_DIR)"

if [ "${FUZZ_BUILD:-1}" != 0 ]; then
    for target in $TARGETS; do
        echo "== building $target"
        build_log="$RUN_DIR/build-$target.log"
        swift build -c release --build-path "$BUILD_PATH" -Xswiftc -sanitize=fuzzer,address \
            -Xswiftc -enable-testing --product "$target" > "$build_log" 2>&1
        status=$?
        if [ $status -ne 0 ] || [ ! -x "$BIN/$target" ]; then
            echo "fuzz: building $target failed (exit $status); last lines of $build_log:"
            tail -n 30 "$build_log"
            exit 1
        fi
    done
fi

dictionary_for() {
    case "$1" in
        FuzzGGUF) echo Fuzz/Dictionaries/gguf.dict ;;
        FuzzLoader)
            cat Fuzz/Dictionaries/markdown.dict Fuzz/Dictionaries/html.dict > "$RUN_DIR/loader.dict"
            echo "$RUN_DIR/loader.dict" ;;
        FuzzXML) echo Fuzz/Dictionaries/xml.dict ;;
        FuzzFormatCompliance)
            cat Fuzz/Dictionaries/json.dict Fuzz/Dictionaries/xml.dict > "$RUN_DIR/format.dict"
            echo "$RUN_DIR/format.dict" ;;
        *) echo Fuzz/Dictionaries/json.dict ;;
    esac
}

# Runs one target; writes its verdict (ok, skip or fail) to $RUN_DIR/TARGET.result.
run_one() {
    local target=$1
    local corpus="$BUILD_PATH/corpus/$target"
    local artifacts="$BUILD_PATH/artifacts/$target/$RUN_ID"
    local log="$RUN_DIR/$target.log"
    mkdir -p "$corpus" "$artifacts"
    if [ ! -x "$BIN/$target" ]; then
        echo "FAIL $target: $BIN/$target does not exist (build it, or run without FUZZ_BUILD=0)"
        echo fail > "$RUN_DIR/$target.result"
        return 1
    fi
    local before="$RUN_DIR/$target.corpus-before"
    ls "$corpus" | sort > "$before"
    local keep_going=()
    [ "$FUZZ_KEEP_GOING" != 0 ] && keep_going=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    "$BIN/$target" "${keep_going[@]}" "$corpus" "Fuzz/Corpus/$target" \
        -dict="$(dictionary_for "$target")" -max_total_time="$SECONDS_EACH" \
        -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout="$FUZZ_TIMEOUT" -print_final_stats=1 \
        -artifact_prefix="$artifacts/" > "$log" 2>&1
    local status=$?
    local stats runs added findings
    stats=$(grep -E "^#[0-9]+.*(DONE|cov:)|INFO: fork: .*cov:" "$log" | tail -1)
    runs=$(grep -E "^stat::number_of_executed_units" "$log" | awk '{print $2}')
    # Corpus files this run added (libFuzzer may also replace files by smaller ones).
    added=$(ls "$corpus" | sort | comm -13 "$before" - | wc -l)
    # Only this run's folder counts; slow-unit-* files only note inputs over 10 s (a loaded machine).
    findings=$(ls "$artifacts" | grep -cE "^(crash|leak|timeout|oom)-")
    if [ $status -eq 0 ] && [ "$findings" -eq 0 ] && grep -q "^fuzz target skipped: " "$log"; then
        echo "skip $target: $(grep -m1 "^fuzz target skipped: " "$log" | sed 's/^fuzz target skipped: //')"
        echo skip > "$RUN_DIR/$target.result"
        return 0
    fi
    if [ $status -eq 0 ] && [ "$findings" -eq 0 ]; then
        echo "ok   $target  runs=${runs:-?}  new_corpus=$added  $stats"
        echo ok > "$RUN_DIR/$target.result"
        return 0
    fi
    echo "FAIL $target (exit $status, $findings finding(s)): see $log and $artifacts/"
    grep -E "ERROR: |SUMMARY: |invariant failed|Fatal error|deadly signal" "$log" | head -5
    echo fail > "$RUN_DIR/$target.result"
    return 1
}
export -f run_one dictionary_for
export BUILD_PATH BIN RUN_DIR RUN_ID SECONDS_EACH FUZZ_KEEP_GOING FUZZ_TIMEOUT

printf '%s\n' $TARGETS | xargs -P "$PARALLEL" -I{} bash -c 'run_one {}'

ok=0; skipped=0; failed=0
for target in $TARGETS; do
    case "$(cat "$RUN_DIR/$target.result" 2>/dev/null)" in
        ok) ok=$((ok + 1)) ;;
        skip) skipped=$((skipped + 1)) ;;
        *) failed=$((failed + 1)) ;;
    esac
done
echo "fuzz: $ok ran ${SECONDS_EACH}s without a finding, $skipped skipped, $failed failed (run $RUN_ID)"
[ $failed -eq 0 ] || exit 1
[ $skipped -eq 0 ] || [ "$FUZZ_SKIP_FAILS" = 0 ] || exit 1
exit 0
