# Two commands matter: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo
DEMO_N ?= 3
DEMO_SEED ?= 7

.PHONY: demo test test-fast test-cluster bench accuracy samples lock clean serve

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/bundlecheck samples --out $(DEMO_DIR)/bundles --n $(DEMO_N) --seed $(DEMO_SEED)
	$(BIN)/bundlecheck run $(DEMO_DIR)/bundles --out $(DEMO_DIR)/out
	@echo
	@echo "样例证据包 (sample bundles):   $(DEMO_DIR)/bundles/   (ground truth in $(DEMO_DIR)/bundles/_truth/)"
	@echo "流水线输出 (pipeline outputs): $(DEMO_DIR)/out/<bundle_id>/findings.json, $(DEMO_DIR)/out/summary.json"
	WORKBENCH_DB=$(abspath $(DEMO_DIR))/workbench.sqlite3 $(BIN)/python -m workbench migrate -v0
	WORKBENCH_DB=$(abspath $(DEMO_DIR))/workbench.sqlite3 $(BIN)/python -m workbench demo_setup $(DEMO_DIR)/out
	@echo "审核工作台 (workbench): make serve → http://127.0.0.1:8000/accounts/login/  (center, leader, expert1..3 / bundlecheck-demo)"

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

# Only the cluster test (PostgreSQL + Prefect server + two workers, one killed; ~5 min; also in make test).
test-cluster: $(STAMP)
	$(BIN)/python -m pytest -q -s -m cluster

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not ocr and not flows and not cluster"

# The review workbench on the demo database (make demo first).
serve: $(STAMP)
	WORKBENCH_DB=$(abspath $(DEMO_DIR))/workbench.sqlite3 $(BIN)/python -m workbench migrate -v0
	WORKBENCH_DB=$(abspath $(DEMO_DIR))/workbench.sqlite3 WORKBENCH_DEBUG=0 $(BIN)/python -m workbench runserver --insecure 127.0.0.1:8000

samples: $(STAMP)
	$(BIN)/bundlecheck samples --out $(DEMO_DIR)/bundles --n $(DEMO_N) --seed $(DEMO_SEED)

bench: $(STAMP)
	$(BIN)/python scripts/bench_ocrmypdf.py --engines rapidocr-openvino,rapidocr

accuracy: $(STAMP)
	$(BIN)/python scripts/accuracy.py

# Re-pin after a deliberate upgrade: install ranges fresh, run the tests, then freeze.
lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

clean:
	rm -rf $(DEMO_DIR) bench_out .pytest_cache
