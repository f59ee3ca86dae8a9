# mujaz — set up, run and test from a fresh clone.
#   make install      .venv/ with mujaz and everything it needs
#   make run          install, then brief the sample article
#   make test         install, build the tiny test models, run every test
#   make test-oldest  the model tests again on the oldest transformers pyproject.toml allows
#   make eval         quality figures on ../shared/eval; make peers: peer tools side by side
#   make bench        speed of every engine on full-size models (make bench-batch: batch mode)
#   make fuzz         fuzz the loader
#
# torch: TORCH_SPEC picks the build. The default pins the CPU wheel this project's
# machines carry; elsewhere pass a CPU index, e.g.
#   make install TORCH_INDEX=https://download.pytorch.org/whl/cpu TORCH_SPEC=torch
# A TORCH_SPEC or TORCH_INDEX given other than the last install's installs that torch in place of it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TORCH_SPEC ?= torch==2.13.0
TORCH_INDEX ?=
TINY := build/tiny-models
TORCH_WANTED := $(VENV)/.torch-wanted
SAMPLE := samples/lavrov-wang-yi-multipolar.ar.txt

.PHONY: install run test test-oldest tiny-models eval peers bench bench-batch fuzz clean FORCE

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml $(TORCH_WANTED)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	@# pip keeps an installed torch that meets the spec ("torch" is met by the CUDA build): another
	@# torch asked for replaces it
	$(if $(filter $(TORCH_WANTED),$?),$(PY) -m pip uninstall -q -y torch 2>/dev/null || true)
	$(PY) -m pip install -q $$(cat $(TORCH_WANTED))
	$(PY) -m pip install -q -e '.[test,eval]'
	touch $@

# The torch asked for, as pip's arguments: what every install takes (a later plain `make run`, or
# one after pyproject.toml changed, keeps the CPU torch asked for, rather than take the default).
# Rewritten only when a torch is asked for (on the command line or in the environment) and differs,
# so that it installs again (with pyproject.toml alone as the install's prerequisite, `make install
# TORCH_INDEX=...` did nothing).
TORCH_ASKED := $(filter command line environment,$(origin TORCH_SPEC) $(origin TORCH_INDEX))
TORCH_ARGS := $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX)) $(TORCH_SPEC)
$(TORCH_WANTED): FORCE
	@mkdir -p $(@D)
	@$(if $(TORCH_ASKED),echo '$(TORCH_ARGS)' | cmp -s - $@ ||,test -f $@ ||) echo '$(TORCH_ARGS)' > $@

FORCE:

tiny-models: install
	$(PY) tests/tiny_models.py $(TINY)

run: install
	$(VENV)/bin/mujaz brief $(SAMPLE); status=$$?; \
	if [ $$status -ne 0 ]; then echo "make run: mujaz exited $$status (see the message above; 3 = a model could not be had)" >&2; fi; \
	exit $$status

test: install tiny-models
	$(PY) -m pytest -q

# The tests that load and run models through transformers, on the oldest transformers that
# pyproject.toml allows ("transformers>=5.0"), in a venv of its own: `make test` takes the newest,
# and a release between can break what the newest mends (5.17's beam search read the scores' width
# from config.vocab_size, and every translation failed on it; see tests/test_ct2.py).
OLDEST_TRANSFORMERS := transformers==5.0.0
OLDEST_VENV := .venv-oldest
$(OLDEST_VENV)/.installed: pyproject.toml $(TORCH_WANTED)
	$(PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_VENV)/bin/python -m pip install -q --upgrade pip
	$(OLDEST_VENV)/bin/python -m pip install -q $$(cat $(TORCH_WANTED))
	$(OLDEST_VENV)/bin/python -m pip install -q -e '.[eval]' 'pytest>=8' 'hypothesis>=6' '$(OLDEST_TRANSFORMERS)'
	touch $@

test-oldest: $(OLDEST_VENV)/.installed tiny-models
	$(OLDEST_VENV)/bin/python -c 'import transformers; print("transformers", transformers.__version__)'
	$(OLDEST_VENV)/bin/python -m pytest -q tests/test_ct2.py tests/test_models.py

# Quality on the real data in ../shared/eval (see README: Evaluation).
EVAL_DATA ?= ../shared/eval
eval: install
	$(VENV)/bin/mujaz eval segmentation $(EVAL_DATA)/ntrex128
	$(VENV)/bin/mujaz eval summaries $(EVAL_DATA)/easc --method extractive
	$(VENV)/bin/mujaz eval headlines $(EVAL_DATA)/argen/train.tsv
	$(PY) bench/wrapped_headlines.py $(EVAL_DATA)/argen/train.tsv

# The same data through peer tools, side by side with mujaz.
peers: install
	$(PY) -m pip install -q -r bench/requirements-peers.txt
	$(PY) bench/segmentation_peers.py $(EVAL_DATA)/ntrex128
	$(PY) bench/summary_peers.py $(EVAL_DATA)/easc
	$(PY) bench/easc_references.py $(EVAL_DATA)/easc

# Speed: full-size random-weight models, every engine side by side (minutes; see bench/RESULTS.md).
bench: install
	$(PY) bench/fullsize.py
	$(PY) bench/speed.py --out bench/RESULTS.md
	$(PY) bench/summariser_steps.py --out bench/SUMMARISER.md

# Batch throughput (local and Ray runners) and memory on real news (~20 minutes; see bench/BATCH.md),
# and abstractive summaries of a chunk together against one by one (bench/BATCH_SUMMARIES.md).
bench-batch: install
	$(PY) bench/fullsize.py
	$(PY) bench/batch_throughput.py --out bench/BATCH.md
	$(PY) bench/batch_summaries.py --out bench/BATCH_SUMMARIES.md

# Coverage-guided fuzzing of the loader and segmenter (not part of `make test`).
FUZZ_SECONDS ?= 120
fuzz: install
	$(PY) -m pip install -q -e '.[fuzz]'
	mkdir -p build/fuzz-corpus && cp samples/*.txt build/fuzz-corpus/
	$(PY) fuzz/fuzz_loader.py -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 build/fuzz-corpus

clean:
	rm -rf $(VENV) $(OLDEST_VENV) build
