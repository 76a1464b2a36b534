# Pikou — build, test and demo. `make demo` and `make test` install what is missing themselves.
SWIFT      ?= swift
PIKOU      := .build/debug/pikou
# System packages the build and tests need (Debian names); installed only when absent.
# postgresql: the server the PostgreSQL store's tests run against (a throwaway cluster, scripts/with-postgres.sh).
# chromium, chromium-driver, fonts-wqy-zenhei: the console's browser test (headless, screenshots in Chinese).
# openssh-client: pikou send/fetch; openssh-server: the exchange tests' own sshd on 127.0.0.1 (the
# system's ssh service is not started by the install: scripts/apt-install.sh). libxml2-utils: xmllint,
# which checks ISO 20022 files as sent against the official schemas, independently of Pikou's code.
APT_DEPS   := pkg-config libssl-dev libxml2-dev libsqlite3-dev libxlsxwriter-dev zlib1g-dev openssl python3 python3-pip python3-venv bc xmlsec1 postgresql \
              chromium chromium-driver fonts-wqy-zenhei openssh-client openssh-server libxml2-utils sqlite3 libcurl4
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

PREFIX     ?= /usr/local

.PHONY: all deps schemas build release install test test-venv demo demo-residents demo-pg crash-test bench bench-quick bench-smoke fuzz fuzz-smoke lint format clean

all: build

