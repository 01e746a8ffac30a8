/* report_svg_text.c - text in the SVG pictures (svg.h): escaping what
 * comes from the user's file or an error message so that any bytes at
 * all make well-formed XML, and wrapping a long message into lines. */
#include "report/svg.h"

#include <string.h>

/* The length of the character at p (of the n bytes left) that XML may
 * hold as it is; 0 for one to replace: a control byte, bytes that are not
 * UTF-8, U+FFFE and U+FFFF (not XML characters). *skip: how many bytes
 * the replaced one covers. */
static size_t xml_char(const unsigned char *p, size_t n, size_t *skip)
{
    *skip = 1;
    if (*p < 0x80) return *p >= 0x20 && *p != 0x7F ? 1 : 0;
    size_t len = util_utf8_len((const char *)p, n);
    if (!len) return 0;
    *skip = len;
    if (len == 3 && p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) return 0;
    return len;
}

static size_t count_chars(const char *s, size_t n)
{
    size_t cps = 0, skip;
    for (size_t i = 0; i < n; i += skip, cps++) xml_char((const unsigned char *)s + i, n - i, &skip);
    return cps;
}

void svg_put_text(sb *out, const char *s, size_t n, size_t max)
{
    bool cut = max && count_chars(s, n) > max;
    size_t cps = 0, skip;
    for (size_t i = 0; i < n; i += skip, cps++) {
        if (cut && cps == max - 1) {
            sb_puts(out, "\xe2\x80\xa6");   /* … */
            return;
        }
        const unsigned char *p = (const unsigned char *)s + i;
        size_t len = xml_char(p, n - i, &skip);
        if (!len) {
            sb_puts(out, *p == '\t' || *p == '\n' || *p == '\r' ? " " : "\xEF\xBF\xBD");
            continue;
        }
        switch (*p) {
        case '&': sb_puts(out, "&amp;"); break;
        case '<': sb_puts(out, "&lt;"); break;
        case '>': sb_puts(out, "&gt;"); break;
        case '"': sb_puts(out, "&quot;"); break;
        case '\'': sb_puts(out, "&#39;"); break;
        default: sb_putn(out, (const char *)p, len);
        }
    }
}

void svg_put_str(sb *out, const char *s, size_t max) { svg_put_text(out, s, s ? strlen(s) : 0, max); }

void svg_open(sb *out, int width, int height, const char *title, const char *desc)
{
    sb_printf(out,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" "
              "viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"title desc\" "
              "font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" font-size=\"11\">\n",
              width, height, width, height);
    sb_printf(out, "<title id=\"title\">%s</title>\n<desc id=\"desc\">%s</desc>\n", title, desc);
    sb_printf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", width, height);
}

/* The end of the line that starts at s[i] and holds at most cols
 * characters: at its last blank when it has one and the text goes on. */
static size_t line_end(const char *s, size_t n, size_t i, size_t cols, size_t *next)
{
    size_t j = i, cps = 0, blank = 0, skip;
    while (j < n && cps < cols) {
        if (s[j] == ' ') blank = j;
        xml_char((const unsigned char *)s + j, n - j, &skip);
        j += skip;
        cps++;
    }
    if (j < n && blank > i) {
        *next = blank + 1;
        return blank;
    }
    *next = j;
    return j;
}

int svg_put_wrapped(sb *out, const char *s, int x, int dy, size_t cols, int max_lines)
{
    size_t n = s ? strlen(s) : 0, i = 0;
    int lines = 0;
    while (i < n && lines < max_lines) {
        while (i < n && s[i] == ' ') i++;
        if (i >= n) break;
        size_t next, end = line_end(s, n, i, cols, &next);
        if (out) {
            sb_printf(out, "<tspan x=\"%d\" dy=\"%d\">", x, lines ? dy : 0);
            bool last = lines == max_lines - 1 && next < n;
            svg_put_text(out, s + i, last ? n - i : end - i, last ? cols : 0);
            sb_puts(out, "</tspan>");
        }
        lines++;
        i = next;
    }
    return lines;
}
