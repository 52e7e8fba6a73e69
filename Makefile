# The two commands a newcomer needs: `make demo` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PY := .venv/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev
# The tests of what the caches hold, run a second time with the caches on Redis.
REDIS_TESTS := tests/layers/test_tiles.py tests/layers/test_hotspots.py \
  tests/layers/test_report_count.py tests/layers/test_board.py

.PHONY: demo test setup serve serve-demo db-start db-stop db-reset lint bench messages

demo: setup  ## Install what is missing, start PostGIS, load Móng Cái data, serve on PORT
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py train_category_model --if-missing
	$(PY) manage.py compute_forecasts
	@echo "==> Hiện Trường on http://127.0.0.1:$(PORT)/"
	@# The task worker (video transcoding, SMS) runs beside the server and stops with it.
	bash scripts/worker.sh $(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

serve: setup  ## Production stack (gunicorn, whitenoise, prod settings) on the local PostGIS, PORT
	PORT=$(PORT) bash scripts/serve.sh

test: setup  ## Install what is missing, start PostGIS, run the whole suite (own test database)
	.venv/bin/ruff check . && .venv/bin/ruff format --check . >/dev/null
	.venv/bin/lint-imports --no-cache >/dev/null || .venv/bin/lint-imports --no-cache
	.venv/bin/mypy
	bash scripts/check_js.sh
	$(PY) manage.py makemigrations --check --dry-run >/dev/null
	DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/pytest $(PYTEST_ARGS)
	@# The caches again on a real Redis (HT_CACHE=redis, as several app servers run them).
	bash scripts/redis.sh start
	HT_CACHE=redis DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/pytest -q $(REDIS_TESTS)

setup:
	bash scripts/setup.sh

db-start:
	bash scripts/pg.sh start
db-stop:
	bash scripts/pg.sh stop
db-reset:  ## Wipe the local cluster (var/pgdata) and start an empty one
	bash scripts/pg.sh reset

messages:  ## Refresh locale/*.po from the code (then translate the new entries)
	bash scripts/messages.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-cache
	.venv/bin/mypy
	bash scripts/check_js.sh

bench: setup  ## Run the benchmarks (minutes; prints each figure beside its baseline)
	bash benchmarks/run_all.sh
