# tests/hostile/hostile.mk - hostile input (make hostile, from make check).
#
#   make hostile            the saved fuzz crashes replayed through this build,
#                           then tests/hostile/run.sh against $(B)/probe
#   make valgrind-hostile   the same under valgrind (slow: not in make test)
#
# The crash inputs of tests/fuzz/regressions/ go through both fuzz targets'
# LLVMFuzzerTestOneInput, compiled without libFuzzer by tests/fuzz/replay.c
# (under ASan+UBSan in make asan-test).

FUZZ_REGRESSIONS = $(wildcard tests/fuzz/regressions/*)
CLI_REGRESSIONS = $(wildcard tests/fuzz/regressions-cli/*)
# the Python parser's crash inputs (tests/fuzz/fuzz_py.c)
PY_REGRESSIONS = $(wildcard tests/fuzz/regressions-py/*)
# model files that crashed the whole front end (tests/fuzz/fuzz_model.c)
MODEL_REGRESSIONS = $(wildcard tests/fuzz/regressions-model/*)

$(B)/tests/replay_model: tests/fuzz/fuzz_model.c tests/fuzz/fuzz_probe.c tests/fuzz/replay.c $(B)/libprobe.a | $(B)/tests
	$(CC) $(CFLAGS_ALL) -o $@ tests/fuzz/replay.c $< $(B)/libprobe.a $(LDLIBS_ALL)

$(B)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(B)/libprobe.a | $(B)/tests
	$(CC) $(CFLAGS_ALL) -o $@ tests/fuzz/replay.c $< $(B)/libprobe.a $(LDLIBS_ALL)

# the command line's argument vectors (tests/fuzz/regressions-cli/) go
# through fuzz_cli.c, which links the CLI's modules
$(B)/tests/replay_cli: tests/fuzz/fuzz_cli.c tests/fuzz/replay.c $(CLI_SRC) src/cli/cli.h $(B)/libprobe.a | $(B)/tests
	$(CC) $(CFLAGS_ALL) -o $@ tests/fuzz/replay.c $< $(CLI_SRC) $(B)/libprobe.a $(LDLIBS_ALL)

.PHONY: hostile valgrind-hostile

hostile: $(B)/probe $(B)/tests/replay_parse $(B)/tests/replay_probe $(B)/tests/replay_cli $(B)/tests/replay_py $(B)/tests/replay_model
	@$(B)/tests/replay_model $(MODEL_REGRESSIONS)
	@$(B)/tests/replay_parse $(FUZZ_REGRESSIONS)
	@$(B)/tests/replay_probe $(FUZZ_REGRESSIONS)
	@$(B)/tests/replay_cli $(CLI_REGRESSIONS)
	@$(B)/tests/replay_py $(PY_REGRESSIONS)
	@sh tests/hostile/run.sh $(B)/probe

valgrind-hostile: $(B)/probe $(B)/tests/replay_parse $(B)/tests/replay_probe $(B)/tests/replay_cli $(B)/tests/replay_py
	@sh tools/deps.sh fuzz
	@valgrind -q --error-exitcode=99 --leak-check=full $(B)/tests/replay_parse $(FUZZ_REGRESSIONS)
	@valgrind -q --error-exitcode=99 --leak-check=full $(B)/tests/replay_probe $(FUZZ_REGRESSIONS)
	@valgrind -q --error-exitcode=99 --leak-check=full $(B)/tests/replay_cli $(CLI_REGRESSIONS)
	@valgrind -q --error-exitcode=99 --leak-check=full $(B)/tests/replay_py $(PY_REGRESSIONS)
	@sh tests/hostile/run.sh $(B)/probe valgrind
