/* json_mini.c - a small, strict JSON reader. See json_mini.h for the
 * contract; this file is a plain recursive-descent parser whose recursion
 * is bounded by JSON_MAX_DEPTH. */
#include "json_mini.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { char *key; size_t keylen; json_value *val; } json_pair; /* all owned */

struct json_value {
    json_kind kind;
    union {
        bool b;
        int64_t i;
        double f;
        struct { char *s; size_t len; } str;                    /* s owned */
        struct { json_value **items; size_t len, cap; } arr;    /* items owned */
        struct { json_pair *pairs; size_t len, cap; } obj;      /* pairs owned */
    } u;
};

/* The parser's state. err is written once, at the first failure; every
 * parse function returns NULL/false from then on, unwinding to the top. */
typedef struct {
    const char *s;
    size_t len, pos;
    int depth;          /* containers open at pos */
    char *err;
    size_t errlen;
} parser;

/* A growable byte string, used while decoding a string token. */
typedef struct { char *s; size_t len, cap; } bytes;

static void *fail(parser *p, const char *msg)
{
    if (p->err && p->errlen)
        snprintf(p->err, p->errlen, "offset %zu: %s", p->pos, msg);
    return NULL;
}

/* Makes room for one more element of size elem in *buf, doubling the
 * capacity so appending n elements costs O(n) overall. */
static bool grow(void **buf, size_t *cap, size_t len, size_t elem)
{
    if (len < *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : 8;
    if (ncap > SIZE_MAX / elem)
        return false;
    void *nb = realloc(*buf, ncap * elem);
    if (!nb)
        return false;
    *buf = nb;
    *cap = ncap;
    return true;
}

static json_value *new_value(parser *p, json_kind kind)
{
    json_value *v = calloc(1, sizeof *v);
    if (!v)
        return fail(p, "out of memory");
    v->kind = kind;
    return v;
}

/* JSON's whitespace only: a vertical tab or a NUL byte is an error. */
static void skip_ws(parser *p)
{
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
                               p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
        p->pos++;
}

/* The next byte, or -1 at the end of the input. */
static int peek(const parser *p)
{
    return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

/* ---- UTF-8 ---- */

/* Length of the valid UTF-8 sequence at s[0..len), or 0 if it is not one.
 * The second byte's range per lead byte is what rules out overlong forms,
 * surrogates and code points above U+10FFFF (RFC 3629, table 3-7). */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t n;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else
        return 0;
    if (len < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 2; k < n; k++)
        if (s[k] < 0x80 || s[k] > 0xBF)
            return 0;
    return n;
}

bool json_utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0, n; i < len; i += n)
        if (!(n = utf8_seq(u + i, len - i)))
            return false;
    return true;
}

/* ---- strings ---- */

static bool bytes_add(bytes *b, const char *s, size_t n)
{
    while (b->cap - b->len < n + 1) /* +1 keeps room for the final NUL */
        if (!grow((void **)&b->s, &b->cap, b->cap, 1))
            return false;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    return true;
}

/* Appends code point cp as UTF-8. Lone surrogates get their three-byte
 * form, as Python keeps them in its strings rather than refusing them. */
static bool add_codepoint(bytes *b, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80)
        u[0] = (char)cp, n = 1;
    else if (cp < 0x800)
        u[0] = (char)(0xC0 | cp >> 6), n = 2;
    else if (cp < 0x10000)
        u[0] = (char)(0xE0 | cp >> 12), n = 3;
    else
        u[0] = (char)(0xF0 | cp >> 18), n = 4;
    for (size_t k = 1; k < n; k++)
        u[k] = (char)(0x80 | ((cp >> (6 * (n - 1 - k))) & 0x3F));
    return bytes_add(b, u, n);
}

/* Reads the four hex digits of a \u escape at p->pos. */
static bool hex4(parser *p, uint32_t *out)
{
    *out = 0;
    for (int k = 0; k < 4; k++, p->pos++) {
        int c = peek(p), d = c >= '0' && c <= '9' ? c - '0'
                         : c >= 'a' && c <= 'f' ? c - 'a' + 10
                         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return fail(p, "bad \\u escape"), false;
        *out = *out << 4 | (uint32_t)d;
    }
    return true;
}

