/* intern.c - one shared copy of each distinct string. */
#include "base/intern.h"

#include <string.h>

/* The key intern_bytes looks for. */
typedef struct name_key {
    const char *const *names;
    const char *s;
    size_t n;
} name_key;

static bool name_equal(const void *ctx, uint32_t i)
{
    const name_key *k = ctx;
    return !strncmp(k->names[i], k->s, k->n) && k->names[i][k->n] == '\0';
}

/* Room for one more string in in->names, grown in in->table_ar as the
 * table is; false when out of memory. */
static bool reserve_name(interner *in)
{
    if (in->names_len < in->names_cap) return true;
    size_t cap = in->names_cap ? in->names_cap * 2 : 64;
    const char **names = arena_alloc(in->table_ar, cap * sizeof *names);
    if (!names) return false;
    if (in->names_len) memcpy(names, in->names, in->names_len * sizeof *names);
    in->names = names;
    in->names_cap = cap;
    return true;
}

void intern_init(interner *in, arena *ar)
{
    in->ar = ar;
    in->table_ar = ar;
    hash_init(&in->table, INTERN_MAX_PROBES, ar);
    in->names = NULL;
    in->names_cap = in->names_len = 0;
}

const char *intern_bytes(interner *in, const char *s, size_t n)
{
    /* table_ar is settled once the first string is asked for */
    if (!in->table.cap) in->table.ar = in->table_ar;
    if (!hash_reserve(&in->table) || !reserve_name(in)) {
        in->ar->failed = true;
        return NULL;
    }
    uint64_t h = hash_bytes(s, n);
    name_key key = { in->names, s, n };
    uint32_t i;
    size_t slot;
    if (hash_find(&in->table, h, name_equal, &key, &i, &slot)) return in->names[i];
    /* past the probe cap (strings made to collide), a string is copied
     * rather than interned */
    const char *copy = arena_strndup(in->ar, s, n);
    if (copy && slot != HASH_NO_SLOT) {
        hash_set(&in->table, slot, h, (uint32_t)in->names_len);
        in->names[in->names_len++] = copy;
    }
    return copy;
}
