/*
 * parse.h - net.cfg text to statements with source spans (prefix: parse_).
 *
 * The parser knows the grammar, not the layers: it asks `is_layer` whether a
 * name followed by a lone '(' opens a multi-line call or a container.
 */
#ifndef PROBE_PARSE_H
#define PROBE_PARSE_H

#include "cfg/lex.h"
#include "base/util.h"

typedef enum value_kind {
    VAL_INT, VAL_FLOAT, VAL_BOOL, VAL_NONE, VAL_STR, VAL_WORD,
    VAL_TUPLE, VAL_LIST, VAL_QUESTION,
    VAL_CALL                    /* a layer written as an argument: Sequential(nn.ReLU()) */
} value_kind;

/* An argument value. `span` covers all of it: for `16 * 5 * 5`, the whole
 * expression, whose value is already computed into `i`. */
typedef struct value {
    value_kind kind;
    src_span span;
    bool computed;              /* an arithmetic expression, not a literal */
    int64_t i;                  /* VAL_INT, VAL_BOOL (0/1) */
    double f;                   /* VAL_FLOAT */
    const char *s;              /* VAL_STR, VAL_WORD */
    struct value *items;        /* VAL_TUPLE, VAL_LIST */
    struct stmt *call;          /* VAL_CALL */
    int n;
} value;

typedef struct arg {
    const char *key;            /* NULL for a positional argument */
    src_span key_span;
    value val;
} arg;

typedef enum stmt_kind { STMT_LAYER, STMT_OPEN, STMT_CLOSE, STMT_INPUT } stmt_kind;

typedef struct stmt {
    stmt_kind kind;
    src_span span;              /* from the name to the closing ')' */
    src_span name_span;         /* the name as written, prefixes included */
    const char *label;          /* "(0)", "conv1"... or NULL */
    src_span label_span;        /* where the label is written (off, end) */
    const char *name;           /* without torch./nn. */
    arg *args;
    int nargs;
    int64_t input[4];           /* STMT_INPUT: C and the sizes (L; H, W; D, H, W) */
    int input_rank;             /* STMT_INPUT: how many sizes, 1 to 3 */
    src_span input_span;
} stmt;

typedef bool (*parse_is_layer_fn)(const char *name, void *ud);
/* Takes one statement, in file order; false when out of memory. */
typedef bool (*parse_stmt_fn)(const stmt *st, void *ud);

typedef struct parse_hooks {
    parse_is_layer_fn is_layer;
    parse_stmt_fn on_stmt;
    void *ud;                   /* passed to both */
} parse_hooks;

typedef struct parse_result {
    stmt *stmts;                /* parse_text only: arena-owned */
    size_t n;
    int unclosed;               /* containers closed by the end of the file */
    src_span unclosed_at;       /* the outermost of them */
} parse_result;

/* The largest text parse_text reads; lines and columns are counted in 32
 * bits. Beyond it the text is refused unread, so it need not be copied. */
#define PARSE_MAX_TEXT ((size_t)256 << 20)

/*
 * Parses the whole text, handing each statement to hooks->on_stmt as soon
 * as it is read. Names and strings are interned in `ar` and outlive the
 * parse; a statement's arguments, label and nested calls live in `scratch`,
 * which is reset before the next statement (unless it is `ar`): a net of a
 * million layers needs memory for one statement, not for all of them.
 * Returns false with *err filled at the first syntax error.
 */
bool parse_stream(arena *ar, arena *scratch, const char *text, size_t len, const parse_hooks *hooks,
                  parse_result *out, diag *err);

/*
 * Parses the whole text into out->stmts. Statements and strings live in
 * `ar`. Returns false with *err filled at the first syntax error.
 */
bool parse_text(arena *ar, const char *text, size_t len,
                parse_is_layer_fn is_layer, void *ud,
                parse_result *out, diag *err);


/* Parses one value on its own (a schema's default). */
bool parse_value_text(arena *ar, const char *text, size_t len, value *out, diag *err);
#endif
