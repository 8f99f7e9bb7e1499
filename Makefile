# nakladna: `make demo` and `make test` are the two commands; both work on a fresh machine.
SWIFT ?= swift
# Debian packages the build needs: the XML and SQLite headers, and pkg-config to find them.
BUILD_PACKAGES := libxml2-dev libsqlite3-dev pkg-config
# The report is checked as a person sees it, in headless Chromium.
TEST_PACKAGES := chromium
BENCH_PACKAGES := libxml2-utils

.PHONY: all deps demo test lint format bench bench-deps fuzz golden clean

all: test

# Installs what is missing, with one `apt-get update` first (a fresh machine has no package lists).
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
endef

deps:
	$(call apt_install,$(BUILD_PACKAGES))

demo: deps
	$(SWIFT) build --product nakladna
	$$($(SWIFT) build --show-bin-path)/nakladna demo

test: deps
	$(call apt_install,$(TEST_PACKAGES))
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests Benchmarks Fuzz

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests Benchmarks Fuzz

# The baselines: xmllint (the floor) from Debian; lxml and PyYAML (the peers) from PyPI, for the python3 on PATH.
bench-deps: deps
	$(call apt_install,$(BENCH_PACKAGES))
	@python3 -c 'import lxml, yaml' 2>/dev/null || python3 -m pip install -q lxml pyyaml

bench: bench-deps
	$(SWIFT) build -c release --product nakladna-bench
	$(SWIFT) build -c release --product nakladna
	python3 bench/run.py "$$($(SWIFT) build -c release --show-bin-path)"

# Records the demo station's golden CSV files; review the diff before committing it.
golden: deps
	$(SWIFT) build --product nakladna
	rm -rf .build/golden
	$$($(SWIFT) build --show-bin-path)/nakladna demo --into .build/golden
	mkdir -p fixtures/demo/expected
	cp .build/golden/out/2026-11-23_2026-11-29/*.csv fixtures/demo/expected/
	git diff --stat -- fixtures/demo/expected

clean:
	rm -rf .build demo-out bench-data

# Coverage-guided fuzzing of the readers and the mapping evaluation (libFuzzer, with AddressSanitizer).
# FUZZ_SECONDS bounds the run; the corpus grows in fixtures/fuzz-corpus/.
FUZZ_SECONDS ?= 60
fuzz: deps
	NAKLADNA_FUZZ=1 $(SWIFT) build --build-path .build-fuzz --product nakladna-fuzz -c debug \
		-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld
	mkdir -p fixtures/fuzz-corpus
	.build-fuzz/debug/nakladna-fuzz fixtures/fuzz-corpus fixtures/fuzz-seeds \
		-max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1
