# A thin wrapper over CMake. `make demo` and `make check` work on a fresh
# Debian 12 machine: they install the missing build packages first.

BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc)
# `make install`: where to (PREFIX, baked into the systemd units) and a staging root (DESTDIR).
PREFIX     ?= /usr/local
DESTDIR    ?=
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# What each target installs when missing (README.md, "Dependencies"); no
# target installs a package that starts a service.
# The build (every target).
BUILD_PACKAGES := build-essential cmake pkg-config ca-certificates \
  libcurl4-openssl-dev rapidjson-dev libsqlitecpp-dev libsqlite3-dev libspdlog-dev libfmt-dev \
  libtomlplusplus-dev libssl-dev libexpected-dev libcpp-httplib-dev libsystemd-dev
# `make check` and `make demo`: the test framework, the tests' CA, the demo's tools.
TEST_PACKAGES := libgtest-dev libgmock-dev curl jq openssl
# `make bench`.
BENCH_PACKAGES := libbenchmark-dev curl jq time valgrind
# `make tidy`: clang-tidy with the checks in .clang-tidy.
TIDY_PACKAGES := clang-tidy-14
# `make fuzz` (clang's libFuzzer); `make check-sanitize` needs only g++.
FUZZ_PACKAGES := clang-14 libclang-rt-14-dev llvm-14
# `make deb`: debhelper, lintian, and man-db to check the pages render.
PACKAGING_PACKAGES := debhelper lintian man-db fakeroot
# `make check-systemd`: a Debian 12 root to boot, and systemd-nspawn.
SYSTEMD_TEST_PACKAGES := mmdebstrap systemd-container

# `make check-browser`: headless Chromium renders the HTML report,
# poppler-utils reads its PDF, fonts-liberation gives it the report's serif
# with Vietnamese letters (README.md, "The coverage report").
BROWSER_PACKAGES := chromium poppler-utils fonts-liberation

.PHONY: all deps configure build check demo install clean check-sanitize fuzz bench promtool \
  deb check-systemd check-browser soak tidy build-extras

all: build

# $(call deps,PACKAGES): install those of PACKAGES that are missing, so a
# prepared machine needs no network.
define deps
	@missing=$$(for p in $(1); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing packages:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call deps,$(BUILD_PACKAGES) $(TEST_PACKAGES))

# promtool from Debian's prometheus package, unpacked into the build and not
# installed: installing prometheus would start a Prometheus server. The tests
# look for it there first (tests/support/external_tool.hpp); they say
# SKIPPED without it.
PROMTOOL_DIR := $(BUILD_DIR)/tools/prometheus
promtool:
	@[ -x $(PROMTOOL_DIR)/usr/bin/promtool ] || { \
	  mkdir -p $(PROMTOOL_DIR) && cd $(PROMTOOL_DIR) && rm -f prometheus_*.deb && \
	  { apt-get download prometheus 2>/dev/null || \
	    { $(SUDO) apt-get update -qq && apt-get download prometheus; }; } && \
	  dpkg-deb -x prometheus_*.deb . && rm -f prometheus_*.deb && \
	  echo "promtool: $(PROMTOOL_DIR)/usr/bin/promtool (not installed)"; \
	} || echo "promtool: could not fetch the prometheus package; its tests will say SKIPPED"

# ccache, when present, keeps rebuilds (and other worktrees' builds) cheap.
LAUNCHER := $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

configure: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(LAUNCHER)

build: configure
	cmake --build $(BUILD_DIR) -j$(JOBS)

check: build promtool
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS) -LE systemd

demo: build
	./scripts/demo.sh $(BUILD_DIR)

# The HTML report in headless Chromium (ctest label `browser`); the only
# target that installs a browser.
check-browser: build
	$(call deps,$(BROWSER_PACKAGES))
	cd $(BUILD_DIR) && ctest -L browser --output-on-failure

# The benchmarks (bench/README.md): Google Benchmark's micro-benchmark, then
# portal-syncd against portal-sim beside curl --parallel and a naive client.
BENCH_TARGETS := portal-syncd portal-sim psd-bench-bodies psd-micro-bench
bench: deps
	$(call deps,$(BENCH_PACKAGES))
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DPSD_BUILD_BENCH=ON
	cmake --build $(BUILD_DIR) -j$(JOBS) --target $(BENCH_TARGETS)
	$(BUILD_DIR)/bench/psd-micro-bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
	./bench/run.sh $(BUILD_DIR)

# What CI compiles but never runs, so that a change cannot break it unseen:
# the benchmarks' binaries and the soak (in the same tree as `make check`).
EXTRA_TARGETS := psd-bench-bodies psd-micro-bench psd-soak
build-extras: deps
	$(call deps,$(BENCH_PACKAGES))
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DPSD_BUILD_BENCH=ON
	cmake --build $(BUILD_DIR) -j$(JOBS) --target $(EXTRA_TARGETS)

