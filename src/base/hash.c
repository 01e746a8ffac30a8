/* hash.c - FNV-1a hashing and the open-addressing table of indices. */
#include "base/hash.h"

#include <stdlib.h>
#include <string.h>

uint64_t hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = HASH_FNV_OFFSET;
    for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * HASH_FNV_PRIME;
    return h;
}

uint64_t hash_str(const char *s)
{
    uint64_t h = HASH_FNV_OFFSET;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * HASH_FNV_PRIME;
    return h;
}

uint64_t hash_words(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t h = HASH_FNV_OFFSET ^ n;
    for (size_t i = 0; i < n; i++) {
        uint64_t w;
        memcpy(&w, b + i * sizeof w, sizeof w);
        /* a multiply carries bits only upwards: the shift brings them back */
        h = (h ^ w) * 0x9E3779B97F4A7C15ull;
        h ^= h >> 29;
    }
    return h;
}

void hash_init(hash_table *t, unsigned max_probes, arena *ar)
{
    t->slots = NULL;
    t->cap = t->len = 0;
    t->max_probes = max_probes;
    t->ar = ar;
}

void hash_free(hash_table *t)
{
    if (!t) return;
    if (!t->ar) free(t->slots);
    t->slots = NULL;
    t->cap = t->len = 0;
}

bool hash_reserve(hash_table *t)
{
    if ((t->len + 1) * 2 <= t->cap) return true;
    size_t cap = t->cap ? t->cap * 2 : 64;
    if (cap > SIZE_MAX / sizeof(hash_slot)) return false;
    hash_slot *slots = t->ar ? arena_alloc(t->ar, cap * sizeof *slots) : calloc(cap, sizeof *slots);
    if (!slots) return false;
    /* each stored hash keeps enough low bits to place it again */
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slots[i].index1) continue;
        size_t k = t->slots[i].hash & (cap - 1);
        while (slots[k].index1) k = (k + 1) & (cap - 1);
        slots[k] = t->slots[i];
    }
    if (!t->ar) free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return true;
}

bool hash_find(const hash_table *t, uint64_t h, hash_eq_fn eq, const void *ctx,
               uint32_t *index, size_t *slot)
{
    if (slot) *slot = HASH_NO_SLOT;
    if (!t->cap) return false;
    uint32_t h32 = (uint32_t)h;
    size_t k = h32 & (t->cap - 1);
    for (unsigned probes = 0;; probes++) {
        /* keys made to collide would make each lookup walk all of them:
         * past a short run, a key is not shared (nor stored where no
         * lookup would reach it) */
        if (t->max_probes && probes == t->max_probes) return false;
        const hash_slot *s = &t->slots[k];
        if (!s->index1) break;
        if (s->hash == h32 && eq(ctx, s->index1 - 1)) {
            *index = s->index1 - 1;
            return true;
        }
        k = (k + 1) & (t->cap - 1);
    }
    if (slot) *slot = k;
    return false;
}

void hash_set(hash_table *t, size_t slot, uint64_t h, uint32_t index)
{
    if (slot == HASH_NO_SLOT || index == UINT32_MAX) return;
    t->slots[slot].index1 = index + 1;
    t->slots[slot].hash = (uint32_t)h;
    t->len++;
}

/* For hash_insert: no stored index equals the new one. */
static bool never_equal(const void *ctx, uint32_t index)
{
    (void)ctx;
    (void)index;
    return false;
}

bool hash_insert(hash_table *t, uint64_t h, uint32_t index)
{
    if (!hash_reserve(t)) return false;
    size_t slot;
    uint32_t unused;
    hash_find(t, h, never_equal, NULL, &unused, &slot);
    hash_set(t, slot, h, index);
    return true;
}
