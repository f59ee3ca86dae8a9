# mujaz — set up, run and test from a fresh clone.
#   make install      .venv/ with mujaz and everything it needs
#   make run          install, then brief the sample article
#   make test         install, build the tiny test models, run every test
#
# torch: TORCH_SPEC picks the build. The default pins the CPU wheel this project's
# machines carry; elsewhere pass a CPU index, e.g.
#   make install TORCH_INDEX=https://download.pytorch.org/whl/cpu TORCH_SPEC=torch
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TORCH_SPEC ?= torch==2.13.0
TORCH_INDEX ?=
TINY := build/tiny-models
SAMPLE := samples/lavrov-wang-yi-multipolar.ar.txt

.PHONY: install run test tiny-models clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX)) "$(TORCH_SPEC)"
	$(PY) -m pip install -q -e '.[test]'
	touch $@

tiny-models: install
	$(PY) tests/tiny_models.py $(TINY)

run: install
	$(VENV)/bin/mujaz brief $(SAMPLE); status=$$?; \
	if [ $$status -ne 0 ]; then echo "make run: mujaz exited $$status (see the message above; 3 = a model could not be had)" >&2; fi

test: install tiny-models
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) build
