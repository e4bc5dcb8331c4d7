# fuzz.mk - libFuzzer harnesses for fgsim's input parsers (included by the Makefile;
# tests/fuzz/README.md says what each harness covers and how to add one).
#   make fuzz                   run every harness for FUZZ_SECONDS each, report executions
#   make fuzz FUZZ_SECONDS=600 FUZZ_HARNESSES=scenario
#   make fuzz-build             only build them (tests/cli/test_fuzz_smoke.sh does this)
# The harnesses and the library under them are built with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer into FUZZ_BUILD; new corpus entries and crash inputs land
# there too, never in the committed seed corpus tests/fuzz/corpus/.

# ---- settings ---------------------------------------------------------------------
FUZZ_CC        ?= clang
FUZZ_SECONDS   ?= 60
FUZZ_BUILD     ?= build-fuzz
FUZZ_CFLAGS    ?= -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
# clang, and the libFuzzer runtime that Debian ships apart from it.
FUZZ_DEB_PKGS   = clang libclang-rt-dev
FUZZ_HARNESSES ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
# ---- end of settings --------------------------------------------------------------

# The library and, apart, the command line without main (fuzz_argv.c includes main.c):
# archives, so each harness links only what it reaches.
FUZZ_OBJ  = $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(wildcard sim/*.c) $(foreach l,$(filter-out cli,$(LAYERS)),$(wildcard models/$(l)/*.c)))
FUZZ_CLI_OBJ = $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(filter-out models/cli/main.c,$(wildcard models/cli/*.c)))
FUZZ_LIB  = $(FUZZ_BUILD)/libfgsim.a
FUZZ_CLI_LIB = $(FUZZ_BUILD)/libfgsim-cli.a
FUZZ_BINS = $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(FUZZ_HARNESSES))

.PHONY: fuzz fuzz-build fuzz-deps

# `make test` runs a smoke pass of every harness, so it needs the fuzzing toolchain
# too; when it cannot be installed, the smoke test says so and skips.
test: fuzz-deps

# Like `deps`: installs only what is missing, with apt-get, as root (or with sudo).
fuzz-deps:
	@missing=""; for p in $(FUZZ_DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make fuzz-deps: installing$$missing"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; } || \
	    echo "make fuzz-deps: could not install$$missing; the fuzz harnesses cannot be built" >&2; \
	fi

fuzz-build: $(FUZZ_BINS)

$(FUZZ_BUILD)/%.o: %.c | deps fuzz-deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(call layer_inc,$<) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_LIB): $(FUZZ_OBJ)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_CLI_LIB): $(FUZZ_CLI_OBJ)
	rm -f $@
	ar rcs $@ $^

# Link flags of one harness, FUZZ_LDFLAGS_<name>: the command-line harness wraps
# experiment_run to bound the simulated work per input (fuzz_argv.c).
FUZZ_LDFLAGS_argv = -Wl,--wrap=experiment_run

# Harnesses, like tests, see every layer's headers.
$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/fuzz/scenario_check.h $(FUZZ_LIB) $(FUZZ_CLI_LIB)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(INC_cli) -Itests/fuzz $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_CLI_LIB) $(FUZZ_LIB) $(LDLIBS) $(FUZZ_LDFLAGS_$*)

fuzz: fuzz-build
	@FUZZ_BUILD=$(FUZZ_BUILD) tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)

clean: fuzz-clean
.PHONY: fuzz-clean
fuzz-clean:
	rm -rf $(FUZZ_BUILD)
