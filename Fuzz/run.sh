#!/usr/bin/env bash
# Builds the libFuzzer targets into .build-fuzz and runs each for FUZZ_SECONDS (default 60).
# Fails when any target reports a crash, a leak, a sanitizer error, a timeout or an out-of-memory.
#   FUZZ_SECONDS=600 Fuzz/run.sh                 longer runs
#   FUZZ_TARGETS="FuzzGGUF FuzzXML" Fuzz/run.sh  a subset
#   FUZZ_PARALLEL=2 Fuzz/run.sh                  two targets at a time (each uses one core)
#   FUZZ_BUILD=0 Fuzz/run.sh                     skip the build
#   FUZZ_TIMEOUT=60 Fuzz/run.sh                  seconds one input may take (default 10; raise it
#                                                on a loaded machine, where nice'd runs get starved)
#   FUZZ_KEEP_GOING=1 Fuzz/run.sh                keep fuzzing after a finding (libFuzzer fork mode),
#                                                so a long run collects every crash; still fails at the end
# New corpus entries go to .build-fuzz/corpus/TARGET (the committed seeds in Fuzz/Corpus are only
# read); crashes to .build-fuzz/artifacts/TARGET/; each run's log to .build-fuzz/logs/TARGET.log.
set -uo pipefail
cd "$(dirname "$0")/.."

ALL_TARGETS="FuzzGGUF FuzzSafetensors FuzzBPE FuzzWordPiece FuzzLoaderText FuzzLoaderMarkdown FuzzLoaderRST
FuzzLoaderHTML FuzzLoaderPDFText FuzzBEIR FuzzQASuite FuzzChatDataset FuzzTheme FuzzXML FuzzFormatCompliance"
TARGETS="${FUZZ_TARGETS:-$ALL_TARGETS}"
SECONDS_EACH="${FUZZ_SECONDS:-60}"
FUZZ_KEEP_GOING="${FUZZ_KEEP_GOING:-0}"
FUZZ_TIMEOUT="${FUZZ_TIMEOUT:-10}"
PARALLEL="${FUZZ_PARALLEL:-1}"
BUILD_PATH=.build-fuzz
BIN="$BUILD_PATH/release"
export PARALLAX_FUZZ=1
export OPENBLAS_NUM_THREADS=1
# The Swift runtime's crash backtracer fights ASan over the signal and can hang: leave reports to ASan.
export SWIFT_BACKTRACE=enable=no
# Leak checks on; libFuzzer reports and stops at the first error.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/Fuzz/Sanitizers/lsan-fuzz.supp:print_suppressions=0}"

if [ "${FUZZ_BUILD:-1}" != 0 ]; then
    for target in $TARGETS; do
        echo "== building $target"
        swift build -c release --build-path "$BUILD_PATH" -Xswiftc -sanitize=fuzzer,address \
            -Xswiftc -enable-testing --product "$target" 2>&1 | grep -E "error:|Build of product" || true
        [ -x "$BIN/$target" ] || { echo "fuzz: $target did not build"; exit 1; }
    done
fi

dictionary_for() {
    case "$1" in
        FuzzGGUF) echo Fuzz/Dictionaries/gguf.dict ;;
        FuzzLoaderHTML) echo Fuzz/Dictionaries/html.dict ;;
        FuzzLoaderText|FuzzLoaderMarkdown|FuzzLoaderRST|FuzzLoaderPDFText) echo Fuzz/Dictionaries/markdown.dict ;;
        FuzzXML) echo Fuzz/Dictionaries/xml.dict ;;
        FuzzFormatCompliance)
            cat Fuzz/Dictionaries/json.dict Fuzz/Dictionaries/xml.dict > "$BUILD_PATH/format.dict"
            echo "$BUILD_PATH/format.dict" ;;
        *) echo Fuzz/Dictionaries/json.dict ;;
    esac
}

run_one() {
    local target=$1
    mkdir -p "$BUILD_PATH/corpus/$target" "$BUILD_PATH/artifacts/$target" "$BUILD_PATH/logs"
    local log="$BUILD_PATH/logs/$target.log"
    local keep_going=()
    [ "${FUZZ_KEEP_GOING:-0}" != 0 ] && keep_going=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    "$BIN/$target" "${keep_going[@]}" "$BUILD_PATH/corpus/$target" "Fuzz/Corpus/$target" \
        -dict="$(dictionary_for "$target")" -max_total_time="$SECONDS_EACH" \
        -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout="$FUZZ_TIMEOUT" -print_final_stats=1 \
        -artifact_prefix="$BUILD_PATH/artifacts/$target/" > "$log" 2>&1
    local status=$?
    local stats
    stats=$(grep -E "^#[0-9]+.*(DONE|cov:)|INFO: fork: .*cov:" "$log" | tail -1)
    local runs
    runs=$(grep -E "^stat::number_of_executed_units" "$log" | awk '{print $2}')
    local files
    files=$(ls "$BUILD_PATH/corpus/$target" | wc -l)
    local findings
    # slow-unit-* files only note inputs over 10 s (a loaded machine): not findings.
    findings=$(ls "$BUILD_PATH/artifacts/$target" | grep -cE "^(crash|leak|timeout|oom)-")
    [ "$findings" -gt 0 ] && status=${status/#0/1}
    if [ $status -eq 0 ]; then
        echo "ok   $target  runs=${runs:-?}  new_corpus=$files  $stats"
    else
        echo "FAIL $target (exit $status): see $log and $BUILD_PATH/artifacts/$target/"
        grep -E "ERROR: |SUMMARY: |invariant failed|Fatal error|deadly signal" "$log" | head -5
    fi
    return $status
}
export -f run_one dictionary_for
export BUILD_PATH BIN SECONDS_EACH FUZZ_KEEP_GOING FUZZ_TIMEOUT

failed=0
printf '%s\n' $TARGETS | xargs -P "$PARALLEL" -I{} bash -c 'run_one {}' || failed=1
if [ $failed -ne 0 ]; then echo "fuzz: at least one target failed"; exit 1; fi
echo "fuzz: every target ran ${SECONDS_EACH}s without a finding"
