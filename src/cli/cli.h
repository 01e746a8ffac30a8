/*
 * cli.h - the probe command line (prefix: cli_). The only part of probe
 * that prints: results to standard output, diagnostics and errors to
 * standard error.
 */
#ifndef PROBE_CLI_H
#define PROBE_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "probe.h"

typedef enum cli_format { CLI_TEXT, CLI_JSON, CLI_GITHUB } cli_format;

/* One --hw: height and width; 0 stands for a '?' side (--min-hw). */
/* One --hw size: L, HxW or DxHxW (rank 1, 2, 3; the length is w); a
 * '?' side (--min-hw) is 0. */
typedef struct cli_size { int64_t d, h, w; int rank; } cli_size;


typedef struct cli {
    char **nets;            /* after glob expansion; owned */
    int nnets;
    cli_size *hws;          /* every --hw, in order; owned */
    int nhws, hws_cap;
    const char *question_hw;    /* the first --hw with a '?' side, as written */
    bool has_input;
    int64_t input[4];       /* --input: C and 1 to 3 sizes */
    int input_rank;
    bool strict, quiet, explain, trick, summary, min_hw, fix, diff, formula;
    bool sweep;
    int64_t sweep_lo, sweep_hi;
    cli_format format;
    bool color_out, color_err;
    const char **plugins;
    int nplugins;
    const char *model;      /* --model: which model of a .py file */
    const char *svg;        /* --svg FILE: where the picture goes ('-': standard output) */
    probe_exit stop;        /* why the parse stopped: help, version, usage */
} cli;

/* An input size as --hw writes it: "8000", "224x224", "16x112x112" (rank
 * 1, 2, 3); returns buf. */
const char *cli_size_text(char *buf, size_t cap, int rank, int64_t d, int64_t h, int64_t w);

/* The whole command line: parses argv, probes every net, prints; returns
 * the exit code. main() calls it, and so does the command-line fuzzer
 * (tests/fuzz/fuzz_cli.c), many times in one process: it keeps no state
 * between calls. */
int cli_main(int argc, char **argv);

/* Parses argv into *c (cli_free it either way). True to go on; false when
 * probe is to exit now with *code: after printing help or the version
 * (PROBE_EXIT_OK), or a usage error (PROBE_EXIT_INVALID). */
bool cli_parse_args(int argc, char **argv, cli *c, probe_exit *code);
void cli_free(cli *c);
/* Prints "probe: error: ..." and the hint to stderr; returns
 * PROBE_EXIT_INVALID. */
probe_exit cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The most of a net.cfg probe reads: the parser's limit, 256 MiB. */
#define CLI_READ_MAX ((size_t)256 << 20)

/* Reads a whole file ('-': standard input); NULL with errno set. More than
 * CLI_READ_MAX bytes are refused (EFBIG) as soon as they have come, so a
 * device or a stream without end costs no more than the limit. */
char *cli_read_file(const char *path, size_t *len);
/* Why a read failed, for "cannot read 'X': ...": strerror(err), but
 * EFBIG names the limit. */
const char *cli_read_why(int err);

/* Before --fix or --diff read `path`: PROBE_EXIT_OK when it is a regular file (after
 * links) or cannot be looked at (the read then says why); else prints why
 * not, naming the file and what to do, and returns 2. A FIFO is never
 * opened. '-' (standard input) passes: its fix is printed. */
probe_exit cli_fix_target_check(const cli *c, const char *path);

/* What a file that is not a regular one is, for a message ("a
 * directory", "a FIFO (named pipe)"); NULL for a regular file. */
const char *cli_file_kind(mode_t m);
/* How cli_replace_file failed (-1: an error in errno). */
enum { CLI_REPLACE_OWNER = 1, CLI_REPLACE_CHANGED = 2, CLI_REPLACE_NOMEM = 3 };
/* Replaces the file `real` (a resolved path: the temporary file goes in
 * the target's own directory, so that the rename is atomic and replaces
 * the target, not a link to it) with text[0, len): written to a temporary
 * file beside it, given `mode`, synced and renamed over it. `was`, when
 * not NULL, is the target as it was read: the new file keeps its owner
 * and group (else CLI_REPLACE_OWNER), and is not renamed over another file
 * put in its place since (CLI_REPLACE_CHANGED). Returns 0, or a failure
 * with errno set (cli_write.c); on any failure the target is left as it
 * was and no temporary file behind. */
int cli_replace_file(const char *real, const char *text, size_t len, mode_t mode, const struct stat *was);

/* Before anything runs: PROBE_EXIT_OK when --svg may write `path` ('-'
 * always); else prints why not (a directory, FIFO, device or socket, also
 * through a symbolic link; a file with other hard links; one of the nets
 * of c) and what to do, and returns 2. */
probe_exit cli_svg_check(const cli *c, const char *path);
/* Writes the picture svg (NULL: out of memory) to path: '-' is standard
 * output; a file is written whole beside its target (through a symbolic
 * link) and renamed over it, so that a failed write leaves it as it was.
 * Returns the exit code of the write (0 or 2, having said why). */
probe_exit cli_svg_write(const cli *c, const char *path, const char *svg);

/* --fix / --diff for one net over the results at every size. */
probe_exit cli_fix(const cli *c, const char *path, const char *text, size_t len,
                   const probe_result *const *results, size_t n);

/* --min-hw and --sweep for one net. */
probe_exit cli_min_hw(const cli *c, const probe_net *net, const probe_options *base);
probe_exit cli_sweep(const cli *c, const probe_net *net, const probe_options *base);
/* --formula for one net (cli_formula.c). */
probe_exit cli_formula(const cli *c, const probe_net *net, const probe_options *opt);

#endif
