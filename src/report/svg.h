/*
 * svg.h - what the two pictures share (prefix: svg_): the shape flow of a
 * run (report_svg.c) and the chart of a sweep (report_svg_chart.c). Both
 * are plain SVG 1.1: no script, no external font or image, a viewBox, a
 * <title> and a <desc>; every text that comes from the user's file or an
 * error message passes through svg_put_text().
 */
#ifndef PROBE_SVG_H
#define PROBE_SVG_H

#include "base/util.h"

/* The colours, chosen for contrast on white (text at least 4.5:1). */
#define SVG_INK "#1a1a1a"       /* text */
#define SVG_MUTED "#4d4d4d"     /* secondary text */
#define SVG_FAIL "#b3261e"      /* the error that stops the run */
#define SVG_FIXED "#7a4d00"     /* a repaired size */
#define SVG_JOIN "#6a3d9a"      /* a join and its edges */

/* s[0, n) as XML character data or an attribute value: & < > " '
 * escaped, a control byte or a byte that is not UTF-8 (and U+FFFE,
 * U+FFFF) replaced by U+FFFD, a tab or newline by a space. max > 0 cuts it
 * to max code points, the last of them an ellipsis. */
void svg_put_text(sb *out, const char *s, size_t n, size_t max);
/* A NUL-terminated string, as svg_put_text. */
void svg_put_str(sb *out, const char *s, size_t max);
/* The XML declaration and the <svg> element's start tag with its
 * viewBox, and its <title> and <desc> (already escaped by the caller:
 * the text of svg_put_text). */
void svg_open(sb *out, int width, int height, const char *title, const char *desc);
/* How many lines of at most `cols` code points s takes when wrapped at
 * blanks; puts each line as a <tspan> at x, `dy` apart, when out is not
 * NULL, at most max_lines of them (the last cut with an ellipsis). */
int svg_put_wrapped(sb *out, const char *s, int x, int dy, size_t cols, int max_lines);

#endif
