# Set-up and everyday commands. `make site` and `make test` each do all set-up they need on a
# fresh Debian machine with Python 3.11: a virtual environment with cardsite and its test tools,
# and Debian's Chromium and Noto fonts (charts and the browser tests use them).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBIAN_PACKAGES := chromium fonts-noto-core fonts-noto-cjk openjdk-17-jre-headless nodejs
# The W3C Nu HTML checker (npm's vnu-jar ships vnu.jar; Java runs it), for tests/test_xss.py.
VNU_VERSION := 26.9.27
VNU_JAR := .cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: site test setup system vnu lint bench clean

site: setup system
	$(BIN)/cardsite build

test: setup system vnu
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

setup: $(VENV)/.installed

# cardsite is installed as users get it, from a built wheel (not in editable mode, which would
# hide files missing from the package); a change to the sources installs it again.
SOURCES := $(shell find src data/llama-3.1 -type f -not -name '*.pyc' 2>/dev/null)

$(VENV)/.installed: pyproject.toml $(SOURCES)
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	rm -rf build/lib build/bdist.*  # setuptools' staging: a file removed from src/ stays there
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet '.[test]'
	$(BIN)/pip install --quiet --no-deps --force-reinstall .
	touch $@

# Debian packages, installed only when missing (apt needs root; sudo is used otherwise).
system:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

vnu: $(VNU_JAR)

$(VNU_JAR): | system
	npm install --prefix .cache/vnu --no-save --no-audit --no-fund --ignore-scripts \
	  vnu-jar@$(VNU_VERSION)
	test -f $@

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup system
	$(BIN)/python benchmarks/build_speed.py

clean:
	rm -rf site dist .cache .cardsite-tmp build src/*.egg-info
