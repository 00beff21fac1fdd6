# valuepact: `make demo` and `make test` work on a fresh Debian 12 machine as root.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release
VALUEPACT := $(BUILD)/valuepact
SHARED ?= ../shared

.PHONY: all deps configure build demo test bench format lint clean

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

bench: build
	@bash bench/run.sh $(BUILD)

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

lint: configure
	@git ls-files 'src/*.cc' | xargs clang-tidy -p $(BUILD) --quiet

clean:
	@rm -rf $(BUILD)
