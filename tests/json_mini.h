/* json_mini.h - a small, strict JSON reader (C11, no dependencies).
 *
 * Written for the tests: it reads the corpus verdicts and probe's --json
 * output, so it only needs to read, never to write. It accepts exactly
 * RFC 8259 JSON (no comments, no trailing commas, no NaN/Infinity, valid
 * UTF-8 only) with two deliberate limits:
 *   - integers without fraction or exponent must fit in int64_t; larger
 *     ones are refused rather than silently rounded;
 *   - nesting deeper than JSON_MAX_DEPTH is refused, so hostile input
 *     cannot overflow the stack.
 * Like Python's json module, a lone \uD800-style surrogate escape is kept
 * (encoded as its three-byte form) and a duplicated object key is allowed;
 * json_get() then returns the last one, as a Python dict would.
 *
 * Ownership (sds style): json_parse() returns a tree the caller owns and
 * releases with one json_free(). Every other function only borrows: the
 * pointers it returns (values, keys, strings) point into the tree and stay
 * valid until that json_free(). Accessors accept NULL and wrong kinds, so
 * lookups can be chained without checks: json_get(json_get(v, "a"), "b").
 */
#ifndef JSON_MINI_H
#define JSON_MINI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 512

typedef enum {
    JSON_NULL,
    JSON_BOOL,
    JSON_INT,    /* a number without fraction or exponent */
    JSON_FLOAT,  /* a number with a fraction and/or an exponent */
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
} json_kind;

typedef struct json_value json_value;

/* Parses text[0..len) (it need not be NUL-terminated) as one JSON value,
 * optionally surrounded by whitespace. Returns a tree owned by the caller,
 * or NULL with a message "offset N: ..." in err (if err is not NULL). */
json_value *json_parse(const char *text, size_t len, char *err, size_t errlen);

/* Frees a tree returned by json_parse(). NULL is a no-op. */
void json_free(json_value *v);

/* The kind of v. NULL (e.g. a missing member) reports JSON_NULL, which
 * is what a dict.get() default of None means to the corpus checker. */
json_kind json_kind_of(const json_value *v);

/* Number of items of an array or members of an object; 0 otherwise. */
size_t json_len(const json_value *v);

/* Item i of an array, or NULL if v is not an array or i is out of range. */
const json_value *json_item(const json_value *v, size_t i);

/* Key of member i of an object (NUL-terminated; *keylen gets its length
 * if keylen is not NULL), or NULL if v is not an object or i is out of range. */
const char *json_key(const json_value *v, size_t i, size_t *keylen);

/* Value of member i of an object, or NULL. */
const json_value *json_member(const json_value *v, size_t i);

/* The value of key in object obj (the last one if the key repeats), or
 * NULL if obj is not an object or has no such key. json_getn() takes a
 * key of known length, which may contain NUL bytes. */
const json_value *json_get(const json_value *obj, const char *key);
const json_value *json_getn(const json_value *obj, const char *key, size_t keylen);

/* Scalar accessors: true and *out set if v has that kind, else false. */
bool json_bool(const json_value *v, bool *out);
bool json_int(const json_value *v, int64_t *out);
bool json_float(const json_value *v, double *out);

/* The bytes of a string (NUL-terminated; may contain NUL bytes; valid
 * UTF-8 except for escaped lone surrogates, see above; *len gets its
 * length if len is not NULL), or NULL if v is not a string. */
const char *json_string(const json_value *v, size_t *len);

/* True if s[0..len) is valid UTF-8 (no overlongs, no surrogates, nothing
 * above U+10FFFF): the check a strict decoder such as Python's applies. */
bool json_utf8_valid(const char *s, size_t len);

#endif
