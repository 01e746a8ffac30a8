/*
 * util.h - memory arena, growable strings and small helpers shared by every
 * module (prefix: arena_, sb_, util_).
 */
#ifndef PROBE_UTIL_H
#define PROBE_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* A bump allocator: everything a parse makes is freed at once. */
typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *head;
    void **adopted;         /* malloc'd buffers handed over, freed with it */
    size_t nadopted;
    bool failed;            /* an allocation failed: the result is unusable */
} arena;

void arena_init(arena *a);
void arena_free(arena *a);
/* Zeroed memory owned by the arena; NULL (and a->failed) when out of memory. */
void *arena_alloc(arena *a, size_t size);
/* Hands a malloc'd buffer to the arena, which frees it with the rest:
 * a grown array need not be copied to stay with what points into it.
 * On failure frees p and returns false. */
bool arena_adopt(arena *a, void *p);
/* Frees everything allocated so far but keeps one block for what comes
 * next: an arena reused for one item at a time stays one block big. */
void arena_reset(arena *a);
/* The bytes the arena's blocks hold (adopted buffers not counted). */
size_t arena_size(const arena *a);
/* A NUL-terminated copy of s[0..n) owned by the arena. */
char *arena_strndup(arena *a, const char *s, size_t n);

/* A growable string. The buffer belongs to the sb until sb_take(). */
typedef struct sb {
    char *buf;
    size_t len, cap;
    bool failed;            /* out of memory or a write failed: later appends are dropped */
    /* with a sink, sb_spill() hands what has piled up over: a report of a
     * million rows is written piece by piece, not held whole */
    int (*sink)(void *ud, const char *bytes, size_t n);
    void *sink_ud;
    int sink_rc;            /* what the sink returned when it failed */
} sb;

void sb_init(sb *s);
void sb_free(sb *s);
void sb_putn(sb *s, const char *text, size_t n);
void sb_puts(sb *s, const char *text);
void sb_putc(sb *s, char c);
void sb_printf(sb *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sb_vprintf(sb *s, const char *fmt, va_list ap);
/* With a sink, writes out what has piled up once it is `at_least` bytes
 * (0: everything). */
void sb_spill(sb *s, size_t at_least);
/* Hands the NUL-terminated buffer to the caller (free it); NULL when an
 * append failed. The sb is left empty. */
char *sb_take(sb *s);
/* Appends the n integers at v in decimal, sep between them: "1,3,0,4"
 * with ",". n <= 0 appends nothing. */
void sb_put_ints(sb *s, const int64_t *v, int n, const char *sep);
/* Appends a shape as PyTorch prints a list of sizes: "[1, 16, 8, 8]";
 * "[]" for n <= 0. The one shape printer: reports and messages use it. */
void sb_put_dims(sb *s, const int64_t *dims, int n);
/* Copies what s holds into buf (cap > 0 bytes) as snprintf would: cut to
 * cap - 1 bytes, NUL-terminated; "" when an append failed. Returns buf,
 * which the caller owns; s is unchanged. */
char *sb_copy_to(const sb *s, char *buf, size_t cap);

/* A growable array of fixed-size items; items move when it grows. */
typedef struct vec {
    void *items;
    size_t len, cap, size;
} vec;

void vec_init(vec *v, size_t item_size);
void vec_free(vec *v);
/* A zeroed new item at the end, NULL when out of memory. */
void *vec_push(vec *v);
#define VEC_AT(v, type, i) (((type *)(v).items)[i])
/* Hands v's items to the arena, which frees them with the rest, and leaves
 * v empty: a grown array of a million items is not copied. Returns them
 * (NULL when there were none, or out of memory: then *n is 0 and
 * a->failed set) and their count in *n. */
void *vec_give(vec *v, arena *a, size_t *n);

/* The length (1 to 4) of the well-formed UTF-8 sequence at s, of the n
 * bytes there; 0 when they do not start one: a stray or cut-short
 * sequence, an overlong form, a surrogate or a code point past U+10FFFF. */
size_t util_utf8_len(const char *s, size_t n);

/* Levenshtein distance, capped at `cap` + 1 to stay cheap. */
size_t util_edit_distance(const char *a, const char *b, size_t cap);

/* checked int64: false on overflow */
static inline bool util_add(int64_t a, int64_t b, int64_t *r) { return !__builtin_add_overflow(a, b, r); }
static inline bool util_mul(int64_t a, int64_t b, int64_t *r) { return !__builtin_mul_overflow(a, b, r); }
static inline bool util_sub(int64_t a, int64_t b, int64_t *r) { return !__builtin_sub_overflow(a, b, r); }

/* saturating int64: for figures shown to people (--explain, summaries),
 * which must not change a verdict or wrap */
static inline int64_t util_sat_add(int64_t a, int64_t b)
{
    int64_t r;
    return __builtin_add_overflow(a, b, &r) ? (b > 0 ? INT64_MAX : INT64_MIN) : r;
}
static inline int64_t util_sat_sub(int64_t a, int64_t b)
{
    int64_t r;
    return __builtin_sub_overflow(a, b, &r) ? (b < 0 ? INT64_MAX : INT64_MIN) : r;
}
static inline int64_t util_sat_mul(int64_t a, int64_t b)
{
    int64_t r;
    return __builtin_mul_overflow(a, b, &r) ? ((a < 0) != (b < 0) ? INT64_MIN : INT64_MAX) : r;
}

#endif
