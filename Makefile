# A thin wrapper over CMake. `make demo` and `make check` work on a fresh
# Debian 12 machine: they install the missing build packages first.

BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc)
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Every package the build, the tests and the demo need (README.md, "Dependencies").
DEB_PACKAGES := build-essential cmake pkg-config ca-certificates curl \
  libcurl4-openssl-dev rapidjson-dev libsqlitecpp-dev libsqlite3-dev libspdlog-dev libfmt-dev \
  libtomlplusplus-dev libssl-dev libexpected-dev libcpp-httplib-dev libsystemd-dev \
  libgtest-dev libgmock-dev libbenchmark-dev jq openssl \
  time

.PHONY: all deps configure build check demo install clean bench

all: build

# Install only what is missing, so a prepared machine needs no network.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing packages:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

configure: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: configure
	cmake --build $(BUILD_DIR) -j$(JOBS)

check: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

demo: build
	./scripts/demo.sh $(BUILD_DIR)

# The benchmarks (bench/README.md): Google Benchmark's micro-benchmark, then
# portal-syncd against portal-sim beside curl --parallel and a naive client.
BENCH_TARGETS := portal-syncd portal-sim psd-bench-bodies psd-micro-bench
bench: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DPSD_BUILD_BENCH=ON
	cmake --build $(BUILD_DIR) -j$(JOBS) --target $(BENCH_TARGETS)
	$(BUILD_DIR)/bench/psd-micro-bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
	./bench/run.sh $(BUILD_DIR)

install: build
	cmake --install $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) demo-run bench-run
