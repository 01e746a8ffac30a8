/* fixtures.h - what the unit tests share: a group fixture holding a
 * registry of the built-in layers in *state, and a test fixture holding
 * an arena. Include after cmocka.h. */
#ifndef PROBE_TEST_FIXTURES_H
#define PROBE_TEST_FIXTURES_H

#include "probe.h"
#include "base/util.h"

/* cmocka group setup: *state is a new registry (a failed setup when out
 * of memory). */
static inline int setup_registry(void **state)
{
    *state = probe_registry_new();
    return *state ? 0 : -1;
}

/* cmocka group teardown: frees the registry of setup_registry. */
static inline int free_registry(void **state)
{
    probe_registry_free(*state);
    return 0;
}

/* cmocka test setup: *state is a new, empty arena. */
static inline int setup_arena(void **state)
{
    arena *ar = test_malloc(sizeof *ar);
    arena_init(ar);
    *state = ar;
    return 0;
}

/* cmocka test teardown: frees the arena of setup_arena. */
static inline int free_arena(void **state)
{
    arena_free(*state);
    test_free(*state);
    return 0;
}

#endif