/* Decodes a \u escape (p->pos just past the 'u'), joining a surrogate
 * pair written as two escapes into one code point. */
static bool unicode_escape(parser *p, bytes *b)
{
    uint32_t cp, lo;
    if (!hex4(p, &cp))
        return false;
    if (cp >= 0xD800 && cp <= 0xDBFF && p->pos + 1 < p->len &&
        p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u') {
        size_t save = p->pos;
        p->pos += 2;
        if (!hex4(p, &lo))
            return false;
        if (lo >= 0xDC00 && lo <= 0xDFFF)
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        else
            p->pos = save; /* not a pair: the second escape stands alone */
    }
    return add_codepoint(b, cp) || fail(p, "out of memory");
}

/* Decodes one escape sequence; p->pos is on the backslash. */
static bool escape(parser *p, bytes *b)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    p->pos++;
    int c = peek(p);
    const char *hit = c > 0 ? strchr(from, c) : NULL; /* c > 0: strchr finds the NUL */
    if (c != 'u' && !hit)
        return fail(p, "bad escape"), false;
    p->pos++;
    if (c == 'u')
        return unicode_escape(p, b);
    return bytes_add(b, &to[hit - from], 1) || fail(p, "out of memory");
}

/* Decodes the string token at p->pos (on the opening quote) into *b,
 * which the caller owns and frees. */
static bool string_body(parser *p, bytes *b)
{
    if (!bytes_add(b, "", 0))
        return fail(p, "out of memory"), false;
    for (p->pos++;;) {
        int c = peek(p);
        if (c < 0)
            return fail(p, "unterminated string"), false;
        if (c == '"')
            break;
        if (c < 0x20)
            return fail(p, "control character in string"), false;
        if (c == '\\') {
            if (!escape(p, b))
                return false;
            continue;
        }
        size_t n = utf8_seq((const unsigned char *)p->s + p->pos, p->len - p->pos);
        if (!n)
            return fail(p, "invalid UTF-8 in string"), false;
        if (!bytes_add(b, p->s + p->pos, n))
            return fail(p, "out of memory"), false;
        p->pos += n;
    }
    p->pos++;
    b->s[b->len] = '\0';
    return true;
}

static json_value *parse_string(parser *p)
{
    bytes b = {0};
    json_value *v = string_body(p, &b) ? new_value(p, JSON_STRING) : NULL;
    if (!v)
        return free(b.s), NULL;
    v->u.str.s = b.s;
    v->u.str.len = b.len;
    return v;
}

/* ---- numbers ---- */

static size_t skip_digits(parser *p)
{
    size_t start = p->pos;
    while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
        p->pos++;
    return p->pos - start;
}

/* Converts the digits s[0..n) of an integer, refusing int64 overflow. The
 * negative range is one larger, so the magnitude is built unsigned. */
static bool to_int64(const char *s, size_t n, bool neg, int64_t *out)
{
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t acc = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned d = (unsigned)(s[k] - '0');
        if (acc > (limit - d) / 10)
            return false;
        acc = acc * 10 + d;
    }
    *out = !neg ? (int64_t)acc : acc == limit ? INT64_MIN : -(int64_t)acc;
    return true;
}

/* Converts a number with fraction or exponent. strtod needs a NUL, and
 * the input need not have one, so the token is copied first. */
static json_value *to_float(parser *p, size_t start)
{
    size_t n = p->pos - start;
    char *tmp = malloc(n + 1);
    json_value *v = tmp ? new_value(p, JSON_FLOAT) : fail(p, "out of memory");
    if (v) {
        memcpy(tmp, p->s + start, n);
        tmp[n] = '\0';
        v->u.f = strtod(tmp, NULL); /* overflow gives +-HUGE_VAL, as Python's inf */
    }
    free(tmp);
    return v;
}

