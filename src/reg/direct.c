/* direct.c - the shape functions called without libffi: the direct calls
 * tools/genproto writes from the schemas in ops.def, one a function, looked
 * up by the function. Compiled in every build, so that the generated code is
 * type-checked against the prototypes everywhere; called only in a
 * PROBE_NO_FFI build (registry.c), where they are the only way. */
#include "reg/registry.h"
#include "ops_thunks.h"

reg_thunk reg_thunk_for(probe_shape_fn fn)
{
    for (size_t i = 0; i < sizeof reg_thunks / sizeof reg_thunks[0]; i++)
        if (reg_thunks[i].fn == fn) return reg_thunks[i].call;
    return NULL;
}
