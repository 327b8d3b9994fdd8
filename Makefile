# Two entry points for people: `make demo` and `make test`. Everything else is for developers.
SHELL := /bin/bash
# Use the operating system's certificate store, so uv works behind TLS-inspecting proxies too.
export UV_NATIVE_TLS := 1
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)

.PHONY: demo test lint typecheck bench bench-extract bench-domains sync

$(CURDIR)/.tools/bin/uv:
	bash scripts/bootstrap-uv.sh

sync: $(UV)
	$(UV) sync --frozen

demo: sync
	$(UV) run --frozen lurewatch demo

test: sync
	$(UV) run --frozen ruff check src tests bench
	$(UV) run --frozen ruff format --check src tests bench
	$(UV) run --frozen mypy
	$(UV) run --frozen pytest

lint: sync
	$(UV) run --frozen ruff check src tests bench

typecheck: sync
	$(UV) run --frozen mypy

bench: bench-extract bench-domains

bench-extract: $(UV)
	$(UV) sync --frozen --group bench
	$(UV) run --frozen --group bench python bench/extract.py

bench-domains: sync
	$(UV) run --frozen python bench/domains.py

.PHONY: bench-screen
bench: bench-screen
bench-screen: $(UV)
	$(UV) run --frozen python bench/screen.py
