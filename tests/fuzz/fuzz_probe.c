/*
 * fuzz_probe.c - libFuzzer target: the whole probe on a net.cfg and a size.
 *
 * The first 4 bytes choose the options, the rest is the net.cfg:
 *   byte 0, 1  H and W: 0..127 as they are (0: take the input: line), or
 *              with the top bit set one of the sizes near the limits below
 *   byte 2     bit 0 strict, bit 1 explain, bit 2 color, bits 3-4 channels
 *              (0: the input line or first layer, 1, 3, a huge one), bit 5
 *              the formula (probe_formula_new and its reports)
 *   byte 3     which side probe_accepts keeps fixed (bits 0-1) and the
 *              upper end of its range (bits 2-7)
 * Every report is made and freed (the picture too), also those of
 * probe_check, probe_accepts, probe_trick, probe_formula and probe_fix_text,
 * so that ASan sees them all; those that can be written in pieces are, and
 * must come out the same.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_model.c includes this file with "fuzz.py": the same run of every
 * answer, on the Python front end */
#ifndef FUZZ_NET_NAME
#define FUZZ_NET_NAME "fuzz.cfg"
#endif

static probe_registry *registry(void)
{
    static probe_registry *reg;
    if (!reg && !(reg = probe_registry_new())) abort();
    return reg;
}

/* Sizes that make products and formulas overflow int64 if unchecked. */
static const int64_t big[8] = {
    4096, 65536, INT32_MAX, (int64_t)INT32_MAX + 1, 3037000500, INT64_MAX / 2, INT64_MAX - 1, INT64_MAX,
};

static int64_t side(uint8_t b) { return b & 0x80 ? big[b & 7] : b; }

/* Frees a report; NULL is what out of memory gives, and nothing here is big. */
static void consume(char *text)
{
    if (!text) abort();
    free(text);
}

typedef struct pieces {
    char *buf;
    size_t len;
} pieces;

static int gather(void *ud, const char *bytes, size_t n)
{
    pieces *p = ud;
    char *grown = realloc(p->buf, p->len + n + 1);
    if (!grown) abort();
    p->buf = grown;
    memcpy(p->buf + p->len, bytes, n);
    p->len += n;
    p->buf[p->len] = '\0';
    return 0;
}

/* A report written in pieces must be the report made whole. */
static void same_in_pieces(const probe_result *res, probe_report which, char *whole)
{
    if (!whole) abort();
    pieces p = { NULL, 0 };
    if (probe_result_write(res, which, gather, &p) != 0) abort();
    if (p.len != strlen(whole) || (p.len && memcmp(p.buf, whole, p.len))) abort();
    free(p.buf);
    free(whole);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4) return 0;
    static const int64_t channels[4] = { 0, 1, 3, INT64_MAX / 4 };
    probe_options opt = probe_options_default();
    opt.h = side(data[0]);
    opt.w = side(data[1]);
    opt.strict = data[2] & 1;
    opt.explain = (data[2] >> 1) & 1;
    opt.color = (data[2] >> 2) & 1;
    opt.channels = channels[(data[2] >> 3) & 3];
    int fixed = data[3] & 3;
    int64_t hi = 1 + (data[3] >> 2);   /* 1..64 */

    /* the net takes a buffer of exactly the text, no NUL after it: a read
     * past its end is an ASan error */
    char *text = malloc(size - 4 ? size - 4 : 1);
    if (!text) abort();
    memcpy(text, data + 4, size - 4);
    probe_net *net = probe_net_adopt(registry(), FUZZ_NET_NAME, text, size - 4);
    if (!net) abort();

    probe_result *res = probe_run(net, &opt);
    if (!res) abort();
    (void)probe_result_status(res);
    (void)probe_result_in_features(res);
    int64_t dims[4];
    (void)probe_result_input(res, dims);
    for (size_t i = 0; i < probe_result_error_count(res); i++) {
        probe_error_info e = probe_result_error(res, i);
        if (!e.message) abort();
    }
    same_in_pieces(res, PROBE_REPORT_JSON, probe_result_json(res));
    same_in_pieces(res, PROBE_REPORT_TABLE, probe_result_table(res));
    same_in_pieces(res, PROBE_REPORT_SUMMARY, probe_result_summary(res));
    same_in_pieces(res, PROBE_REPORT_EXPLAIN, probe_result_explain(res));
    consume(probe_result_diagnostics(res));
    consume(probe_result_verdict(res));
    consume(probe_result_svg(res));

    char *fixed_text = NULL, *why = NULL;
    size_t fixed_len = 0;
    const probe_result *runs[1] = { res };
    if (probe_fix_text(runs, 1, &fixed_text, &fixed_len, &why) < 0) abort();
    free(fixed_text);
    free(why);
    probe_result_free(res);

    consume(probe_trick(net, &opt));

    /* the formula makes hundreds of runs: one input in two asks for it */
    if ((data[2] >> 5) & 1) {
        probe_formula *f = probe_formula_new(net, &opt);
        if (!f) abort();
        consume(probe_formula_text(f));
        consume(probe_formula_json(f));
        int64_t at[3] = { 32, 224, 17 }, v;   /* as many sizes as a 3-D net reads */
        (void)probe_formula_in_features(f, at, &v);
        (void)probe_formula_why(f);
        (void)probe_formula_result(f);
        probe_formula_free(f);
    }

    static const int64_t sizes[] = { 1, 2, 7, 32, 224 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        probe_options o = opt;
        o.h = o.w = sizes[i];
        int64_t in_features;
        (void)probe_check(net, &o, &in_features);
    }

    probe_accepts_info acc;
    memset(&acc, 0, sizeof acc);
    int64_t fh = fixed == 1 ? 16 : 0, fw = fixed == 2 ? 16 : 0;
    if (probe_accepts(net, &opt, 1, hi, fh, fw, &acc) != 0) abort();
    probe_accepts_free(&acc);

    probe_net_free(net);
    return 0;
}
