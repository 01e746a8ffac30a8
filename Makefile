# probe - build, test, demo. `make help` lists the targets.
#
# Two commands set up everything on a fresh Debian 12 machine as root:
#   make demo    builds probe and runs it on an example net
#   make test    unit tests, corpus and CLI tests, also under ASan+UBSan,
#                and the browser page (make web) in headless Chromium
# Both first install the Debian packages they need (tools/deps.sh); only
# make test needs emscripten, chromium, chromium-driver and curl.

CC      ?= cc
PKG     ?= pkg-config
CSTD    := -std=c11
WARN    := -Wall -Wextra -Werror
OPT     ?= -O2 -g
FFI_CFLAGS := $(shell $(PKG) --cflags libffi 2>/dev/null)
FFI_LIBS   := $(shell $(PKG) --libs libffi 2>/dev/null || echo -lffi)
CMOCKA_LIBS := $(shell $(PKG) --libs cmocka 2>/dev/null || echo -lcmocka)

B       ?= build
SAN     ?=
# NO_FFI=1: the shape functions are called through the direct calls
# generated from their schemas, not libffi, and plugins are not offered --
# what the WebAssembly build does (web/web.mk); natively, `make noffi-test`
# runs the corpus that way.
NO_FFI  ?=
ifeq ($(NO_FFI),)
CALL_FLAGS := $(FFI_CFLAGS)
CALL_LIBS  := $(FFI_LIBS) -ldl
else
CALL_FLAGS := -DPROBE_NO_FFI
CALL_LIBS  :=
endif
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) $(SAN) -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc -I$(B)/gen $(CALL_FLAGS) $(CFLAGS)
LDLIBS_ALL = $(CALL_LIBS) -lm

