# The two commands of the README, and the steps they are made of.
# `make demo`: environment + SQLite database + demo province + logins printed + site on http://127.0.0.1:8000
# `make test`: environment + Chromium for browser tests + the whole test suite

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export KYNANGSO_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test env browser clean

$(BIN)/kynangso: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

env: $(BIN)/kynangso

demo: env
	$(BIN)/kynangso demo

browser:
	@scripts/ensure-chromium

# The suite runs on every core (pytest-xdist; each worker gets its own test database and Redis database);
# `make test TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= auto

test: env browser
	$(BIN)/pytest -n $(TEST_WORKERS)

clean:
	rm -rf $(VENV) var
