/*
 * hash.h - FNV-1a hashing and one open-addressing table of indices
 * (prefix: hash_).
 *
 * The table does not hold the things it finds: the caller keeps them in an
 * array of its own (names, ops, shapes) and the table maps a hash to their
 * indices there, each stored as 1 + index (0: an empty slot) beside the
 * low 32 bits of its hash, so that growing needs no callback and most
 * mismatches are told apart without one. Equality is the caller's, through
 * a callback. The table doubles when it would be more than half full; a
 * probe cap, where a caller sets one, bounds the walk of each lookup, so
 * that keys made to collide cannot make a run quadratic: past it a key is
 * simply not shared (hash_find says so, hash_insert does not store it).
 *
 * The usual find-or-add:
 *
 *     if (!hash_reserve(&t)) return OUT_OF_MEMORY;
 *     uint64_t h = hash_bytes(key, n);
 *     size_t slot;
 *     uint32_t i;
 *     if (hash_find(&t, h, equal, &key, &i, &slot)) return i;
 *     i = append_to_own_array(key);            (may fail: the table is unchanged)
 *     hash_set(&t, slot, h, i);                (no-op past the probe cap)
 *
 * A table is not locked: lookups (const) may run in parallel, changes not.
 */
#ifndef PROBE_HASH_H
#define PROBE_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "base/util.h"

/* FNV-1a's 64-bit offset basis (the copies this replaces had lost its last
 * digit) and prime */
#define HASH_FNV_OFFSET 14695981039346656037ull
#define HASH_FNV_PRIME 1099511628211ull

/* FNV-1a over the n bytes at p. */
uint64_t hash_bytes(const void *p, size_t n);
/* FNV-1a over a NUL-terminated string: hash_bytes(s, strlen(s)). */
uint64_t hash_str(const char *s);
/*
 * The n 64-bit words at p (int64_t sizes, or a struct whose size is a
 * multiple of 8 and whose padding is zeroed), a word at a time: eight
 * times fewer steps than hash_bytes, which matters for a million argument
 * lists. Each step folds the high bits down, so a word's high bits reach
 * the low bits a table indexes by. p need not be aligned.
 */
uint64_t hash_words(const void *p, size_t n);

typedef struct hash_slot {
    uint32_t index1;        /* 1 + the caller's index; 0: empty */
    uint32_t hash;          /* the hash's low 32 bits */
} hash_slot;

typedef struct hash_table {
    hash_slot *slots;       /* cap of them; NULL until the first hash_reserve */
    size_t cap;             /* 0 or a power of two */
    size_t len;             /* indices stored */
    unsigned max_probes;    /* slots a lookup walks at most; 0: no cap */
    arena *ar;              /* non-NULL: slots come from it and stay there */
} hash_table;

/* Compares the caller's item `index` with the key ctx points to. */
typedef bool (*hash_eq_fn)(const void *ctx, uint32_t index);

/* No slot: the lookup reached the probe cap, or the table is empty. */
#define HASH_NO_SLOT ((size_t)-1)

/*
 * An empty table that allocates nothing yet. max_probes: 0 for no cap.
 * ar: NULL to malloc the slots (hash_free frees them), or an arena that
 * owns them, old and new (hash_free then only forgets them): for a table
 * that lives as long as the arena's other contents.
 */
void hash_init(hash_table *t, unsigned max_probes, arena *ar);
/* Frees the slots the table owns and leaves it empty, its probe cap and
 * arena kept: ready for use again. NULL or an empty table: a no-op. Never
 * frees the caller's items. */
void hash_free(hash_table *t);
/*
 * Makes room for one more index, doubling at half full (the first
 * allocation is 64 slots). Returns false when out of memory, the table
 * unchanged and usable; never aborts.
 */
bool hash_reserve(hash_table *t);
/*
 * Walks h's slots, calling eq(ctx, i) for each stored index i with the
 * same low 32 bits of hash. True with *index set on a match. False when
 * there is none; then, if slot is not NULL, *slot is where h would go
 * (for hash_set, before any other change to the table; only meaningful
 * after hash_reserve), or HASH_NO_SLOT past the probe cap or when the
 * table has no slots yet. Allocates nothing.
 */
bool hash_find(const hash_table *t, uint64_t h, hash_eq_fn eq, const void *ctx,
               uint32_t *index, size_t *slot);
/* Stores index at a slot hash_find returned; HASH_NO_SLOT, or an index
 * of UINT32_MAX (it would not fit as 1 + index), is not stored. */
void hash_set(hash_table *t, size_t slot, uint64_t h, uint32_t index);
/*
 * Adds index under h without looking for an equal one (the caller knows
 * there is none): hash_reserve, then the first empty slot. Returns false
 * only when out of memory (the table unchanged); past the probe cap the
 * index is not stored and true returned, as for any unshared key.
 */
bool hash_insert(hash_table *t, uint64_t h, uint32_t index);

#endif
