# tests/tests.mk - unit tests (cmocka), the corpus and the CLI tests.

# tests/unit/ mirrors src/: a folder a stage, test_*.c in each; fixtures.h
# at the top is shared by all.
UNIT_SRC   := $(sort $(wildcard tests/unit/*/test_*.c))
UNIT_BINS  := $(patsubst %.c,$(B)/tests/%,$(notdir $(UNIT_SRC)))
UNIT_HDR   := $(wildcard tests/unit/*.h tests/unit/*/*.h)
CFLAGS_ALL += -Itests/unit
vpath test_%.c $(sort $(dir $(UNIT_SRC)))

$(B)/tests/test_%: test_%.c $(UNIT_HDR) $(B)/libprobe.a | $(B)/tests
	$(CC) $(CFLAGS_ALL) -Wno-unused-parameter -o $@ $< $(B)/libprobe.a $(CMOCKA_LIBS) $(LDLIBS_ALL)

$(B)/tests/corpus_runner: tests/corpus_runner.c tests/json_mini.c tests/json_mini.h | $(B)/tests
	$(CC) $(CFLAGS_ALL) -o $@ tests/corpus_runner.c tests/json_mini.c -lm

# The plugin test loads the example plugin and the malformed ones.
TEST_PLUGINS := $(patsubst tests/plugins/%.c,$(B)/plugins/test_%.so,$(wildcard tests/plugins/*.c))
$(B)/tests/test_plugin: tests/unit/reg/test_plugin.c $(B)/libprobe.a $(B)/plugins/libmylayers.so $(TEST_PLUGINS) | $(B)/tests
	$(CC) $(CFLAGS_ALL) -DPLUGIN_DIR='"$(B)/plugins"' -o $@ $< $(B)/libprobe.a $(CMOCKA_LIBS) $(LDLIBS_ALL) -rdynamic

# --fix's write is CLI code: its test links the CLI's --fix module.
$(B)/tests/test_cli_fix: tests/unit/cli/test_cli_fix.c src/cli/cli_fix.c src/cli/cli_write.c src/cli/cli_args.c src/cli/cli_read.c src/cli/cli.h $(B)/libprobe.a | $(B)/tests
	$(CC) $(CFLAGS_ALL) -o $@ $< src/cli/cli_fix.c src/cli/cli_write.c src/cli/cli_args.c src/cli/cli_read.c $(B)/libprobe.a $(CMOCKA_LIBS) $(LDLIBS_ALL)

# Reading a net.cfg against the limit: CLI code, linked in.
$(B)/tests/test_cli_read: tests/unit/cli/test_cli_read.c src/cli/cli_read.c src/cli/cli.h $(B)/libprobe.a | $(B)/tests
	$(CC) $(CFLAGS_ALL) -o $@ $< src/cli/cli_read.c $(B)/libprobe.a $(CMOCKA_LIBS) $(LDLIBS_ALL)

unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do $$t || fail=1; done; exit $$fail

corpus: $(B)/probe $(B)/tests/corpus_runner
	@$(B)/tests/corpus_runner $(B)/probe tests/corpus/classic tests/corpus/repr tests/corpus/random tests/corpus/nd tests/corpus/zoo tests/corpus/python

cli: $(B)/probe $(B)/plugins/libmylayers.so
	@sh tests/cli/run.sh $(B)/probe
	@sh tests/fix/run.sh $(B)/probe
	@sh tests/svg/cli.sh $(B)/probe

# Every example net's --svg picture loaded in headless Chromium (an XML
# error is a failure), and screenshots for review in $(B)/svg. A missing
# browser fails the target: make check runs it only when CHROMIUM is
# there, make test always.
CHROMIUM ?= /usr/bin/chromium
svg-render: $(B)/probe $(B)/plugins/libmylayers.so
	@sh tests/svg/render.sh $(B)/probe $(CHROMIUM) $(B)/svg

# make install into a DESTDIR, pkg-config, the README's CI recipes, colour
install-test: $(B)/probe
	@sh tests/install/run.sh $(B)

# The corpus again with the shape functions called through the direct calls
# generated from their schemas instead of libffi, as the WebAssembly build
# calls them (NO_FFI in the Makefile); test_direct compares the two ways op
# by op.
.PHONY: noffi-test deps-web
noffi-test:
	@echo "== the corpus without libffi (direct calls, build-noffi) =="
	@$(MAKE) --no-print-directory B=build-noffi NO_FFI=1 corpus
	@want='probe: error: --plugin: plugins are not available in the browser build'; \
	 got=$$(build-noffi/probe --net probes/lenet5.cfg --plugin build/plugins/libmylayers.so 2>&1); rc=$$?; \
	 if [ $$rc -eq 2 ] && [ "$$got" = "$$want" ]; then echo "--plugin refused without libffi: ok"; \
	 else echo "noffi-test: --plugin: exit $$rc, said: $$got (want exit 2: $$want)"; exit 1; fi

# One build's tests (the install test links a plain program: not under
# sanitizers; the direct calls are checked once, in the plain build).
check: $(B)/probe
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory corpus
	@$(MAKE) --no-print-directory cli
	@$(if $(SAN)$(NO_FFI),,$(MAKE) --no-print-directory noffi-test)
	@$(MAKE) --no-print-directory hostile
	@$(if $(SAN),,$(MAKE) --no-print-directory install-test)
	@$(if $(SAN),,$(if $(wildcard $(CHROMIUM)),$(MAKE) --no-print-directory svg-render,echo "note: no browser at $(CHROMIUM): svg-render not run (make test runs it and fails)"))

asan-test:
	@$(MAKE) --no-print-directory B=build-asan OPT="-O1 -g" SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" check

# Everything: plain, then under AddressSanitizer + UndefinedBehaviorSanitizer,
# then the page in the browser (once: the WebAssembly build is not sanitized).
test: deps-web
	@$(MAKE) --no-print-directory check
	@$(if $(wildcard $(CHROMIUM)),,$(MAKE) --no-print-directory svg-render)
	@echo "== again under ASan+UBSan =="
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(MAKE) --no-print-directory asan-test
	@echo "== the page in headless Chromium =="
	@$(MAKE) --no-print-directory web-test

# make test's packages: make deps's, and emscripten, Chromium, its driver, curl.
deps-web:
	@sh tools/deps.sh web

# The argument parser's test links the CLI's argument module.
$(B)/tests/test_cli_args: tests/unit/cli/test_cli_args.c src/cli/cli_args.c src/cli/cli.h $(B)/libprobe.a | $(B)/tests
	$(CC) $(CFLAGS_ALL) -o $@ $< src/cli/cli_args.c $(B)/libprobe.a $(CMOCKA_LIBS) $(LDLIBS_ALL)

# The formula test reads the formula's JSON back as a program would.
$(B)/tests/test_formula: tests/unit/run/test_formula.c tests/json_mini.c tests/json_mini.h $(UNIT_HDR) $(B)/libprobe.a | $(B)/tests
	$(CC) $(CFLAGS_ALL) -Wno-unused-parameter -Itests -o $@ $< tests/json_mini.c $(B)/libprobe.a $(CMOCKA_LIBS) $(LDLIBS_ALL) -lm
