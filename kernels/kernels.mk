# kernels/kernels.mk - the calibration harness, included by the main Makefile.
# bin/fgcal (CUDA) is built by `make` wherever nvcc is found; bin/fgcal-derive (plain C)
# writes the calibration files of GPUs nobody measured (`make calibration-derived`);
# build/tests/test_fgcal tests the host side (statistics, stopping rule, file writer,
# derived files, no-device exit) and runs with `make test` on any machine.

# ---- settings: change these -------------------------------------------------------
NVCC      ?= $(shell command -v nvcc 2>/dev/null || ls /usr/local/cuda/bin/nvcc 2>/dev/null)
# Hopper (H100, H200). Another GPU: make CUDA_ARCH=-arch=sm_80 (A100) or sm_89 (L4, L40S, 4090).
CUDA_ARCH ?= -arch=sm_90
NVCCFLAGS ?= -O3 -std=c++17 -lineinfo $(CUDA_ARCH)
# cuDNN's headers (for its fused attention): beside nvcc's, else name the folder. Its library
# is opened at run time (FGCAL_CUDNN or libcudnn.so.9 on the library path), not linked, so
# a machine without it still runs every other kernel.
CUDNN_INC ?= $(patsubst %/cudnn.h,%,$(firstword $(wildcard $(dir $(NVCC))../include/cudnn.h)))
# ---- end of settings --------------------------------------------------------------

CUDA_LIB   = $(firstword $(wildcard $(dir $(NVCC))../lib64 $(dir $(NVCC))../lib))
# The calibration library: what the harness needs of the simulator and nothing more -
# reading and writing calibration files and pricing a step from them (the platform's
# calibration.c, service.c, cfgfile.c) and the engine pieces those use. The harness links
# this, never libfgsim.a, so the kernels stay independent of queues, scenarios and reports.
FGCAL_LIB_SRC = models/platform/calibration.c models/platform/calib_load.c models/platform/calib_write.c \
                models/platform/calib_stats.c models/platform/service.c models/platform/cfgfile.c \
                sim/names.c sim/outfile.c sim/signals.c sim/check.c sim/grow.c
FGCAL_HOST    = kernels/fgcal_stats.c kernels/fgcal_plan.c kernels/fgcal_method.c kernels/fgcal_samples.c
# Two builds of each: plain objects nvcc can link (no link-time optimisation), and ones
# with the project's CFLAGS (LTO, sanitizers) for the test and fgcal-derive.
FGCAL_NLIB  = $(BUILD)/kernels/nv/libfgcal.a
FGCAL_TLIB  = $(BUILD)/kernels/cc/libfgcal.a
FGCAL_NOBJ  = $(patsubst %.c,$(BUILD)/kernels/nv/%.o,$(FGCAL_HOST))
FGCAL_TOBJ  = $(patsubst %.c,$(BUILD)/kernels/cc/%.o,$(FGCAL_HOST))
FGCAL_CUOBJ = $(BUILD)/kernels/fgcal.o $(BUILD)/kernels/fgcal_kernels.o $(BUILD)/kernels/fgcal_selftest.o \
              $(BUILD)/kernels/fgcal_cudnn.o $(BUILD)/kernels/fgcal_timing.o $(BUILD)/kernels/fgcal_steps.o
FGCAL_CUDNN = $(if $(strip $(CUDNN_INC)),-I$(CUDNN_INC),-DFGCAL_NO_CUDNN)

$(FGCAL_NLIB): $(patsubst %.c,$(BUILD)/kernels/nv/%.o,$(FGCAL_LIB_SRC))
	rm -f $@
	ar rcs $@ $^
$(FGCAL_TLIB): $(patsubst %.c,$(BUILD)/kernels/cc/%.o,$(FGCAL_LIB_SRC))
	rm -f $@
	$(AR) rcs $@ $^

.PHONY: calibration-derived calibration-check

ifneq ($(strip $(NVCC)),)
all: $(BIN)/fgcal
endif

# The harness sits on the platform layer: it may include the engine's and the platform's
# headers (calibration.h, service.h), nothing above.
$(BUILD)/kernels/nv/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(INC_platform) -Ikernels -O2 -g $(WARN) -c $< -o $@

$(BUILD)/kernels/cc/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(INC_platform) -Ikernels $(CFLAGS) $(WARN) -c $< -o $@

$(BUILD)/kernels/%.o: kernels/%.cu kernels/fgcal_kernels.cuh kernels/fgcal_job.cuh kernels/fgcal_cudnn.cuh kernels/fgcal_timing.cuh \
		kernels/fgcal_plan.h kernels/fgcal_stats.h kernels/fgcal_method.h \
		models/platform/calibration.h models/platform/service.h | deps
	@mkdir -p $(dir $@)
	$(NVCC) $(NVCCFLAGS) $(FGCAL_CUDNN) -Ikernels $(INC_platform) -c $< -o $@

$(BIN)/fgcal: $(FGCAL_CUOBJ) $(FGCAL_NOBJ) $(FGCAL_NLIB)
	@mkdir -p $(BIN)
	$(NVCC) $(CUDA_ARCH) -o $@ $^ -lcublasLt -lcublas -lconfig -lz -lgsl -lgslcblas -lm -ldl \
		$(if $(CUDA_LIB),-Xlinker -rpath=$(abspath $(CUDA_LIB)))

$(BIN)/fgcal-derive: $(BUILD)/kernels/cc/kernels/fgcal_derive.o $(FGCAL_TOBJ) $(FGCAL_TLIB)
	@mkdir -p $(BIN)
	$(CC) $(CFLAGS) -o $@ $^ -lconfig -lz -lgsl -lgslcblas -lm

# The files of GPUs nobody measured, from kernels/datasheets.cfg; measured files are kept.
calibration-derived: $(BIN)/fgcal-derive
	$(BIN)/fgcal-derive models/calibration

calibration-check: $(BIN)/fgcal-derive
	$(BIN)/fgcal-derive --check models/calibration

$(BUILD)/tests/test_fgcal: kernels/test_fgcal.c tests/test.h $(FGCAL_TOBJ) $(FGCAL_TLIB) | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(INC_platform) -Itests -Ikernels $(CFLAGS) $(WARN) -DFGCAL_BIN='"$(BIN)/fgcal"' -o $@ $< $(FGCAL_TOBJ) $(FGCAL_TLIB) \
		-lconfig -lz -lgsl -lgslcblas -lm

# The corrected method's host side (clocks, layers, graphs, budget): its own test.
$(BUILD)/tests/test_fgcal_method: kernels/test_fgcal_method.c tests/test.h $(BUILD)/kernels/cc/kernels/fgcal_method.o | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests -Ikernels $(CFLAGS) $(WARN) -o $@ $< $(BUILD)/kernels/cc/kernels/fgcal_method.o -lm

test: $(BUILD)/tests/test_fgcal $(BUILD)/tests/test_fgcal_method
