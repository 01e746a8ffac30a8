/*
 * fuzz_parse.c - libFuzzer target: arbitrary bytes as a net.cfg through the
 * lexer, parser, schema binder and the constructor checks.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One registry for every input: building it is not what is fuzzed, and a
 * global that stays reachable is no leak. */
static probe_registry *registry(void)
{
    static probe_registry *reg;
    if (!reg && !(reg = probe_registry_new())) abort();
    return reg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    probe_net *net = probe_net_parse(registry(), "fuzz.cfg", (const char *)data, size);
    if (!net) abort();  /* NULL only when out of memory */
    (void)probe_net_name(net);
    (void)probe_net_layer_count(net);
    probe_net_free(net);
    return 0;
}
