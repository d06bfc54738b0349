# One command each: `make run` (install what is missing, build, run the flagship
# lesson), `make test` (the test suite), `make bench` (release build, throughput).

SWIFT        ?= swift
APT_PACKAGES := libopenblas-dev libcmark-gfm-dev libcmark-gfm-extensions-dev
PY_MODULES   := numpy safetensors
NOTEBOOK     ?= Notebooks/ptb-lstm.md
EPOCHS       ?=
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build run test bench release clean

all: build

# Debian packages and the Python modules the tests compare against, installed
# only when missing (apt-get update first: a fresh machine has no package lists).
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@for m in $(PY_MODULES); do \
	  python3 -c "import $$m" 2>/dev/null || { echo "Installing Python module $$m"; python3 -m pip install -q $$m; }; \
	done

build: deps
	$(SWIFT) build --product lesson

# The flagship lesson into Output/ptb-lstm.html: the tutorial re-taught, with its
# full training run (15 epochs, about half an hour on 2 cores).
# `make run EPOCHS=1` for a short demonstration; NOTEBOOK=Notebooks/quickstart.md
# for the quick lesson.
run: build
	$$($(SWIFT) build --show-bin-path)/lesson run $(NOTEBOOK) $(if $(EPOCHS),--param epochs=$(EPOCHS))

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

release: deps
	$(SWIFT) build -c release --product lesson

bench: release
	$$($(SWIFT) build -c release --show-bin-path)/lesson bench

clean:
	rm -rf .build
