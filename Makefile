# fgsim - discrete-event simulator of a cloud GPU rental platform.
# `make` builds bin/fgsim (and bin/fgcal where nvcc exists); `make test` runs every
# test; `make bench` times the engine against the reference loop and SimPy;
# `make demo` runs the bundled promotion scenario.

# ---- settings: change these -------------------------------------------------------
CC      ?= gcc
OPT     ?= -O2
# Link-time optimisation lets the event loop inline the calendar, cluster and statistics
# calls across files: about 20% more jobs/s on the M/M/c benchmark (README, Speed).
CFLAGS  ?= $(OPT) -g -flto=auto
AR       = gcc-ar
WARN     = -Wall -Wextra -Wshadow -Wmissing-prototypes -Wno-unused-parameter
# HAVE_INLINE lets GSL inline gsl_rng_uniform and friends on the hot path.
CPPFLAGS = -std=c11 -D_GNU_SOURCE -DHAVE_INLINE -DGSL_RANGE_CHECK_OFF -MMD -MP
# -ljansson: run.json is read and written through jansson (models/report/runjson.c).
# -ldl: dlopen for policy and placement plugins (in libc itself from glibc 2.34; the
# flag keeps older systems working). No -rdynamic: plugins call back through a table.
LDLIBS   = -ljansson -lconfig -lgsl -lgslcblas -lm -lpthread -ldl
DEB_PKGS = libgsl-dev libconfig-dev libjansson-dev gnuplot-nox python3-simpy valgrind
# zlib1g-dev: the calibration harness (bin/fgcal, bin/fgcal-derive, test_fgcal; not fgsim)
# reads and writes the raw samples files kernels/measurements/*.samples.csv.gz.
DEB_PKGS += zlib1g-dev
BUILD   ?= build
BIN     ?= bin
# MPI=1 also builds bin/fgsim-mpi with OpenMPI's mpicc (and `make deps` installs it).
MPI     ?= 0
MPICC   ?= mpicc
# `make install PREFIX=/usr/local` (and DESTDIR=..., for packagers, before PREFIX).
PREFIX  ?= /usr/local
# ---- end of settings --------------------------------------------------------------

# Layers, lowest first: each compiles with its own and the lower layers' include paths
# only, so an include that runs up a layer does not build (README, How it is built;
# tests/cli/test_layers.sh). sim/ is the engine; models/fgsim_plugin.h, the public plugin
# header, is reached from the platform as "../fgsim_plugin.h".
LAYERS         = platform scenario experiment report cli
INC_sim        = -Isim
INC_platform   = $(INC_sim) -Imodels/platform
INC_scenario   = $(INC_platform) -Imodels/scenario
INC_experiment = $(INC_scenario) -Imodels/experiment
INC_report     = $(INC_experiment) -Imodels/report
INC_cli        = $(INC_report) -Imodels/cli
# The -I flags of source file $1: those of the layer it lies in (models/LAYER/...), else sim's.
layer_inc = $(INC_$(if $(filter models/%,$1),$(word 2,$(subst /, ,$1)),sim))