/* The RFC 8259 number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static json_value *parse_number(parser *p)
{
    size_t start = p->pos;
    bool neg = peek(p) == '-', is_float = false;
    p->pos += neg;
    size_t int_start = p->pos, nint = skip_digits(p);
    if (nint == 0 || (nint > 1 && p->s[int_start] == '0'))
        return p->pos = int_start, fail(p, "bad number");
    if (peek(p) == '.') {
        p->pos++, is_float = true;
        if (!skip_digits(p))
            return fail(p, "bad number: no digits after '.'");
    }
    if (peek(p) == 'e' || peek(p) == 'E') {
        p->pos++, is_float = true;
        p->pos += peek(p) == '+' || peek(p) == '-';
        if (!skip_digits(p))
            return fail(p, "bad number: no digits in exponent");
    }
    if (is_float)
        return to_float(p, start);
    int64_t i;
    if (!to_int64(p->s + int_start, nint, neg, &i))
        return p->pos = start, fail(p, "integer out of int64 range");
    json_value *v = new_value(p, JSON_INT);
    if (v)
        v->u.i = i;
    return v;
}

/* ---- containers ---- */

static json_value *parse_value(parser *p);

/* Parses one array item into arr. */
static bool parse_item(parser *p, json_value *arr)
{
    json_value *item = parse_value(p);
    if (item && !grow((void **)&arr->u.arr.items, &arr->u.arr.cap, arr->u.arr.len,
                      sizeof item))
        json_free(item), item = fail(p, "out of memory");
    if (item)
        arr->u.arr.items[arr->u.arr.len++] = item;
    return item != NULL;
}

/* Parses one "key": value member into obj. */
static bool parse_member(parser *p, json_value *obj)
{
    bytes key = {0};
    skip_ws(p);
    if (peek(p) != '"')
        return fail(p, "expected a string key"), false;
    if (!string_body(p, &key))
        return free(key.s), false;
    skip_ws(p);
    json_value *val = peek(p) == ':' ? (p->pos++, parse_value(p))
                                     : fail(p, "expected ':' after key");
    if (val && !grow((void **)&obj->u.obj.pairs, &obj->u.obj.cap, obj->u.obj.len,
                     sizeof(json_pair)))
        json_free(val), val = fail(p, "out of memory");
    if (!val)
        return free(key.s), false;
    obj->u.obj.pairs[obj->u.obj.len++] = (json_pair){key.s, key.len, val};
    return true;
}

/* Parses the comma-separated items (close is ']') or members (close is
 * '}') of v up to the closing bracket; p->pos is just past the opening one. */
static json_value *parse_elements(parser *p, json_value *v, int close)
{
    skip_ws(p);
    if (peek(p) == close)
        return p->pos++, v;
    for (;;) {
        if (!(close == ']' ? parse_item(p, v) : parse_member(p, v)))
            return NULL;
        skip_ws(p);
        int c = peek(p);
        p->pos += c == ',' || c == close;
        if (c == close)
            return v;
        if (c != ',')
            return fail(p, close == ']' ? "expected ',' or ']'" : "expected ',' or '}'");
    }
}

/* Parses an array or object, counting its depth. On failure the
 * half-built container is freed here, items included. */
static json_value *parse_container(parser *p, int open)
{
    if (p->depth >= JSON_MAX_DEPTH)
        return fail(p, "nesting too deep");
    json_value *v = new_value(p, open == '[' ? JSON_ARRAY : JSON_OBJECT);
    if (!v)
        return NULL;
    p->pos++;
    p->depth++;
    json_value *done = parse_elements(p, v, open == '[' ? ']' : '}');
    p->depth--;
    if (!done)
        json_free(v);
    return done;
}

