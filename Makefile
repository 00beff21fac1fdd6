# valuepact: `make demo` and `make test` work on a fresh Debian 12 machine as root.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release
VALUEPACT := $(BUILD)/valuepact
SHARED ?= ../shared

# Sanitizer build of everything, with the full test suite (`make test-asan`).
ASAN_BUILD ?= build-asan
# libFuzzer targets (clang): `make fuzz` runs each for FUZZ_SECONDS over fuzz/corpus/<target>/;
# `make fuzz-campaign` runs each for FUZZ_RUNS executions (docs/testing.md, "Fuzzing").
FUZZ_BUILD ?= build-fuzz
FUZZ_RATE_BUILD ?= build-fuzz-rate
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?= 10000000
# Every target in fuzz/ (<name>_fuzz.cc) unless FUZZ_TARGETS names some.
FUZZ_TARGETS ?= $(sort $(patsubst fuzz/%_fuzz.cc,%,$(wildcard fuzz/*_fuzz.cc)))
SANITIZERS := -DVALUEPACT_SANITIZE=address,undefined

.PHONY: all deps configure build demo test bench format lint clean test-asan fuzz-deps \
	fuzz-build fuzz fuzz-campaign fuzz-rate

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@bash scripts/demo.sh $(VALUEPACT)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 900

# Address and undefined-behaviour sanitizers over the whole project and every test; any report
# fails the test that triggered it. Tests that run the valuepact binary run this build's.
test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(SANITIZERS) \
		-DVALUEPACT_BUILD_BENCH=OFF >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS) --timeout 1800

fuzz-deps:
	@bash scripts/install-deps.sh --fuzz

fuzz-build: fuzz-deps
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DVALUEPACT_FUZZ=ON $(SANITIZERS) -DVALUEPACT_BUILD_TESTS=OFF \
		-DVALUEPACT_BUILD_BENCH=OFF >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_targets

fuzz: fuzz-build
	@bash scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Executions per second of each target without sanitizers (per-call cost; docs/testing.md).
fuzz-rate: fuzz-deps
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_RATE_BUILD) -G Ninja \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo -DVALUEPACT_FUZZ=ON -DVALUEPACT_BUILD_TESTS=OFF \
		-DVALUEPACT_BUILD_BENCH=OFF >/dev/null
	@cmake --build $(FUZZ_RATE_BUILD) -j $(JOBS) --target fuzz_targets
	@bash scripts/fuzz-rate.sh $(FUZZ_RATE_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-campaign: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		bash scripts/fuzz-campaign.sh $$t $(FUZZ_RUNS) $(abspath $(FUZZ_BUILD)) || exit 1; \
	done

bench: build
	@bash bench/run.sh $(BUILD)

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

lint: configure
	@git ls-files 'src/*.cc' | xargs clang-tidy -p $(BUILD) --quiet

clean:
	@rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(FUZZ_RATE_BUILD)
