# A thin wrapper over CMake. `make demo` and `make check` work on a fresh
# Debian 12 machine: they install the missing build packages first.

BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc)
# `make install`: where to (PREFIX, baked into the systemd units) and a staging root (DESTDIR).
PREFIX     ?= /usr/local
DESTDIR    ?=
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Every package the build, the tests and the demo need (README.md, "Dependencies").
DEB_PACKAGES := build-essential cmake pkg-config ca-certificates curl \
  libcurl4-openssl-dev rapidjson-dev libsqlitecpp-dev libsqlite3-dev libspdlog-dev libfmt-dev \
  libtomlplusplus-dev libssl-dev libexpected-dev libcpp-httplib-dev libsystemd-dev \
  libgtest-dev libgmock-dev libbenchmark-dev jq openssl \
  prometheus time
# For `make check-sanitize` and `make fuzz` (README.md, "Sanitizers and fuzzing").
DEB_PACKAGES += clang-14 libclang-rt-14-dev llvm-14

# For `make check-browser` only (README.md, "The coverage report"): headless
# Chromium renders the HTML report, poppler-utils reads its PDF, and
# fonts-liberation gives it the report's serif with Vietnamese letters.
BROWSER_PACKAGES := chromium poppler-utils fonts-liberation

.PHONY: all deps configure build check demo install clean check-sanitize fuzz bench check-browser

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

# ccache, when present, keeps rebuilds (and other worktrees' builds) cheap.
LAUNCHER := $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

configure: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(LAUNCHER)

build: configure
	cmake --build $(BUILD_DIR) -j$(JOBS)

check: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

demo: build
	./scripts/demo.sh $(BUILD_DIR)

# The HTML report in headless Chromium (ctest label `browser`); the only
# target that installs a browser.
check-browser: build
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(BROWSER_PACKAGES)"
	cd $(BUILD_DIR) && ctest -L browser --output-on-failure

# The benchmarks (bench/README.md): Google Benchmark's micro-benchmark, then
# portal-syncd against portal-sim beside curl --parallel and a naive client.
BENCH_TARGETS := portal-syncd portal-sim psd-bench-bodies psd-micro-bench
bench: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DPSD_BUILD_BENCH=ON
	cmake --build $(BUILD_DIR) -j$(JOBS) --target $(BENCH_TARGETS)
	$(BUILD_DIR)/bench/psd-micro-bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
	./bench/run.sh $(BUILD_DIR)

# Binaries, systemd units, the sysusers.d entry, example configs, alert rules
# and docs (README.md, "Installing and running under systemd").
install: build
	DESTDIR=$(abspath $(DESTDIR)) cmake --install $(BUILD_DIR)
	@[ -n "$(DESTDIR)" ] || echo "Next: systemd-sysusers && systemctl daemon-reload," \
	  "then edit /etc/portal-syncd/portal-syncd.toml (README.md, \"Installing and running under systemd\")"

clean:
	rm -rf $(BUILD_DIR) demo-run build-asan build-tsan build-fuzz

# --- Sanitizers and fuzzing (README.md, "Sanitizers and fuzzing").
# Each build has its own folder; ccache (LAUNCHER above) keeps rebuilds cheap.
SANITIZE_CMAKE := -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=g++ $(LAUNCHER)
# Tests of threads and processes: the HTTP client's multi handle, the
# simulator (a thread pool), the state store, the daemon end to end.
TSAN_LABELS ?= concurrent

# The whole suite under ASan+UBSan, then the concurrent tests under TSan; both
# with g++, the compiler of the normal build.
check-sanitize: deps
	cmake -S . -B build-asan $(SANITIZE_CMAKE) -DPSD_SANITIZE=address,undefined
	cmake --build build-asan -j$(JOBS)
	./scripts/check-sanitize.sh build-asan address -j$(JOBS)
	cmake -S . -B build-tsan $(SANITIZE_CMAKE) -DPSD_SANITIZE=thread
	cmake --build build-tsan -j$(JOBS)
	./scripts/check-sanitize.sh build-tsan thread -j$(JOBS) -L '$(TSAN_LABELS)'

FUZZ_SECONDS ?= 60
FUZZ_TARGETS := catalogue_page listing_page config

# Build the libFuzzer targets (clang 14, every library instrumented) and run
# each for FUZZ_SECONDS from its seed corpus.
fuzz: deps
	cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
	  -DPSD_BUILD_FUZZ=ON -DPSD_BUILD_TESTS=OFF $(LAUNCHER)
	cmake --build build-fuzz -j$(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	./fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)
