# Two commands for a newcomer: `make demo` and `make test`. Everything else is optional.
VENV   ?= .venv
PY     := $(VENV)/bin/python
TK     := $(VENV)/bin/toolkit
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: venv demo test lint bench clean-venv

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check --upgrade pip
	@# The CPU build of torch first: argostranslate depends on torch, and an unpinned
	@# torch would pull a 5 GB CUDA build.
	$(VENV)/bin/pip install -q --disable-pip-version-check torch==2.13.0
	$(VENV)/bin/pip install -q --disable-pip-version-check -e '.[test,ray]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

venv: $(STAMP)

# Install the de->en and nl->en models when the Argos index is reachable (offline: one line
# saying how to install from a file), build the shipped corpus, then say where the English is
# and what to run next (toolkit/demo.py; README shows what a fresh clone prints).
demo: $(STAMP)
	@$(PY) -m toolkit.demo

lint: $(STAMP)
	$(VENV)/bin/ruff check toolkit tests benchmarks

test: $(STAMP) lint
	$(VENV)/bin/pytest -q

# Every figure of BENCHMARKS.md, with the command its section names (about 25 minutes on two
# cores; the machine should be otherwise idle). Benchmarks whose data is not shipped say how to
# get it and are skipped. Timings: only ratios from one run mean anything on a shared machine.
bench: $(STAMP)
	$(PY) benchmarks/startup.py --against 3e22e97   # the no-op also by the toolkit before session 8
	$(PY) benchmarks/speed.py prepare --passes 3 --workers 2
	$(PY) benchmarks/prepare_ab.py --against 59937a9 --passes 3 --repeat 1   # session 8's before/after
	$(PY) benchmarks/translation.py --articles 20 --grid quick --repeat 1   # also .benchmarks/translation.md
	$(PY) benchmarks/speed.py incremental
	$(PY) benchmarks/speed.py ray
	$(PY) benchmarks/review_staleness.py --articles 154 --rounds 5
	$(PY) benchmarks/segmentation.py
	$(PY) benchmarks/pairs_quoting.py
	$(PY) benchmarks/qa_pud.py
	$(PY) benchmarks/repair.py
	$(PY) benchmarks/pathological.py
	for part in tune test; do $(PY) benchmarks/mojibake_rule.py --part $$part --against eb8372f; done
	for part in tune held-out; do $(PY) benchmarks/boilerplate.py --part $$part --against 39759c3 --show 0; done
	@if [ -d benchmarks/data/langid ]; then $(PY) benchmarks/langid.py --rule --held-out benchmarks/data/langid --against f5ec09e; \
	else $(PY) benchmarks/langid.py --rule --against f5ec09e; fi
	@if [ -d benchmarks/data/langid ]; then $(PY) benchmarks/langid.py --held-out benchmarks/data/langid; \
	else $(PY) benchmarks/langid.py; echo "held-out rows skipped: UD test sentences missing (BENCHMARKS.md, 'Language identification')"; fi
	@if [ -d benchmarks/data/encodings ]; then $(PY) benchmarks/legacy_encodings.py --baseline --margin 1.5 --against 8f5e698; \
	for part in tune held-out; do $(PY) benchmarks/legacy_encodings.py --part $$part \
	--candidates iso8859_2=1.0,cp1257=1.0 --candidates iso8859_2=1.0,cp1257=1.0,cp852=2.0; done; \
	else echo "skipped: benchmarks/legacy_encodings.py (UD sentences: see BENCHMARKS.md, 'Legacy encodings')"; fi
	@if [ -d benchmarks/data/heldout ]; then $(PY) benchmarks/legacy_encodings.py --data benchmarks/data/heldout; \
	else echo "skipped: legacy encodings on held-out treebanks (see BENCHMARKS.md, 'Legacy encodings')"; fi

clean-venv:
	rm -rf $(VENV)
