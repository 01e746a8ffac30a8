/*
 * fuzz_model.c - libFuzzer target: the whole probe on a model file (.py):
 * fuzz_probe.c's run of every answer and report, the net read by the
 * Python front end (tokenizer, parser, evaluator, forward() on meta
 * tensors). The first 4 bytes choose the options as in fuzz_probe.c.
 */
#define FUZZ_NET_NAME "fuzz.py"
#include "fuzz_probe.c"