# The soak (tests/soak/README.md): SOAK_KILLS kill -9s of the daemon during
# syncs under faults on both portals. Long, so not part of `make check` or CI.
SOAK_KILLS ?= 1000
soak: build
	cmake --build $(BUILD_DIR) -j$(JOBS) --target psd-soak
	SOAK_KILLS=$(SOAK_KILLS) $(BUILD_DIR)/tests/soak/psd-soak

# Binaries, systemd units, the sysusers.d entry, example configs, alert rules
# and docs (README.md, "Installing and running under systemd").
install: build
	DESTDIR=$(abspath $(DESTDIR)) cmake --install $(BUILD_DIR)
	@[ -n "$(DESTDIR)" ] || echo "Next: systemd-sysusers && systemctl daemon-reload," \
	  "then edit /etc/portal-syncd/portal-syncd.toml (README.md, \"Installing and running under systemd\")"

clean:
	rm -rf $(BUILD_DIR) demo-run build-asan build-tsan build-fuzz build-deb dist

# --- Sanitizers and fuzzing (README.md, "Sanitizers and fuzzing").
# Each build has its own folder; ccache (LAUNCHER above) keeps rebuilds cheap.
# -O1 -g1 (line tables: reports keep file:line) compiles in half the time of
# -O2 -g, measured on four units; the sanitizers' own advice is -O1 or more.
SANITIZE_CMAKE := -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO='-O1 -g1 -DNDEBUG' \
  -DCMAKE_CXX_COMPILER=g++ $(LAUNCHER) \
  -DPSD_TOOLS_DIR=$(abspath $(PROMTOOL_DIR)/..)
# Tests of threads and processes: the HTTP client's multi handle, the
# simulator (a thread pool), the state store, the daemon end to end.
TSAN_LABELS ?= concurrent

# The whole suite under ASan+UBSan, then the concurrent tests under TSan; both
# with g++, the compiler of the normal build.
check-sanitize: deps promtool
	cmake -S . -B build-asan $(SANITIZE_CMAKE) -DPSD_SANITIZE=address,undefined
	cmake --build build-asan -j$(JOBS)
	./scripts/check-sanitize.sh build-asan address -j$(JOBS) -LE systemd
	cmake -S . -B build-tsan $(SANITIZE_CMAKE) -DPSD_SANITIZE=thread
	cmake --build build-tsan -j$(JOBS) --target psd_concurrent_tests
	./scripts/check-sanitize.sh build-tsan thread -j$(JOBS) -L '$(TSAN_LABELS)'

# clang-tidy 14 on the units that changed since TIDY_BASE (.ci/tidy-base: the
# last commit at which every unit is known clean) and those including a header
# that changed; `make tidy TIDY_BASE=` checks every unit (about 20 minutes
# on 2 cores). Any finding fails (README.md, "CI").
TIDY_BASE ?= $(shell cat .ci/tidy-base)
tidy: build
	$(call deps,$(TIDY_PACKAGES))
	JOBS=$(JOBS) ./scripts/tidy.sh $(BUILD_DIR) $(TIDY_BASE)

FUZZ_SECONDS ?= 60
FUZZ_TARGETS := catalogue_page listing_page config mapped_page

# Build the libFuzzer targets (clang 14, every library instrumented) and run
# each for FUZZ_SECONDS from its seed corpus.
fuzz: deps
	$(call deps,$(FUZZ_PACKAGES))
	cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
	  -DPSD_BUILD_FUZZ=ON -DPSD_BUILD_TESTS=OFF $(LAUNCHER)
	cmake --build build-fuzz -j$(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	./fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# --- The Debian package and the test under a real systemd (README.md, "The
# Debian package").

# dpkg-buildpackage -us -uc -b on a copy of the tree in build-deb/ (it writes
# to the parent folder), then lintian (no error) and the man pages rendered.
deb:
	$(call deps,$(BUILD_PACKAGES) $(PACKAGING_PACKAGES))
	JOBS=$(JOBS) ./scripts/build-deb.sh build-deb dist

# The cached Debian 12 root is built once, outside the tree; delete it to rebuild.
SYSTEMD_ROOTFS ?= /var/cache/portal-syncd-test/rootfs
check-systemd: deps deb
	$(call deps,$(SYSTEMD_TEST_PACKAGES))
	./tests/systemd/make-rootfs.sh $(SYSTEMD_ROOTFS)
	cmake -S . -B $(BUILD_DIR) -DPSD_SYSTEMD_ROOTFS=$(SYSTEMD_ROOTFS) $(LAUNCHER)
	cmake --build $(BUILD_DIR) -j$(JOBS) --target portal-sim
	cd $(BUILD_DIR) && ctest --output-on-failure -L systemd
