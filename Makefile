# Seimbang: the two commands are `make demo` and `make test`; see README.md.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
SANITIZE ?= 0
JOBS ?= $(shell nproc)
CTEST_ARGS ?=

ifeq ($(SANITIZE),1)
  BUILD_DIR := build-sanitize
  BUILD_TYPE := Debug
endif

CMAKE_FLAGS = -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DSEIMBANG_SANITIZE=$(if $(filter 1,$(SANITIZE)),ON,OFF)

.PHONY: all deps configure build test demo demo-up bench fuzz fmt fmt-check proto-python clean

all: build

deps:
	@tools/deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS)

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The format check runs first: a file clang-format would change fails the tests.
test: build fmt-check
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

demo: build
	tools/demo.sh

demo-up: build
	tools/demo.sh --keep-running

# Every benchmark in build/bin/bench, national scale included (about 25 minutes on 2 cores),
# then one table of issue 22's items, each against its limit with the ratio.
# BENCH_SCALE=quick leaves the national runs out (a few minutes).
bench: build
	tools/bench.sh

# The planner comparison at province and national scale (minutes): Seimbang, plain LEMON and
# greedy, CBC at province only (it cannot finish beyond Makassar). `make bench` already runs
# Seimbang alone nationally against issue 22 item 6, and the national import and analyses.
.PHONY: bench-national
bench-national: build
	$(BUILD_DIR)/bin/bench/planner_compare --scale province --methods seimbang,lemon,greedy,cbc --time-limit 300 --mem-limit-gib 12
	$(BUILD_DIR)/bin/bench/planner_compare --scale national --methods seimbang,greedy,lemon --time-limit 400 --mem-limit-gib 12

# libFuzzer runs (clang build in build-fuzz); make test runs a 5-second smoke of each.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz: deps
	tools/fuzz.sh --seconds $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Bounded soak of the three services (bench/soak; not in `make test`, whose smoke runs 10 s).
SOAK_MINUTES ?= 10
SOAK_ARGS ?=
.PHONY: soak
soak: build
	$(BUILD_DIR)/bin/seimbang-soak --minutes $(SOAK_MINUTES) $(SOAK_ARGS)

proto-python: deps
	tools/proto-python.sh $(BUILD_DIR)/python

fmt:
	find common services tools tests bench -name '*.cc' -o -name '*.h' | xargs -r clang-format -i

fmt-check: deps
	find common services tools tests bench -name '*.cc' -o -name '*.h' | xargs -r clang-format --dry-run --Werror

clean:
	rm -rf build build-sanitize build-fuzz var/demo
