# Quick start: `make report` (the main job on corpus/) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.test-installed
CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser || echo /usr/bin/chromium)

.PHONY: install report test browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(INSTALLED): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -q -e .
	@touch $@

install: $(INSTALLED)

report: $(INSTALLED)
	$(BIN)/lineage report corpus/ --out reports/ --db .lineage/lineage.db

$(TEST_INSTALLED): $(INSTALLED) setup.cfg
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

# Browser tests drive Debian's Chromium through Playwright; install it (and a
# CJK font, so screenshots show Chinese) when missing.
browser:
	@PKGS=""; \
	[ -x "$(CHROMIUM)" ] || PKGS="chromium"; \
	fc-list :lang=zh 2>/dev/null | grep -q . || PKGS="$$PKGS fonts-wqy-microhei"; \
	if [ -n "$$PKGS" ]; then \
		echo "installing$$PKGS (Debian packages) for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$PKGS >/dev/null; \
	fi

test: $(TEST_INSTALLED) browser
	$(BIN)/python -m pytest -q

bench: $(TEST_INSTALLED)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .lineage reports/*.html reports/pairs reports/provenance reports/documents reports/static reports/.lineage-output.json *.egg-info
	-rmdir reports 2>/dev/null
