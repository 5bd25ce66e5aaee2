# 聚热点 juredian — every set-up step lives here, so a fresh clone needs only Python ≥ 3.11 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
PORT   ?= 8000
EDGE_PORT ?= 6081
# The embedded PostgreSQL takes its locale from the environment at initdb time; Chinese text
# needs a UTF-8 ctype (under `C`, punctuation becomes search terms), so pin it for all we start.
export LANG   := C.UTF-8
export LC_ALL := C.UTF-8
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run edge cluster cluster-stop cluster-status cluster-failover prepare dev test test-faults test-edge test-cluster lint stop editor bench lock clean help

help:
	@echo "make run     serve the site with demo content on http://127.0.0.1:$(PORT)"
	@echo "make test    ruff, checks and the whole test suite on PostgreSQL"
	@echo "make test-faults  the fault drill: private Redis and PostgreSQL stopped under load"
	@echo "make edge    make run with Varnish in front on http://127.0.0.1:$(EDGE_PORT) (needs varnish)"
	@echo "make test-edge    the edge cache's tests through a real Varnish"
	@echo "make cluster the production cluster on loopback (replica, Redis, 2 app nodes, worker, SeaweedFS, Varnish)"
	@echo "make cluster-stop / cluster-status / cluster-failover"
	@echo "make test-cluster the cluster's failure drills"
	@echo "make dev     Django's development server with reload (DEBUG on)"
	@echo "make editor  create an editor (admin) account"
	@echo "make stop    stop the embedded PostgreSQL"
	@echo "make bench   benchmarks"

$(VENV)/.installed: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "juredian needs Python 3.11 or newer; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --requirement requirements.lock
	@touch $@

var:
	@mkdir -p var

prepare: $(VENV)/.installed | var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py seed_reads --if-empty
	$(PY) manage.py reindex --if-needed

run: prepare
	@echo ""
	@echo "  聚热点 juredian is at http://127.0.0.1:$(PORT)/"
	@echo "  Create an editor account with:  make editor   (then sign in at /admin/)"
	@echo "  Stop the embedded database with: make stop"
	@echo ""
	$(BIN)/gunicorn juredian.wsgi --config python:juredian.gunicorn --bind 127.0.0.1:$(PORT)

# The same site with Varnish in front (deploy/varnish/juredian.vcl): readers at EDGE_PORT,
# purged by the site after each change. Debian: apt-get install varnish varnish-modules.
edge: prepare
	EDGE_PURGE_URLS=http://127.0.0.1:$(EDGE_PORT)/ CLIENT_IP_HEADER=HTTP_X_REAL_IP \
	  $(PY) -m juredian.varnish --listen 127.0.0.1:$(EDGE_PORT) --backend 127.0.0.1:$(PORT) -- \
	  $(BIN)/gunicorn juredian.wsgi --config python:juredian.gunicorn --bind 127.0.0.1:$(PORT)

# The production cluster on this machine (juredian/cluster.py; data under var/cluster/).
# Debian: apt-get install varnish varnish-modules redis-server.
cluster: $(VENV)/.installed | var
	$(PY) -m juredian.cluster start

cluster-stop: $(VENV)/.installed
	$(PY) -m juredian.cluster stop

cluster-status: $(VENV)/.installed
	$(PY) -m juredian.cluster status

cluster-failover: $(VENV)/.installed
	$(PY) -m juredian.cluster failover

dev: $(VENV)/.installed | var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py seed_reads --if-empty
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(VENV)/.installed | var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# Drills that start and kill services of their own (private ports, loopback only).
test-faults: $(VENV)/.installed | var
	$(BIN)/pytest -m faults tests/faults

test-edge: $(VENV)/.installed | var
	$(BIN)/pytest -m edge tests/edge

test-cluster: $(VENV)/.installed | var
	$(BIN)/pytest -m cluster tests/cluster

stop: $(VENV)/.installed
	$(PY) -m juredian.embedded_postgres stop

editor: $(VENV)/.installed | var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createsuperuser

bench: $(VENV)/.installed | var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py bench
	$(PY) manage.py bench_search --articles 100000
	$(PY) manage.py bench_search --articles 1000000  # made once (~16 min, resumable), kept

# Regenerate the pinned lock file from pyproject.toml in a scratch environment.
lock:
	rm -rf var/lock-venv && $(PYTHON) -m venv var/lock-venv
	$(PYTHON) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' > var/lock-input.txt
	var/lock-venv/bin/pip install --quiet --disable-pip-version-check --requirement var/lock-input.txt
	var/lock-venv/bin/pip freeze > requirements.lock
	rm -rf var/lock-venv

clean: stop
	rm -rf $(VENV) staticfiles
