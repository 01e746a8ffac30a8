/* A plugin built against another version of probe_plugin.h. */
#include <probe_plugin.h>

const int probe_plugin_abi = PROBE_PLUGIN_ABI + 41;

int probe_plugin_init(probe_registry *reg)
{
    (void)reg;
    return 0;
}
