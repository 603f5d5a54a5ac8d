# xinzhou-fiscal: every step of the pipeline, from raw reports to reports/.
# `make help` lists the targets. Everything runs inside the project's own virtualenv (.venv).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
JOBS   ?= 2

.DEFAULT_GOAL := help
.PHONY: help install run parse audit notebooks test test-fast benchmark lock clean

help: ## List the targets with what they do
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

# constraints.txt pins the packages that decide the parsed values and the notebooks' outputs to
# the versions the committed notebooks were executed with, so nbval compares like with like on
# any machine. Only these (PINNED): pinning every transitive package breaks on Python 3.11.0–3.11.4,
# which some of their newest releases no longer support. Refresh with `make lock`.
PINNED := pandas|numpy|matplotlib|seaborn|pdfplumber|pdfminer\.six|pypdfium2|pandera|pyarrow|mplfonts|papermill|nbconvert|nbformat|nbclient|nbval|ipykernel|ipython|jupyter_client|pytest|dask|distributed|typer|rich|pillow|fonttools|contourpy|kiwisolver

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' -c constraints.txt
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the package with its test tools (and LibreOffice for .doc, where it can)
	@# LibreOffice converts Word 97 (.doc) reports: installed from the distribution's packages when it is
	@# missing and we are root with apt-get; never fails the install (a .doc then says how to install it)
	@command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing LibreOffice Writer (headless) to read Word 97 .doc reports"; \
	    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui \
	      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	           libreoffice-writer-nogui; }; } >/dev/null 2>&1 \
	      || echo "could not install LibreOffice: Word 97 .doc reports will not read (see README)"; \
	  else echo "note: LibreOffice is not installed; Word 97 .doc reports will not read (see README)"; fi; }
	@# bytecode for the package's own modules and for the libraries a notebook kernel imports (pandas,
	@# pyarrow, matplotlib, IPython): compiled once here, so that no kernel compiles them from source
	@# (about 1.3 s per kernel) where the install left none, e.g. under PYTHONDONTWRITEBYTECODE or
	@# pip --no-compile; files that have not changed are skipped
	@$(BIN)/python -m compileall -q -j 0 xinzhou_fiscal "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
	@# the package's compiled regular expressions and parsed template files (xinzhou_fiscal/pycache.py),
	@# kept beside its bytecode as an install keeps bytecode: written by reading and auditing the bundled
	@# reports once (never needed: a process without them compiles and parses afresh)
	@XF_PYCACHE="$(CURDIR)/xinzhou_fiscal/__pycache__" $(BIN)/python -W ignore -c 'import glob; import xinzhou_fiscal as xf; from xinzhou_fiscal import checks; [checks.findings_records(xf.read_report(p)) for p in sorted(glob.glob("data/raw/*"))]' \
	  || echo "note: the compiled patterns were not stored (each process compiles them)"

run: parse ## Main job: tidy datasets of every catalogued report to data/processed/, then all notebooks (analysis + audit) to reports/
	$(BIN)/xinzhou-fiscal run --jobs $(JOBS)

parse: install ## Write tidy CSV + Parquet for every catalogued report to data/processed/
	$(BIN)/xinzhou-fiscal parse --all --out data/processed

audit: install ## Print the audit findings of every catalogued report
	$(BIN)/xinzhou-fiscal audit --all --no-fail

notebooks: install ## Re-execute the committed notebooks in place (after a library change; nbval compares against them)
	$(BIN)/python -m xinzhou_fiscal.batch --refresh

test: install ## Run every test, the committed notebooks under nbval included
	$(BIN)/python -m pytest tests notebooks --nbval --nbval-current-env \
	  --nbval-sanitize-with notebooks/sanitize.cfg -p no:cacheprovider

test-fast: install ## Run the library tests only (no notebooks)
	$(BIN)/python -m pytest tests -p no:cacheprovider

benchmark: install ## Print the medians measured by the scripts in benchmarks/
	@for f in benchmarks/bench_*.py; do $(BIN)/python $$f; done

lock: install ## Re-pin constraints.txt to what .venv has (then re-run `make notebooks` and commit both)
	$(BIN)/python -m pip freeze --exclude-editable | grep -iE '^($(PINNED))==' > constraints.txt

clean: ## Remove generated outputs (reports/, data/processed/, the parsed-report cache data/interim/)
	rm -rf reports data/processed data/interim