SIM_OBJ   = $(patsubst %.c,$(BUILD)/%.o,$(wildcard sim/*.c))
# The library: engine and every layer but the command line, which links on top of it.
MODEL_OBJ = $(patsubst %.c,$(BUILD)/%.o,$(foreach l,$(filter-out cli,$(LAYERS)),$(wildcard models/$(l)/*.c)))
CLI_OBJ   = $(patsubst %.c,$(BUILD)/%.o,$(filter-out models/cli/main.c,$(wildcard models/cli/*.c)))
LIB       = $(BUILD)/libfgsim.a
TESTS     = $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))
# Policy and placement plugins: the examples next to their source (models/plugins/x.so,
# what the README walks through), the tests' misbehaving ones in the build folder.
PLUGINS      = $(patsubst %.c,%.so,$(wildcard models/plugins/*.c))
TEST_PLUGINS = $(patsubst tests/plugins/%.c,$(BUILD)/tests/plugins/%.so,$(wildcard tests/plugins/*.c))
PLUGIN_FLAGS = -O2 -g -fPIC -shared -std=c11 -Imodels $(WARN)

.PHONY: all deps test bench demo clean sanitize debug plugins tsan tsan-run tsan-deps print-layer-inc install man
all: deps $(BIN)/fgsim $(BUILD)/fgsim.1
ifeq ($(MPI),1)
DEB_PKGS += libopenmpi-dev openmpi-bin
all: $(BIN)/fgsim-mpi
endif

# Installs the Debian packages fgsim needs, only those missing (apt-get, as root).
deps:
	@missing=""; for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null || exit 1; \
	fi

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(call layer_inc,$<) $(CFLAGS) $(WARN) -c $< -o $@

# Built anew: `ar r` keeps the members of objects since moved or deleted.
$(LIB): $(SIM_OBJ) $(MODEL_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

# `make -s print-layer-inc FILE=models/platform/jobs.c`: the preprocessor flags FILE
# compiles with (its layer's -I flags), for tests/cli/test_layers.sh.
print-layer-inc:
	@echo $(filter-out -MMD -MP,$(CPPFLAGS)) $(call layer_inc,$(FILE))

$(BIN)/fgsim: $(BUILD)/models/cli/main.o $(CLI_OBJ) $(LIB)
	@mkdir -p $(BIN)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# bin/fgsim-mpi: main.c renamed fgsim_main under an MPI main that deals tasks over ranks.
$(BUILD)/mpi/main.o: models/cli/main.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(INC_cli) -Dmain=fgsim_main $(CFLAGS) $(WARN) -Wno-missing-prototypes -c $< -o $@

$(BUILD)/mpi/fgsim_mpi.o: models/experiment/mpi/fgsim_mpi.c | deps
	@mkdir -p $(dir $@)
	$(MPICC) $(CPPFLAGS) $(INC_experiment) $(CFLAGS) $(WARN) -c $< -o $@

$(BIN)/fgsim-mpi: $(BUILD)/mpi/fgsim_mpi.o $(BUILD)/mpi/main.o $(CLI_OBJ) $(LIB)
	@mkdir -p $(BIN)
	$(MPICC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# The man page is printed by fgsim itself from the help's one table (models/cli/help.c),
# so it says what `fgsim help` says.
man: $(BUILD)/fgsim.1
$(BUILD)/fgsim.1: $(BIN)/fgsim
	@mkdir -p $(dir $@)
	$(BIN)/fgsim help --man >$@.tmp && mv $@.tmp $@

# fgsim, fgcal where it was built, the man page and the plugin header, under
# $(DESTDIR)$(PREFIX): bin/, share/man/man1/, include/.
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/include
	install -m 755 $(BIN)/fgsim $(DESTDIR)$(PREFIX)/bin/fgsim
	if [ -x $(BIN)/fgcal ]; then install -m 755 $(BIN)/fgcal $(DESTDIR)$(PREFIX)/bin/fgcal; fi
	install -m 644 $(BUILD)/fgsim.1 $(DESTDIR)$(PREFIX)/share/man/man1/fgsim.1
	install -m 644 models/fgsim_plugin.h $(DESTDIR)$(PREFIX)/include/fgsim_plugin.h

plugins: $(PLUGINS)

models/plugins/%.so: models/plugins/%.c models/fgsim_plugin.h
	$(CC) $(PLUGIN_FLAGS) -o $@ $< -lm

$(BUILD)/tests/plugins/%.so: tests/plugins/%.c models/fgsim_plugin.h
	@mkdir -p $(dir $@)
	$(CC) $(PLUGIN_FLAGS) -o $@ $< -lm

# Tests see every layer's headers.
$(BUILD)/tests/%: tests/%.c tests/test.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(INC_cli) -Itests $(CFLAGS) $(WARN) -o $@ $< $(LIB) $(LDLIBS)

# fgsim with kill points (sim/outfile.h): the crash tests kill it at each step of writing
# a results folder. Its outfile.o and outdir.o come first, so the archive's are not used.
KILL_OBJ = $(BUILD)/killpoints/outfile.o $(BUILD)/killpoints/outdir.o
$(BUILD)/killpoints/%.o: sim/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(INC_sim) -DFGSIM_KILL_POINTS $(CFLAGS) $(WARN) -c $< -o $@
$(BUILD)/killpoints/%.o: models/report/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(INC_report) -DFGSIM_KILL_POINTS $(CFLAGS) $(WARN) -c $< -o $@
$(BUILD)/tests/fgsim-killpoints: $(BUILD)/models/cli/main.o $(CLI_OBJ) $(KILL_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

test: all $(TESTS) $(PLUGINS) $(TEST_PLUGINS) $(BUILD)/tests/fgsim-killpoints
	@BUILD=$(BUILD) FGSIM=$(BIN)/fgsim tests/run.sh

bench: all $(PLUGINS)
	@tests/bench/run.sh

demo: all
	bin/fgsim run scenarios/fastgpu-promo.cfg -o results/fastgpu-promo

# Both check builds define FGSIM_DEBUG: FG_ASSERT is live and the platform walks its
# structures (calendar, cluster, counters) every 2^16 events (sim/check.h).
sanitize:
	$(MAKE) BUILD=build-san BIN=build-san/bin CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -DFGSIM_DEBUG" test

debug:
	$(MAKE) BUILD=build-debug BIN=build-debug/bin CFLAGS="-Og -g -DFGSIM_DEBUG" test

# ThreadSanitizer (gcc's, libtsan) on what runs on several threads: tests/cli/test_threads.sh
# (replications, sweeps, plan and plugins at -j 2 and 4 with the progress line drawn,
# SIGINT while workers run) and the unit test that runs an experiment on two threads. Not
# the whole suite: a race needs threads to show, and TSan makes the rest slow for nothing.
# halt_on_error: the first race ends the run with exit 66, which fails the check.
TSAN_OPTIONS_ALL = halt_on_error=1 exitcode=66 second_deadlock_stack=1 history_size=4
tsan: tsan-deps
	$(MAKE) BUILD=build-tsan BIN=build-tsan/bin CFLAGS="-O1 -g -fsanitize=thread" tsan-run

tsan-run: deps $(BIN)/fgsim $(PLUGINS) $(TEST_PLUGINS) $(BUILD)/tests/test_plugins
	@TSAN_OPTIONS="$(TSAN_OPTIONS_ALL)" $(BUILD)/tests/test_plugins >$(BUILD)/test_plugins.log 2>&1 || \
	  { tail -40 $(BUILD)/test_plugins.log; echo "make tsan: test_plugins FAILED"; exit 1; }
	@TSAN_OPTIONS="$(TSAN_OPTIONS_ALL)" BUILD=$(BUILD) FGSIM=$(BIN)/fgsim sh tests/cli/test_threads.sh
	@echo "make tsan: no data race"

# gcc's TSan runtime: libtsan2 (a dependency of gcc 12's libgcc-12-dev, so normally there).
tsan-deps:
	@t=$$(mktemp -d); echo 'int main(void) { return 0; }' >$$t/probe.c; \
	if ! $(CC) -fsanitize=thread $$t/probe.c -o $$t/probe >/dev/null 2>&1; then \
	  echo "make tsan-deps: installing libtsan2"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libtsan2 >/dev/null; } || \
	    { rm -rf $$t; exit 1; }; \
	fi; rm -rf $$t

clean:
	rm -rf build build-san build-tsan bin $(PLUGINS)

# Each of these adds its own targets and prerequisites of `all` / `test`.
-include kernels/kernels.mk
-include tests/fuzz/fuzz.mk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
