# Parallax: two commands do all set-up on a fresh Debian 12 machine.
#   make run    install what is missing, fetch and verify models, build, index the sample, open the workbench
#   make test   the same set-up, then the whole test suite
.PHONY: run test setup deps models build index-sample bench clean fuzz check-sanitizers

SWIFT        ?= swift
# One configuration for building, running and testing, so `make test` reuses `make build`:
# optimised (numeric kernels are unusably slow without it) and testable.
SWIFT_FLAGS  ?= -c release -Xswiftc -enable-testing
BIN          := .build/release/parallax
SAMPLE       ?= samples/handbook
WORKSPACE    ?= $(SAMPLE)/.parallax

# OpenBLAS picks its Haswell kernels on AVX-512 AMD CPUs; SkylakeX runs sgemm ~2x faster there.
# The parallax binary makes the same choice itself at start-up (overriding a machine-wide
# OPENBLAS_CORETYPE); this covers the test runner. PARALLAX_OPENBLAS_CORETYPE forces a choice, and
# `auto` (or empty) sets nothing, as in the binary (Kernels/BLAS.swift): OpenBLAS's own choice.
ifneq ($(origin PARALLAX_OPENBLAS_CORETYPE),undefined)
  ifneq ($(filter-out auto AUTO Auto,$(strip $(PARALLAX_OPENBLAS_CORETYPE))),)
    export OPENBLAS_CORETYPE := $(strip $(PARALLAX_OPENBLAS_CORETYPE))
  endif
else ifneq ($(shell grep -qw avx512bw /proc/cpuinfo 2>/dev/null && grep -qw avx512vl /proc/cpuinfo && echo y),)
  export OPENBLAS_CORETYPE := SkylakeX
endif
export OPENBLAS_NUM_THREADS ?= 2

run: setup build index-sample
	$(BIN) tui --workspace $(WORKSPACE)

test: setup
	$(SWIFT) build $(SWIFT_FLAGS)
	PARALLAX_BIN=$(BIN) $(SWIFT) test $(SWIFT_FLAGS)

setup: deps models

deps:
	@bash scripts/install-deps.sh

models:
	@bash scripts/fetch-models.sh

build: deps
	$(SWIFT) build $(SWIFT_FLAGS)

index-sample: build
	$(BIN) index $(SAMPLE) --workspace $(WORKSPACE)

bench: setup build
	$(BIN) bench generate --json

# Also the fuzzing and sanitizer builds (make fuzz, make check-sanitizers).
clean:
	rm -rf .build .build-fuzz .build-asan .build-tsan

# libFuzzer targets (Fuzz/README.md): each runs FUZZ_SECONDS (default 60); any crash, leak,
# sanitizer report, timeout or out-of-memory fails. Builds into .build-fuzz, apart from .build.
FUZZ_SECONDS ?= 60
fuzz: setup
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash Fuzz/run.sh

# The test suite under AddressSanitizer, then ThreadSanitizer, each in its own build path. Not part
# of `make test`; heavy, so it runs under nice. SANITIZERS="thread" runs one of them.
check-sanitizers: setup
	bash Fuzz/check-sanitizers.sh
