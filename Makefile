# One command each: `make run` (install what is missing, build, run the flagship
# lesson), `make test` (the test suite), `make bench` (release build, throughput).

SWIFT        ?= swift
APT_PACKAGES := libopenblas-dev libdnnl-dev libcmark-gfm-dev libcmark-gfm-extensions-dev zlib1g-dev libjs-codemirror
# libjs-codemirror: the code editor `lesson serve` inlines into the page (a plain text area without it).
# Only the tests need a browser: they drive headless Chromium (Tests/TestSupport).
TEST_APT_PACKAGES := chromium
PY_MODULES   := numpy safetensors
# Only the tests need Jupyter's own reader and converter (they check `lesson export`) and a PDF reader.
TEST_PY_MODULES := nbformat nbconvert pypdf
NOTEBOOK     ?= Notebooks/ptb-lstm.md
EPOCHS       ?=
PRECISION    ?=
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps test-deps build run test bench release fuzz clean

all: build

# Installs the Debian packages named in $(1) that are missing, running apt-get
# update first (a fresh machine has no package lists); does nothing when none are.
define apt_install_missing
	@missing=""; \
	for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef

# Debian packages and the Python modules the tests compare against, installed
# only when missing.
deps:
	$(call apt_install_missing,$(APT_PACKAGES))
	@for m in $(PY_MODULES); do \
	  python3 -c "import $$m" 2>/dev/null || { echo "Installing Python module $$m"; python3 -m pip install -q $$m; }; \
	done

build: deps
	$(SWIFT) build --product lesson

# The flagship lesson into Output/ptb-lstm.html: the tutorial re-taught, with its
# full training run (15 epochs, about 16 minutes on 2 cores; PRECISION=bf16 about 11 on
# CPUs with AVX512_BF16). `make run EPOCHS=1` for a short demonstration;
# NOTEBOOK=Notebooks/quickstart.md for the quick lesson.
run: build
	$$($(SWIFT) build --show-bin-path)/lesson run $(NOTEBOOK) $(if $(EPOCHS),--param epochs=$(EPOCHS)) $(if $(PRECISION),--param precision=$(PRECISION))

# What only the tests need, on top of deps.
test-deps: deps
	$(call apt_install_missing,$(TEST_APT_PACKAGES))
	@for m in $(TEST_PY_MODULES); do \
	  python3 -c "import $$m" 2>/dev/null || { echo "Installing Python module $$m"; python3 -m pip install -q $$m; }; \
	done
	@# axe-core's script, shipped in axe-playwright-python; the tests need the script only, not Playwright.
	@python3 -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('axe_playwright_python') is None)" 2>/dev/null \
	  || { echo "Installing axe-core (axe-playwright-python, without Playwright)"; python3 -m pip install -q --no-deps axe-playwright-python; }

test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

release: deps
	$(SWIFT) build -c release --product lesson

bench: release
	$$($(SWIFT) build -c release --show-bin-path)/lesson bench

# The structure-aware fuzzer, by hand only (not part of `make test` or CI): FUZZ_COUNT
# generated lessons and student answers, release build, findings and summary.json in FUZZ_OUT.
FUZZ_COUNT ?= 100000
FUZZ_SEED  ?= 1
FUZZ_JOBS  ?= 2
FUZZ_OUT   ?= fuzz-out
fuzz: deps
	$(SWIFT) build -c release --product lesson-fuzz
	$$($(SWIFT) build -c release --show-bin-path)/lesson-fuzz --count $(FUZZ_COUNT) --seed $(FUZZ_SEED) \
	  --jobs $(FUZZ_JOBS) --out $(FUZZ_OUT)

clean:
	rm -rf .build
