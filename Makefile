# nakladna: `make demo` and `make test` are the two commands; both work on a fresh machine.
SWIFT ?= swift
# Debian packages the build needs: the XML, SQLite and PostgreSQL client (libpq) headers, and pkg-config to find them.
BUILD_PACKAGES := libxml2-dev libsqlite3-dev zlib1g-dev libpq-dev pkg-config
# The report is checked as a person sees it, in headless Chromium; the workbook as an accountant opens it, in
# LibreOffice Calc. The PostgreSQL store is tested against a real server, a throwaway cluster each suite starts
# (Tests/NakladnaTests/TestPostgres.swift).
TEST_PACKAGES := chromium libreoffice-calc-nogui postgresql-15
BENCH_PACKAGES := libxml2-utils postgresql-15

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
	python3 bench/nights.py "$$($(SWIFT) build -c release --show-bin-path)" --runs 3
	python3 bench/chain.py "$$($(SWIFT) build -c release --show-bin-path)" --runs 3

# Records the golden CSV files of the demo station and of the nine-supplier one (fixtures/nine laid over the demo);
# review the diff before committing it.
golden: deps
	$(SWIFT) build --product nakladna
	rm -rf .build/golden .build/golden-nine
	$$($(SWIFT) build --show-bin-path)/nakladna demo --into .build/golden
	mkdir -p fixtures/demo/expected fixtures/nine/expected
	cp .build/golden/out/2026-11-23_2026-11-29/*.csv fixtures/demo/expected/
	cp -r fixtures/demo .build/golden-nine && cp -r fixtures/nine/. .build/golden-nine/ && cp -r mappings .build/golden-nine/
	rm -rf .build/golden-nine/expected
	DEMO_OMEGA_KEY=golden DEMO_BM_KEY=golden $$($(SWIFT) build --show-bin-path)/nakladna run \
		--config .build/golden-nine/nakladna.yaml --from 2026-11-23 --to 2026-11-29
	cp .build/golden-nine/out/2026-11-23_2026-11-29/*.csv fixtures/nine/expected/
	git diff --stat -- fixtures/demo/expected fixtures/nine/expected

clean:
	rm -rf .build demo-out bench-data

# Coverage-guided fuzzing (libFuzzer, with AddressSanitizer) of three ways in: the readers and the mapping
# evaluation, then the mapping loader and the configuration loader (YAML in; more than 1 GB of memory is a finding).
# FUZZ_SECONDS bounds each; the readers' corpus grows in fixtures/fuzz-corpus/, the loaders' in .build-fuzz/.
FUZZ_SECONDS ?= 60
FUZZ = .build-fuzz/debug/nakladna-fuzz
fuzz: deps
	NAKLADNA_FUZZ=1 $(SWIFT) build --build-path .build-fuzz --product nakladna-fuzz -c debug \
		-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld
	mkdir -p fixtures/fuzz-corpus .build-fuzz/corpus-mapping .build-fuzz/corpus-config
	$(FUZZ) fixtures/fuzz-corpus fixtures/fuzz-seeds \
		-max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1
	# The loaders without the leak check: Foundation's NSRegularExpression leaks 540 bytes when it refuses an
	# invalid pattern (_CFRegularExpressionCreate), once per mapping load; the memory limit still holds.
	ASAN_OPTIONS=detect_leaks=0 NAKLADNA_FUZZ_TARGET=mapping $(FUZZ) .build-fuzz/corpus-mapping mappings \
		-max_total_time=$(FUZZ_SECONDS) -max_len=16384 -timeout=10 -rss_limit_mb=1024 -print_final_stats=1
	ASAN_OPTIONS=detect_leaks=0 NAKLADNA_FUZZ_TARGET=config $(FUZZ) .build-fuzz/corpus-config fixtures/config \
		-max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=10 -rss_limit_mb=1024 -print_final_stats=1
