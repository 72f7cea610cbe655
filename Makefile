# ocsea-hub: the two commands are `make run` and `make test`; the rest are their parts.
PY := .venv/bin/python
STAMP := .venv/.installed

.PHONY: install run stop test test-unit test-integration lint schemas bench services-up services-down clean

$(STAMP): pyproject.toml
	@command -v python3 >/dev/null || { echo "python3 is missing: install Python 3.11+"; exit 1; }
	@test -x $(PY) || python3 -m venv .venv
	@# A venv without pip (left half made by Ctrl-C or a Debian without python3-venv, or made
	@# by a tool that leaves pip out) gets it; made again only if that cannot be done.
	@$(PY) -m pip --version >/dev/null 2>&1 || $(PY) -m ensurepip -q >/dev/null 2>&1 || { rm -rf .venv; python3 -m venv .venv; }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

services-up:
	bash deploy/services.sh up

services-down:
	bash deploy/services.sh down

run: install services-up
	bash deploy/app.sh up
	@echo
	@echo "ocsea-hub is running:"
	@echo "  HTTP API        http://127.0.0.1:8080  (OpenAPI: /openapi.json, docs: /docs)"
	@echo "  API metrics     http://127.0.0.1:8080/metrics"
	@echo "  worker metrics  http://127.0.0.1:6066/metrics   agents: http://127.0.0.1:6067/metrics"
	@echo "  Neo4j           bolt://127.0.0.1:7687 (no auth locally)"
	@echo "  Kafka           127.0.0.1:9092"
	@echo "  logs            .run/logs/"
	@echo "  stop with       make stop"

stop:
	bash deploy/app.sh down
	bash deploy/services.sh down

# The tests start their own processes. Those of `make run` are stopped first: their SLA
# check and outbox relay would change the tasks and take the events the tests look at.
test: install services-up
	bash deploy/app.sh down
	$(PY) -m pytest -q tests

test-integration: install services-up
	bash deploy/app.sh down
	$(PY) -m pytest -q tests/integration tests/e2e

test-unit: install
	$(PY) -m pytest -q tests/unit

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m contracts.schemas --check

schemas: install
	$(PY) -m contracts.schemas

bench: install services-up
	$(PY) -m bench

# Everything the running system keeps: Kafka's topics (the dead letters too), the graph, and
# the install's token and pseudonym keys. `bash deploy/services.sh reset` keeps the keys.
clean: stop
	rm -rf .run
