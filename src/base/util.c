/* util.c - arena, growable strings and arrays. */
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
    arena_block *next;
    size_t used, cap;
    max_align_t data[];
};

enum { ARENA_BLOCK = 64 * 1024 };

void arena_init(arena *a)
{
    a->head = NULL;
    a->adopted = NULL;
    a->nadopted = 0;
    a->failed = false;
}

bool arena_adopt(arena *a, void *p)
{
    void **list = realloc(a->adopted, (a->nadopted + 1) * sizeof *list);
    if (!list) {
        free(p);
        a->failed = true;
        return false;
    }
    a->adopted = list;
    a->adopted[a->nadopted++] = p;
    return true;
}

void arena_free(arena *a)
{
    if (!a) return;
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    for (size_t i = 0; i < a->nadopted; i++) free(a->adopted[i]);
    free(a->adopted);
    a->adopted = NULL;
    a->nadopted = 0;
}

size_t arena_size(const arena *a)
{
    size_t n = 0;
    for (const arena_block *b = a->head; b; b = b->next) n += b->cap;
    return n;
}

void arena_reset(arena *a)
{
    arena_block *keep = NULL, *b = a->head;
    while (b) {
        arena_block *next = b->next;
        if (!keep && b->cap == ARENA_BLOCK) keep = b;
        else free(b);
        b = next;
    }
    if (keep) {
        keep->used = 0;
        keep->next = NULL;
    }
    a->head = keep;
    for (size_t i = 0; i < a->nadopted; i++) free(a->adopted[i]);
    free(a->adopted);
    a->adopted = NULL;
    a->nadopted = 0;
    a->failed = false;
}

void *arena_alloc(arena *a, size_t size)
{
    size_t align = sizeof(max_align_t);
    /* the block header and the rounding must not wrap around */
    if (size > SIZE_MAX - align - sizeof(arena_block)) { a->failed = true; return NULL; }
    size = (size + align - 1) / align * align;
    arena_block *b = a->head;
    if (!b || b->cap - b->used < size) {
        size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
        b = malloc(sizeof *b + cap);
        if (!b) { a->failed = true; return NULL; }
        b->used = 0;
        b->cap = cap;
        /* A big lone allocation goes behind the current block so that the
         * current block keeps serving small ones. */
        if (a->head && size > ARENA_BLOCK) {
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void sb_init(sb *s)
{
    s->buf = NULL;
    s->len = s->cap = 0;
    s->failed = false;
    s->sink = NULL;
    s->sink_ud = NULL;
    s->sink_rc = 0;
}

void sb_spill(sb *s, size_t at_least)
{
    if (!s->sink || s->failed || !s->len || s->len < at_least) return;
    int rc = s->sink(s->sink_ud, s->buf, s->len);
    s->len = 0;
    s->buf[0] = '\0';
    if (rc) {
        s->sink_rc = rc;
        s->failed = true;
    }
}

void sb_free(sb *s) { free(s->buf); sb_init(s); }

static bool sb_reserve(sb *s, size_t extra)
{
    if (s->failed) return false;
    if (extra > SIZE_MAX / 2 - s->len) { s->failed = true; return false; }
    size_t need = s->len + extra + 1;
    if (need <= s->cap) return true;
    size_t cap = s->cap ? s->cap : 64;
    while (cap < need) cap *= 2;
    char *p = realloc(s->buf, cap);
    if (!p) { s->failed = true; return false; }
    s->buf = p;
    s->cap = cap;
    return true;
}

void sb_putn(sb *s, const char *text, size_t n)
{
    if (!sb_reserve(s, n)) return;
    memcpy(s->buf + s->len, text, n);
    s->len += n;
    s->buf[s->len] = '\0';
}

void sb_puts(sb *s, const char *text) { sb_putn(s, text, strlen(text)); }
void sb_putc(sb *s, char c) { sb_putn(s, &c, 1); }

void sb_vprintf(sb *s, const char *fmt, va_list ap)
{
    if (!sb_reserve(s, 64)) return;
    /* formatted once when it fits in the room left, as it mostly does */
    va_list ap2;
    va_copy(ap2, ap);
    size_t room = s->cap - s->len;
    int n = vsnprintf(s->buf + s->len, room, fmt, ap2);
    va_end(ap2);
    if (n < 0) { s->failed = true; return; }
    if ((size_t)n >= room) {
        if (!sb_reserve(s, (size_t)n)) return;
        vsnprintf(s->buf + s->len, (size_t)n + 1, fmt, ap);
    }
    s->len += (size_t)n;
}

void sb_printf(sb *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(s, fmt, ap);
    va_end(ap);
}

void sb_put_ints(sb *s, const int64_t *v, int n, const char *sep)
{
    size_t seplen = strlen(sep);
    for (int i = 0; i < n; i++) {
        if (i) sb_putn(s, sep, seplen);
        /* by hand, not sb_printf: a table of a million rows prints them */
        char digits[24];
        char *p = digits + sizeof digits;
        uint64_t u = v[i] < 0 ? 0 - (uint64_t)v[i] : (uint64_t)v[i];
        do *--p = (char)('0' + u % 10); while (u /= 10);
        if (v[i] < 0) *--p = '-';
        sb_putn(s, p, (size_t)(digits + sizeof digits - p));
    }
}

void sb_put_dims(sb *s, const int64_t *dims, int n)
{
    sb_putc(s, '[');
    sb_put_ints(s, dims, n, ", ");
    sb_putc(s, ']');
}

char *sb_copy_to(const sb *s, char *buf, size_t cap)
{
    size_t n = s->failed || !s->buf ? 0 : s->len < cap ? s->len : cap - 1;
    if (n) memcpy(buf, s->buf, n);
    buf[n] = '\0';
    return buf;
}

char *sb_take(sb *s)
{
    if (s->failed) { sb_free(s); return NULL; }
    if (!s->buf) {
        sb_init(s);
        char *empty = malloc(1);
        if (empty) empty[0] = '\0';
        return empty;
    }
    char *p = s->buf;
    sb_init(s);
    return p;
}

void vec_init(vec *v, size_t item_size)
{
    v->items = NULL;
    v->len = v->cap = 0;
    v->size = item_size;
}

void vec_free(vec *v) { free(v->items); v->items = NULL; v->len = v->cap = 0; }

void *vec_give(vec *v, arena *a, size_t *n)
{
    void *items = v->items;
    *n = items ? v->len : 0;
    v->items = NULL;
    v->len = v->cap = 0;
    if (items && !arena_adopt(a, items)) {
        *n = 0;
        return NULL;
    }
    return items;
}

void *vec_push(vec *v)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        if (cap > SIZE_MAX / v->size) return NULL;
        void *p = realloc(v->items, cap * v->size);
        if (!p) return NULL;
        v->items = p;
        v->cap = cap;
    }
    void *item = (char *)v->items + v->len * v->size;
    memset(item, 0, v->size);
    v->len++;
    return item;
}

size_t util_utf8_len(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    if (n == 0) return 0;
    size_t len = p[0] < 0x80 ? 1 : (p[0] >> 5) == 6 ? 2 : (p[0] >> 4) == 14 ? 3 : (p[0] >> 3) == 30 ? 4 : 0;
    if (len == 0 || len > n) return 0;
    uint32_t cp = len == 1 ? p[0] : (uint32_t)(p[0] & (0x7F >> len));
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (p[k] & 0x3F);
    }
    /* each code point has one encoding, the shortest */
    static const uint32_t least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (cp < least[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

size_t util_edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return cap + 1;
    if ((la > lb ? la - lb : lb - la) > cap) return cap + 1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diag + cost;
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}
