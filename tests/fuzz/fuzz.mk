# tests/fuzz/fuzz.mk - libFuzzer targets under ASan+UBSan (clang).
#
#   make fuzz                      build both targets, run each FUZZ_SECONDS
#   make fuzz FUZZ_SECONDS=1800    the half hour a change to the parser gets
#   make fuzz-build                only build $(FUZZ_B)/fuzz_parse, fuzz_probe
#
# fuzz_parse feeds arbitrary bytes to probe_net_parse; fuzz_py to the
# Python parser (pyparse), walking the tree it makes; fuzz_probe reads 4
# option bytes (sizes, flags) and runs the whole probe and every report on
# the rest; fuzz_cli runs cli_main() on an argument vector, one argument a
# line, over files in a scratch directory (--fix included).
# One target alone: make fuzz FUZZ_TARGETS=cli. Seeds are probes/*.cfg, tests/corpus/*/*.cfg and the saved
# crashes (tests/fuzz/seeds.sh); what the fuzzer finds new is kept in
# $(FUZZ_B)/corpus/ for the next run. A crash, leak, timeout (an input that
# takes over FUZZ_TIMEOUT seconds: quadratic behaviour) or an input that
# needs more than 2 GB stops the run and is written to $(FUZZ_B)/artifacts/;
# keep it in tests/fuzz/regressions/ once fixed (make hostile replays them).

FUZZ_CC      ?= clang
FUZZ_B       ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TIMEOUT ?= 2
# a command line may sweep or search up to PROBE_WORK_LIMIT layer calls,
# seconds under ASan: only a hang is a timeout there
FUZZ_CLI_TIMEOUT ?= 60
FUZZ_MAX_LEN ?= 8192
FUZZ_FLAGS   ?=
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS   = $(CSTD) $(WARN) -O1 -g $(FUZZ_SAN) -D_POSIX_C_SOURCE=200809L \
                -Iinclude -Isrc -I$(FUZZ_B)/gen $(FFI_CFLAGS)
FUZZ_OBJ     := $(LIB_SRC:src/%.c=$(FUZZ_B)/fobj/%.o)
FUZZ_TARGETS := parse probe cli py model
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_B)/fuzz_%)

.PHONY: fuzz fuzz-build fuzz-gen fuzz-deps

# The generated prototypes come from the ordinary rule, run for FUZZ_B.
fuzz-gen:
	@$(MAKE) --no-print-directory B=$(FUZZ_B) $(FUZZ_B)/gen/ops_proto.h $(FUZZ_B)/gen/ops_thunks.h $(FUZZ_B)/gen/zoo_src.h

$(FUZZ_B)/fobj:
	@mkdir -p $@

# -fsanitize=fuzzer-no-link: the coverage the fuzzer steers by, no main()
$(FUZZ_B)/fobj/%.o: src/%.c $(LIB_HDR) include/probe.h include/probe_plugin.h | $(FUZZ_B)/fobj fuzz-gen
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

# a model file runs up to the evaluator's step limit in each answer: seconds
# under ASan, so fuzz_model, like fuzz_cli, times out only on a hang
$(FUZZ_B)/fuzz_model: tests/fuzz/fuzz_model.c tests/fuzz/fuzz_probe.c $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LDLIBS_ALL)

$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LDLIBS_ALL)

# the command-line target links the CLI's modules too (not main())
FUZZ_CLI_OBJ := $(CLI_SRC:src/%.c=$(FUZZ_B)/fobj/%.o)
$(FUZZ_B)/fuzz_cli: tests/fuzz/fuzz_cli.c $(FUZZ_OBJ) $(FUZZ_CLI_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_CLI_OBJ) $(FUZZ_OBJ) $(LDLIBS_ALL)

# kept between runs: make removes intermediate files otherwise
.SECONDARY: $(FUZZ_OBJ) $(FUZZ_CLI_OBJ)

fuzz-deps:
	@sh tools/deps.sh fuzz

fuzz-build: fuzz-deps
	@$(MAKE) --no-print-directory $(FUZZ_BINS)

fuzz: fuzz-build
	@rm -rf $(FUZZ_B)/seeds && sh tests/fuzz/seeds.sh $(FUZZ_B)/seeds
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_B)/corpus/$$t $(FUZZ_B)/artifacts/$$t || exit 1; \
	    echo "== fuzz_$$t for $(FUZZ_SECONDS) s =="; \
	    if [ $$t = cli ]; then limit=$(FUZZ_CLI_TIMEOUT) dict=cli.dict; elif [ $$t = py ]; then limit=$(FUZZ_TIMEOUT) dict=py.dict; \
	    elif [ $$t = model ]; then limit=$(FUZZ_CLI_TIMEOUT) dict=py.dict; else limit=$(FUZZ_TIMEOUT) dict=netcfg.dict; fi; \
	    $(FUZZ_B)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=$$limit \
	        -rss_limit_mb=2048 -max_len=$(FUZZ_MAX_LEN) -print_final_stats=1 \
	        -dict=$(FUZZ_B)/seeds/$$dict -artifact_prefix=$(FUZZ_B)/artifacts/$$t/ \
	        $(FUZZ_FLAGS) $(FUZZ_B)/corpus/$$t $(FUZZ_B)/seeds/$$t || exit 1; \
	done