# The library, one folder a stage (README: How it is built). The command
# line (src/cli/) is not part of it.
LIB_DIRS := base cfg py reg ops model run report
LIB_SRC := $(foreach d,$(LIB_DIRS),$(sort $(wildcard src/$(d)/*.c)))
LIB_HDR := $(wildcard src/*/*.h) src/ops/ops.def
LIB_OBJ := $(LIB_SRC:src/%.c=$(B)/obj/%.o)
GEN     := $(B)/gen/ops_proto.h

.PHONY: all demo test check unit corpus cli deps clean help asan-test plugins install uninstall bench coverage svg-render

all: $(B)/probe

help:
	@echo "make          build $(B)/probe and $(B)/libprobe.a"
	@echo "make demo     install missing packages, build, probe an example net"
	@echo "make test     install missing packages, run every test (plain and ASan+UBSan)"
	@echo "make check    the tests once, in this build only"
	@echo "make svg-render  every example's --svg picture in headless Chromium (CHROMIUM=path)"
	@echo "make fuzz     libFuzzer targets under ASan+UBSan (clang), FUZZ_SECONDS each"
	@echo "make bench    benchmarks; make coverage  line coverage of src/"
	@echo "make web      $(B)/web/: probe in the browser (WebAssembly); make web-test  its test in Chromium"

deps:
	@sh tools/deps.sh

$(B)/obj $(B)/gen $(B)/tests:
	@mkdir -p $@

# The shape functions' prototypes are generated from their schemas.
GENPROTO_SRC := src/reg/schema.c src/cfg/parse.c src/cfg/lex.c src/base/util.c src/base/hash.c src/base/diag.c src/base/intern.c
# Generators run on the build machine: HOSTCC, even when CC makes WebAssembly.
HOSTCC  ?= cc
$(B)/genproto: tools/genproto.c $(GENPROTO_SRC) $(LIB_HDR) | $(B)/gen
	$(HOSTCC) $(CSTD) $(WARN) -O1 -DPROBE_NO_FFI -Iinclude -Isrc -o $@ tools/genproto.c $(GENPROTO_SRC) -lm

$(GEN): $(B)/genproto
	$(B)/genproto > $@.tmp && mv $@.tmp $@

# ... and so are the direct calls a build without libffi makes (direct.c).
$(B)/gen/ops_thunks.h: $(B)/genproto
	$(B)/genproto thunks > $@.tmp && mv $@.tmp $@

$(B)/obj/reg/direct.o: $(B)/gen/ops_thunks.h

# torchvision's models and blocks, written in the Python probe runs, are
# compiled into the library as one string: nothing is read at run time.
ZOO_PY := $(sort $(wildcard src/py/zoo/*.py))
$(B)/embed: tools/embed.c | $(B)/gen
	$(HOSTCC) $(CSTD) $(WARN) -O1 -o $@ tools/embed.c

$(B)/gen/zoo_src.h: $(B)/embed $(ZOO_PY)
	$(B)/embed $(ZOO_PY) > $@.tmp && mv $@.tmp $@

$(B)/obj/py/py_zoo.o: $(B)/gen/zoo_src.h

# -fvisibility=hidden: libprobe.so exports only what include/ marks PROBE_API
$(B)/obj/%.o: src/%.c $(GEN) $(LIB_HDR) include/probe.h include/probe_plugin.h | $(B)/obj
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -fPIC -fvisibility=hidden -c -o $@ $<

$(B)/libprobe.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

# The command line: main() alone in cli_entry.c, the rest also linked into
# the command-line fuzzer and its replay (tests/fuzz/fuzz_cli.c).
CLI_SRC := $(filter-out src/cli/cli_entry.c,$(sort $(wildcard src/cli/*.c)))
CLI_OBJ := $(B)/obj/cli/cli_entry.o $(CLI_SRC:src/%.c=$(B)/obj/%.o)

$(B)/probe: $(CLI_OBJ) $(B)/libprobe.a
	$(CC) $(CFLAGS_ALL) -rdynamic -o $@ $^ $(LDLIBS_ALL) $(LDFLAGS)

demo: deps
	@$(MAKE) --no-print-directory all
	@echo '$$ $(B)/probe --net probes/forum_block3.cfg --hw 8x8'
	@$(B)/probe --net probes/forum_block3.cfg --hw 8x8
	@echo
	@echo '$$ $(B)/probe --net probes/forum_block3.cfg --hw 32x32'
	@$(B)/probe --net probes/forum_block3.cfg --hw 32x32 || true

clean:
	rm -rf build build-asan build-noffi

include tests/tests.mk
include tests/hostile/hostile.mk
include tests/fuzz/fuzz.mk
include src/web/web.mk

# The example plugin (probes/plugins) and the test plugins (tests/plugins).
PLUGIN_CFLAGS = $(CSTD) $(WARN) -O2 -g $(SAN) -fPIC -shared -Iinclude
$(B)/plugins:
	@mkdir -p $@
$(B)/plugins/lib%.so: probes/plugins/%.c include/probe_plugin.h | $(B)/plugins
	$(CC) $(PLUGIN_CFLAGS) -o $@ $<
$(B)/plugins/test_%.so: tests/plugins/%.c include/probe_plugin.h | $(B)/plugins
	$(CC) $(PLUGIN_CFLAGS) -o $@ $<
plugins: $(B)/plugins/libmylayers.so

# ---- the shared library and installation -------------------------------
VERSION := 0.1.0
SONAME  := libprobe.so.0
PREFIX  ?= /usr/local
LIBDIR  ?= $(PREFIX)/lib
DESTDIR ?=

$(B)/libprobe.so.$(VERSION): $(LIB_OBJ)
	$(CC) $(CFLAGS_ALL) -shared -Wl,-soname,$(SONAME) -o $@ $^ $(LDLIBS_ALL)

$(B)/probe.pc: probe.pc.in Makefile
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

install: $(B)/probe $(B)/libprobe.a $(B)/libprobe.so.$(VERSION) $(B)/probe.pc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(B)/probe $(DESTDIR)$(PREFIX)/bin/probe
	install -m 644 $(B)/libprobe.a $(DESTDIR)$(LIBDIR)/libprobe.a
	install -m 755 $(B)/libprobe.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libprobe.so.$(VERSION)
	ln -sf libprobe.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libprobe.so
	install -m 644 include/probe.h include/probe_plugin.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(B)/probe.pc $(DESTDIR)$(LIBDIR)/pkgconfig/probe.pc
	install -m 644 man/probe.1 $(DESTDIR)$(PREFIX)/share/man/man1/probe.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/probe $(DESTDIR)$(LIBDIR)/libprobe.a \
	      $(DESTDIR)$(LIBDIR)/libprobe.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libprobe.so \
	      $(DESTDIR)$(PREFIX)/include/probe.h $(DESTDIR)$(PREFIX)/include/probe_plugin.h \
	      $(DESTDIR)$(LIBDIR)/pkgconfig/probe.pc $(DESTDIR)$(PREFIX)/share/man/man1/probe.1

# ---- benchmarks: a script anyone can run, never a timed test -----------
$(B)/measure: tools/measure.c
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $<

bench: $(B)/probe $(B)/measure
	@sh tools/bench.sh $(B)

# ---- coverage: line coverage of src/ by the whole test suite -----------
# gcovr (Debian's gcovr package) reads the gcov data of a --coverage build.
coverage:
	@command -v gcovr >/dev/null 2>&1 || { [ "$$(id -u)" -eq 0 ] && apt-get install -y -qq gcovr >/dev/null; }
	@rm -rf build-cov
	@$(MAKE) --no-print-directory B=build-cov OPT="-O0 -g --coverage" LDFLAGS=--coverage check >/dev/null
	@gcovr --root . --filter 'src/' --object-directory build-cov/obj --print-summary \
	    --txt build-cov/coverage.txt --fail-under-line $(COVERAGE_MIN) | tail -3
	@echo "per file: build-cov/coverage.txt"
COVERAGE_MIN ?= 90