/* Parses true, false or null. */
static json_value *parse_literal(parser *p)
{
    static const char *const words[] = {"true", "false", "null"};
    for (int k = 0; k < 3; k++) {
        size_t n = strlen(words[k]);
        if (p->len - p->pos >= n && !memcmp(p->s + p->pos, words[k], n)) {
            json_value *v = new_value(p, k == 2 ? JSON_NULL : JSON_BOOL);
            if (v) {
                v->u.b = k == 0;
                p->pos += n;
            }
            return v;
        }
    }
    return fail(p, "unexpected character");
}

static json_value *parse_value(parser *p)
{
    skip_ws(p);
    int c = peek(p);
    if (c < 0)
        return fail(p, "unexpected end of input");
    if (c == '[' || c == '{')
        return parse_container(p, c);
    if (c == '"')
        return parse_string(p);
    if (c == '-' || (c >= '0' && c <= '9'))
        return parse_number(p);
    return parse_literal(p);
}

json_value *json_parse(const char *text, size_t len, char *err, size_t errlen)
{
    parser p = {text, len, 0, 0, err, errlen};
    json_value *v = parse_value(&p);
    if (!v)
        return NULL;
    skip_ws(&p);
    if (p.pos < p.len) {
        json_free(v);
        return fail(&p, "extra data after the value");
    }
    return v;
}

/* ---- freeing and accessors ---- */

void json_free(json_value *v)
{
    if (!v)
        return;
    switch (v->kind) {
    case JSON_STRING:
        free(v->u.str.s);
        break;
    case JSON_ARRAY:
        for (size_t k = 0; k < v->u.arr.len; k++)
            json_free(v->u.arr.items[k]);
        free(v->u.arr.items);
        break;
    case JSON_OBJECT:
        for (size_t k = 0; k < v->u.obj.len; k++)
            free(v->u.obj.pairs[k].key), json_free(v->u.obj.pairs[k].val);
        free(v->u.obj.pairs);
        break;
    default:
        break;
    }
    free(v);
}

json_kind json_kind_of(const json_value *v) { return v ? v->kind : JSON_NULL; }

static bool is(const json_value *v, json_kind kind) { return v && v->kind == kind; }

size_t json_len(const json_value *v)
{
    return is(v, JSON_ARRAY) ? v->u.arr.len : is(v, JSON_OBJECT) ? v->u.obj.len : 0;
}

const json_value *json_item(const json_value *v, size_t i)
{
    return is(v, JSON_ARRAY) && i < v->u.arr.len ? v->u.arr.items[i] : NULL;
}

const char *json_key(const json_value *v, size_t i, size_t *keylen)
{
    if (!is(v, JSON_OBJECT) || i >= v->u.obj.len)
        return NULL;
    if (keylen)
        *keylen = v->u.obj.pairs[i].keylen;
    return v->u.obj.pairs[i].key;
}

const json_value *json_member(const json_value *v, size_t i)
{
    return is(v, JSON_OBJECT) && i < v->u.obj.len ? v->u.obj.pairs[i].val : NULL;
}

const json_value *json_getn(const json_value *obj, const char *key, size_t keylen)
{
    /* Searching backwards makes the last duplicate win, as in Python. */
    for (size_t k = json_len(obj); is(obj, JSON_OBJECT) && k-- > 0;) {
        const json_pair *m = &obj->u.obj.pairs[k];
        if (m->keylen == keylen && !memcmp(m->key, key, keylen))
            return m->val;
    }
    return NULL;
}

const json_value *json_get(const json_value *obj, const char *key)
{
    return json_getn(obj, key, strlen(key));
}

bool json_bool(const json_value *v, bool *out)
{
    return is(v, JSON_BOOL) ? (*out = v->u.b, true) : false;
}

bool json_int(const json_value *v, int64_t *out)
{
    return is(v, JSON_INT) ? (*out = v->u.i, true) : false;
}

bool json_float(const json_value *v, double *out)
{
    return is(v, JSON_FLOAT) ? (*out = v->u.f, true) : false;
}

const char *json_string(const json_value *v, size_t *len)
{
    if (is(v, JSON_STRING) && len)
        *len = v->u.str.len;
    return is(v, JSON_STRING) ? v->u.str.s : NULL;
}
