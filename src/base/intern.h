/*
 * intern.h - one shared copy of each distinct string (prefix: intern_).
 *
 * A net repeats a few dozen names a million times and a model file says
 * `self` and `x` on every line: each distinct string is copied once, and
 * equal strings are the same pointer. Both tokenizers intern what they
 * read (src/cfg/lex.c, src/py/py_lex.c).
 *
 * Ownership: the strings live in `ar`; the table and the array of the
 * strings it indexes live in `table_ar` (by default ar), where, as they
 * grow, the old ones stay unused: a caller that needs the table only
 * while reading gives it an arena of its own and frees that after.
 */
#ifndef PROBE_INTERN_H
#define PROBE_INTERN_H

#include <stddef.h>
#include "base/util.h"
#include "base/hash.h"

typedef struct interner {
    arena *ar;           /* the strings */
    arena *table_ar;     /* the table and the array of strings */
    hash_table table;    /* indexes strings */
    const char **names;  /* the distinct strings, in ar; the array in table_ar */
    size_t names_cap, names_len;
} interner;

/* Strings made to collide would make each lookup walk all of them: past
 * this many probes, a string is copied rather than interned. */
enum { INTERN_MAX_PROBES = 64 };

/* An empty interner; a caller may point table_ar elsewhere before the
 * first string. */
void intern_init(interner *in, arena *ar);
/* The arena-owned, NUL-terminated copy of s[0..n) shared by every equal
 * string; NULL when out of memory (then ar->failed is set). */
const char *intern_bytes(interner *in, const char *s, size_t n);

#endif
