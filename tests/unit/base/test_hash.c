/* test_hash.c - base/hash: FNV-1a and the word hash, and the table of
 * indices: lookups, collisions forced with one constant hash, growth at
 * half full, the probe cap, a table in an arena, freeing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/hash.h"

/* The caller's own array the table indexes. */
typedef struct keys {
    int64_t v[4096];
    size_t n;
} keys;

typedef struct key_ref {
    const keys *ks;
    int64_t want;
} key_ref;

static bool key_equal(const void *ctx, uint32_t i)
{
    const key_ref *r = ctx;
    return r->ks->v[i] == r->want;
}

/* Find-or-add, as hash.h spells it; returns the index, or -1 when the key
 * was added unshared (past the probe cap). */
static int64_t intern(hash_table *t, keys *ks, int64_t v, uint64_t h)
{
    assert_true(hash_reserve(t));
    key_ref r = { ks, v };
    uint32_t i;
    size_t slot;
    if (hash_find(t, h, key_equal, &r, &i, &slot)) return i;
    ks->v[ks->n] = v;
    hash_set(t, slot, h, (uint32_t)ks->n);
    ks->n++;
    return slot == HASH_NO_SLOT ? -1 : (int64_t)ks->n - 1;
}

static bool find(const hash_table *t, const keys *ks, int64_t v, uint64_t h, uint32_t *i)
{
    key_ref r = { ks, v };
    return hash_find(t, h, key_equal, &r, i, NULL);
}

static void fnv1a_known_values(void **state)
{
    (void)state;
    /* the published FNV-1a 64 test vectors */
    assert_true(hash_bytes("", 0) == 0xcbf29ce484222325ull);
    assert_true(hash_bytes("a", 1) == 0xaf63dc4c8601ec8cull);
    assert_true(hash_bytes("foobar", 6) == 0x85944171f73967e8ull);
    assert_true(hash_str("foobar") == hash_bytes("foobar", 6));
    assert_true(hash_str("") == HASH_FNV_OFFSET);
}

static void word_hash_sees_every_word_and_the_count(void **state)
{
    (void)state;
    int64_t a[3] = { 1, 16, 8 }, b[3] = { 1, 16, 9 }, c[4] = { 1, 16, 8, 0 };
    assert_true(hash_words(a, 3) == hash_words(a, 3));
    assert_true(hash_words(a, 3) != hash_words(b, 3));
    assert_true(hash_words(a, 3) != hash_words(c, 4));
    /* a high bit alone changes the low bits a table indexes by */
    int64_t hi1[1] = { (int64_t)1 << 40 }, hi2[1] = { (int64_t)1 << 41 };
    assert_true((hash_words(hi1, 1) & 0xFFFF) != (hash_words(hi2, 1) & 0xFFFF));
    /* unaligned words read as aligned ones */
    unsigned char buf[3 * 8 + 1];
    memcpy(buf + 1, a, sizeof a);
    assert_true(hash_words(buf + 1, 3) == hash_words(a, 3));
}

static void finds_what_was_added(void **state)
{
    (void)state;
    static keys ks;
    ks.n = 0;
    hash_table t;
    hash_init(&t, 0, NULL);
    uint32_t i;
    assert_false(find(&t, &ks, 7, 7, &i));       /* empty: nothing allocated */
    assert_null(t.slots);
    for (int64_t v = 0; v < 1000; v++) assert_int_equal(intern(&t, &ks, v * 3, hash_words(&v, 1)), v);
    assert_int_equal(t.len, 1000);
    for (int64_t v = 0; v < 1000; v++) {
        int64_t w = v * 3;
        assert_true(find(&t, &ks, w, hash_words(&v, 1), &i));
        assert_int_equal(i, v);
        assert_int_equal(intern(&t, &ks, w, hash_words(&v, 1)), v);    /* found, not added */
    }
    assert_int_equal(ks.n, 1000);
    int64_t absent = 5000;
    assert_false(find(&t, &ks, absent, hash_words(&absent, 1), &i));
    hash_free(&t);
    assert_null(t.slots);
    assert_int_equal(t.len, 0);
}

static void constant_hash_collides_but_finds(void **state)
{
    (void)state;
    static keys ks;
    ks.n = 0;
    hash_table t;
    hash_init(&t, 0, NULL);
    /* every key in one chain: equality alone tells them apart */
    for (int64_t v = 0; v < 200; v++) assert_int_equal(intern(&t, &ks, v, 42), v);
    for (int64_t v = 0; v < 200; v++) {
        uint32_t i;
        assert_true(find(&t, &ks, v, 42, &i));
        assert_int_equal(i, v);
    }
    /* same low 32 bits, other high bits: the table places by the low ones */
    uint32_t i;
    assert_true(find(&t, &ks, 7, 42 | (0xABCDull << 32), &i));
    assert_int_equal(i, 7);
    hash_free(&t);
}

