/* A plugin whose registration is malformed: an unknown parameter type. */
#include <probe_plugin.h>

const int probe_plugin_abi = PROBE_PLUGIN_ABI;

static int shape(probe_ctx *cx, probe_tensor *x, int64_t n)
{
    (void)cx; (void)x; (void)n;
    return 0;
}

int probe_plugin_init(probe_registry *reg)
{
    return probe_register(reg, "Broken(n: integer)", (probe_shape_fn)shape);
}
