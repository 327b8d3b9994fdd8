# Two entry points for people: `make demo` and `make test`. Everything else is for developers.
SHELL := /bin/bash
# Use the operating system's certificate store, so uv works behind TLS-inspecting proxies too.
export UV_NATIVE_TLS := 1
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)

.PHONY: demo test test-deps web-assets lint typecheck bench bench-extract bench-domains bench-screen bench-psi bench-api bench-link bench-operations sync

$(CURDIR)/.tools/bin/uv:
	bash scripts/bootstrap-uv.sh

sync: $(UV) web-assets
	$(UV) sync --frozen

# JavaScript libraries for the pages and axe-core for the browser tests, from the committed
# package-lock.json (npm ci), into node_modules/ (ignored). The pages work without them.
web-assets: node_modules/.package-lock.json

node_modules/.package-lock.json: package-lock.json package.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: pages work without JavaScript; browser tests will be skipped"; fi

demo: sync
	$(UV) run --frozen lurewatch demo

# System packages the tests need (JRE, Chromium): installed only when missing.
test-deps:
	bash scripts/test-deps.sh

test: sync test-deps
	$(UV) run --frozen ruff check src tests bench
	$(UV) run --frozen ruff format --check src tests bench
	$(UV) run --frozen mypy
	$(UV) run --frozen pytest

lint: sync
	$(UV) run --frozen ruff check src tests bench

typecheck: sync
	$(UV) run --frozen mypy

# Benchmarks are not part of `make test`; results are recorded in docs/benchmarks.md.
# Each installs the bench group (peers such as iocextract) without removing anything.
bench: bench-extract bench-screen bench-domains bench-psi bench-link

bench-extract: $(UV)
	$(UV) sync --frozen --group bench
	$(UV) run --frozen --group bench python bench/extract.py

bench-screen: $(UV)
	$(UV) run --frozen --group bench python bench/screen.py

bench-domains: $(UV)
	$(UV) run --frozen --group bench python bench/domains.py

bench-psi: $(UV)
	$(UV) run --frozen python bench/psi.py

# Linking (issue 6): DuckDB, Spark local and a networkx baseline at 10k/100k/1M synthetic
# reports; wall time, peak memory, pairwise F1. Figures: docs/benchmarks.md, "Linking".
bench-link: $(UV)
	$(UV) sync --frozen --group bench --extra spark
	$(UV) run --frozen --group bench python bench/link.py --minhash 2000 --extract 3000

# Operations (issue 6): linking the store, full run vs incremental run on one synthetic store.
bench-operations: $(UV)
	$(UV) run --frozen python bench/operations.py 10000 100

# REST API load on loopback (bars: issue 5); drives `wrk` when installed (apt-get install wrk),
# else an asyncio+httpx client that takes about as much CPU as the server. Figures: docs/api.md.
bench-api: $(UV)
	$(UV) run --frozen python bench/api.py