static void grows_by_doubling_at_half_full(void **state)
{
    (void)state;
    static keys ks;
    ks.n = 0;
    hash_table t;
    hash_init(&t, 0, NULL);
    assert_true(hash_reserve(&t));
    assert_int_equal(t.cap, 64);
    for (int64_t v = 0; v < 32; v++) intern(&t, &ks, v, hash_words(&v, 1));
    assert_int_equal(t.cap, 64);                /* 32 of 64: half full */
    int64_t v = 32;
    intern(&t, &ks, v, hash_words(&v, 1));
    assert_int_equal(t.cap, 128);
    for (v = 33; v < 1000; v++) intern(&t, &ks, v, hash_words(&v, 1));
    assert_int_equal(t.cap, 2048);
    assert_true(t.len * 2 <= t.cap);
    /* everything placed again where it is found */
    for (v = 0; v < 1000; v++) {
        uint32_t i;
        assert_true(find(&t, &ks, v, hash_words(&v, 1), &i));
        assert_int_equal(i, v);
    }
    hash_free(&t);
}

static void probe_cap_stops_sharing(void **state)
{
    (void)state;
    static keys ks;
    ks.n = 0;
    hash_table t;
    hash_init(&t, 8, NULL);
    /* eight keys fill the walk; the ninth is added but not shared */
    for (int64_t v = 0; v < 8; v++) assert_int_equal(intern(&t, &ks, v, 5), v);
    assert_int_equal(intern(&t, &ks, 8, 5), -1);
    assert_int_equal(intern(&t, &ks, 8, 5), -1);    /* again: a new copy */
    assert_int_equal(ks.n, 10);
    assert_int_equal(t.len, 8);
    uint32_t i;
    assert_false(find(&t, &ks, 8, 5, &i));
    /* those within the cap are still found; other hashes are unaffected */
    assert_true(find(&t, &ks, 7, 5, &i));
    assert_int_equal(i, 7);
    assert_int_equal(intern(&t, &ks, 100, 1000), 10);
    /* hash_insert past the cap stores nothing and is no error */
    size_t len = t.len;
    assert_true(hash_insert(&t, 5, 11));
    assert_int_equal(t.len, len);
    hash_free(&t);
}

static void insert_without_looking(void **state)
{
    (void)state;
    static keys ks;
    ks.n = 0;
    hash_table t;
    hash_init(&t, 0, NULL);
    for (int64_t v = 0; v < 300; v++) {
        ks.v[ks.n] = v;
        assert_true(hash_insert(&t, hash_words(&v, 1), (uint32_t)ks.n++));
    }
    assert_int_equal(t.len, 300);
    for (int64_t v = 0; v < 300; v++) {
        uint32_t i;
        assert_true(find(&t, &ks, v, hash_words(&v, 1), &i));
        assert_int_equal(i, v);
    }
    /* an index that would not fit as 1 + index is not stored */
    assert_true(hash_insert(&t, 1, UINT32_MAX));
    assert_int_equal(t.len, 300);
    hash_free(&t);
}

static void arena_owned_slots(void **state)
{
    (void)state;
    static keys ks;
    ks.n = 0;
    arena ar;
    arena_init(&ar);
    hash_table t;
    hash_init(&t, 0, &ar);
    for (int64_t v = 0; v < 500; v++) intern(&t, &ks, v, hash_words(&v, 1));
    uint32_t i;
    int64_t v = 499;
    assert_true(find(&t, &ks, v, hash_words(&v, 1), &i));
    assert_int_equal(i, 499);
    hash_free(&t);                              /* forgets; the arena frees */
    assert_null(t.slots);
    assert_true(t.ar == &ar);
    arena_free(&ar);
}

static void freeing_null_or_empty_is_a_no_op(void **state)
{
    (void)state;
    hash_free(NULL);
    hash_table t;
    hash_init(&t, 3, NULL);
    hash_free(&t);
    hash_free(&t);
    assert_int_equal(t.cap, 0);
    assert_int_equal(t.max_probes, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fnv1a_known_values),
        cmocka_unit_test(word_hash_sees_every_word_and_the_count),
        cmocka_unit_test(finds_what_was_added),
        cmocka_unit_test(constant_hash_collides_but_finds),
        cmocka_unit_test(grows_by_doubling_at_half_full),
        cmocka_unit_test(probe_cap_stops_sharing),
        cmocka_unit_test(insert_without_looking),
        cmocka_unit_test(arena_owned_slots),
        cmocka_unit_test(freeing_null_or_empty_is_a_no_op),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