deps:
	@missing=""; for p in $(APT_DEPS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  $(SUDO) bash scripts/apt-install.sh $$missing; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "make deps: no Swift toolchain on PATH (need Swift 6.2 or later)"; exit 1; }

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# PREFIX/bin/pikou and PREFIX/share/pikou/: Formats (bank specs, policy, calendar, schemas), the TEST
# keys for a rehearsal (pikou init --test-keys; a production workspace refuses them), the systemd
# units and timers and a crontab (their paths made PREFIX's). An installed pikou finds share/pikou
# from its own real path. The binary uses the Swift runtime of the toolchain it was built with;
# SWIFT_STATIC=1 links it in (a separate, longer build) for machines without the toolchain.
# INSTALL_CONFIG=debug installs the debug build instead (the docs-as-tests suite, not for bureaus).
INSTALL_CONFIG ?= release
install: deps schemas
	$(SWIFT) build -c $(INSTALL_CONFIG) $(if $(SWIFT_STATIC),--static-swift-stdlib --scratch-path .build/static)
	install -d -m 0755 "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/pikou" "$(DESTDIR)$(PREFIX)/share/pikou/systemd" \
	  "$(DESTDIR)$(PREFIX)/share/pikou/cron" "$(DESTDIR)$(PREFIX)/share/pikou/test-keys"
	install -m 0755 $(if $(SWIFT_STATIC),.build/static,.build)/$(INSTALL_CONFIG)/pikou "$(DESTDIR)$(PREFIX)/bin/pikou"
	rm -rf "$(DESTDIR)$(PREFIX)/share/pikou/Formats"
	cp -R Formats "$(DESTDIR)$(PREFIX)/share/pikou/Formats"
	install -m 0644 Fixtures/keys/test-* Fixtures/keys/passphrase.txt "$(DESTDIR)$(PREFIX)/share/pikou/test-keys/"
	install -d -m 0755 "$(DESTDIR)$(PREFIX)/share/pikou/examples"
	install -m 0644 Fixtures/examples/roster.csv Fixtures/examples/payments.csv "$(DESTDIR)$(PREFIX)/share/pikou/examples/"
	for f in scripts/install/systemd/* scripts/install/cron/*; do \
	  sed 's|@PREFIX@|$(PREFIX)|g' "$$f" > "$(DESTDIR)$(PREFIX)/share/pikou/$$(basename $$(dirname $$f))/$$(basename $$f)"; \
	  chmod 0644 "$(DESTDIR)$(PREFIX)/share/pikou/$$(basename $$(dirname $$f))/$$(basename $$f)"; done
	@echo "installed $(DESTDIR)$(PREFIX)/bin/pikou and $(DESTDIR)$(PREFIX)/share/pikou (Formats, systemd, cron, test-keys); next: pikou init WORKSPACE (docs/operations.md)"

# The official ISO 20022 schemas the ISO20022 bank validates against (not committed; see
# Formats/schemas/iso20022/README.md). Downloads only when they are missing.
schemas: deps
	@python3 scripts/fetch_schemas.py

# The CLI tests run the built binary, so build it first. The tests run beside a throwaway PostgreSQL
# server (127.0.0.1, a free port, removed at the end) so that the store's suites run on both backends.
# Then the console in headless Chromium: an operator's and a finance officer's day, screenshots of
# each page in .build/console-screenshots/. Then the English-leak test: both demos, everyday commands
# and mistakes, the files people open and every console page for every role, read in Chinese (0 leaks).
test: build lint schemas test-venv
	PIKOU_TEST_PYTHON=$(CURDIR)/.build/test-venv/bin/python bash scripts/with-postgres.sh $(SWIFT) test
	python3 scripts/console_browser_test.py
	python3 scripts/english_leak_test.py
	python3 scripts/docs_test.py
	python3 scripts/bench.py --smoke

# The bench, small: every stage at 10,000 payers and the engines at 10,000 lines on the debug build,
# checking only that each completes and counts right (make test runs it, so the bench cannot rot).
bench-smoke: build schemas
	python3 scripts/bench.py --smoke

# An independent SM2 implementation (Python gmssl, PyPI) for the signature interop tests (scripts/sm2_peer.py).
test-venv:
	@[ -x .build/test-venv/bin/python ] && .build/test-venv/bin/python -c 'import gmssl' 2>/dev/null || \
	  { python3 -m venv .build/test-venv && .build/test-venv/bin/pip install -q gmssl; }

demo: build schemas
	@bash scripts/demo.sh
	@bash scripts/demo_residents.sh

# The residents' annual collection alone (城乡居民两险: a synthetic county, one window in two rounds).
demo-residents: build schemas
	@bash scripts/demo_residents.sh

# The demo on PostgreSQL: PIKOU_DEMO_STORE=postgres://… uses that server; without it, a throwaway one.
demo-pg: build schemas
	@if [ -n "$$PIKOU_DEMO_STORE" ]; then bash scripts/demo.sh; \
	else PIKOU_PG_DURABLE=1 bash scripts/with-postgres.sh bash -c 'PIKOU_DEMO_STORE="$$PIKOU_TEST_POSTGRES" bash scripts/demo.sh'; fi

# Issue 17: kill -9 `cycle run` and `returns ingest` at random moments (25 times each), recover,
# and compare with an uninterrupted run; `check` must be clean (see scripts/crash_test.py --help).
crash-test: build schemas
	PIKOU=$(PIKOU) python3 scripts/crash_test.py

# A synthetic city through every stage, with reference points (see scripts/bench.py).
# make bench STORE=postgres: every city on SQLite and on PostgreSQL side by side (a throwaway server,
# durable: fsync and synchronous commits on, as SQLite's synchronous = FULL).
STORE ?= sqlite
bench: deps schemas
	@command -v wrk >/dev/null || $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk
	$(SWIFT) build -c release
	$(if $(filter postgres,$(STORE)),PIKOU_PG_DURABLE=1 bash scripts/with-postgres.sh) python3 scripts/bench.py --store $(STORE) $(BENCH_ARGS)

bench-quick: deps schemas
	$(SWIFT) build -c release
	$(if $(filter postgres,$(STORE)),PIKOU_PG_DURABLE=1 bash scripts/with-postgres.sh) python3 scripts/bench.py --quick --store $(STORE)

# libFuzzer targets over the parsers (Fuzz/, scripts/fuzz.py): each runs FUZZ_SECONDS, one at a time, niced;
# a crash, timeout or leak is kept in Fixtures/crashers/ and fails the target.
FUZZ_SECONDS ?= 600
fuzz: deps schemas
	FUZZ_SECONDS=$(FUZZ_SECONDS) python3 scripts/fuzz.py

fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=30

# PikouCore is the pure domain: no Foundation, no I/O. The CLI reaches the store only through PikouCycle.
lint:
	@if grep -rnE '^\s*(public |internal |package )?import (Foundation|FoundationEssentials|Glibc)' Sources/PikouCore; then \
	  echo "lint: Sources/PikouCore must not import Foundation or Glibc"; exit 1; fi
	@# The CLI is thin: it calls PikouCycle's use cases and never the store.
	@if grep -rnE '^\s*(@testable |public |internal |package )?import ReconStore' Sources/pikou; then \
	  echo "lint: Sources/pikou must not import ReconStore: call a PikouCycle use case (UseCases)"; exit 1; fi
	@# The fuzz targets build apart (make fuzz): type-check them against the debug build so an API change shows here.
	@if [ -d .build/debug/Modules ]; then python3 scripts/fuzz.py --typecheck; fi
	@echo "lint: ok"

clean:
	rm -rf .build Fuzz/.build demo-workspace demo-residents
