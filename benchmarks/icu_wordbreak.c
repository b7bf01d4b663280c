/*
 * icu_wordbreak: the raw-ICU peer for Hashi's evaluation and benchmarks.
 *
 * Reads UTF-8 text line by line (from the files named on the command line, or
 * from stdin when there are none or a name is "-"), segments each line with
 * ICU's word break iterator (UBRK_WORD, locale "ja"), and prints the segments
 * that are not whitespace separated by single spaces: one output line per input
 * line, in the style of `mecab -Owakati`. Whitespace is never part of a token.
 * Lines may be of any length. One break iterator is reused for every line.
 *
 * Build:
 *   gcc -O2 -o icu_wordbreak icu_wordbreak.c $(pkg-config --cflags --libs icu-uc icu-i18n)
 *
 * Exit status: 0 on success, 1 on an ICU, input or output error (with a message
 * on stderr naming the file and line).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utypes.h>

static const char *prog = "icu_wordbreak";

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "%s: out of memory (%zu bytes)\n", prog, n);
        exit(1);
    }
    return q;
}

/* Whitespace as Unicode White_Space, plus U+001C..U+001F, which Python's
 * str.isspace()/str.split() (used by scripts/evaluate.py) also treat as space. */
static int is_space(UChar32 c) {
    return u_isUWhiteSpace(c) || (c >= 0x1C && c <= 0x1F);
}

/* Growable buffers, kept across lines. */
static UChar *u16 = NULL;  static size_t u16_cap = 0;   /* the line in UTF-16 */
static UChar *o16 = NULL;  static size_t o16_cap = 0;   /* output line in UTF-16 */
static char  *o8  = NULL;  static size_t o8_cap  = 0;   /* output line in UTF-8 */

static void segment_line(UBreakIterator *bi, const char *line, size_t len,
                         const char *fname, long lineno) {
    UErrorCode st = U_ZERO_ERROR;
    int32_t n16 = 0;

    if (len > (size_t)INT32_MAX - 1)
        die("%s:%ld: line too long for ICU (over 2 GB)", fname, lineno);
    /* UTF-16 never needs more code units than UTF-8 has bytes. */
    if (u16_cap < len + 1) {
        u16_cap = len + 1 + len / 2;
        u16 = xrealloc(u16, u16_cap * sizeof(UChar));
    }
    u_strFromUTF8(u16, (int32_t)u16_cap, &n16, line, (int32_t)len, &st);
    if (U_FAILURE(st))
        die("%s:%ld: cannot convert from UTF-8: %s", fname, lineno, u_errorName(st));

    ubrk_setText(bi, u16, n16, &st);
    if (U_FAILURE(st))
        die("%s:%ld: ubrk_setText failed: %s", fname, lineno, u_errorName(st));

    /* Output has at most one separator per input code unit. */
    if (o16_cap < 2 * (size_t)n16 + 1) {
        o16_cap = 2 * (size_t)n16 + 1 + (size_t)n16 / 2;
        o16 = xrealloc(o16, o16_cap * sizeof(UChar));
    }
    int32_t out = 0, i = 0;
    int pending_sep = 0;
    int32_t next = ubrk_first(bi);
    while (i < n16) {
        while (next != UBRK_DONE && next <= i) {
            if (next == i && out > 0)
                pending_sep = 1;
            next = ubrk_next(bi);
        }
        int32_t start = i;
        UChar32 c;
        U16_NEXT(u16, i, n16, c);
        if (is_space(c)) {
            if (out > 0)
                pending_sep = 1;
            continue;
        }
        if (pending_sep) {
            o16[out++] = 0x20;
            pending_sep = 0;
        }
        while (start < i)
            o16[out++] = u16[start++];
    }

    int32_t n8 = 0;
    st = U_ZERO_ERROR;
    if (o8_cap < 3 * (size_t)out + 2) {
        o8_cap = 3 * (size_t)out + 2 + (size_t)out;
        o8 = xrealloc(o8, o8_cap);
    }
    u_strToUTF8(o8, (int32_t)(o8_cap - 1), &n8, o16, out, &st);
    if (U_FAILURE(st))
        die("%s:%ld: cannot convert to UTF-8: %s", fname, lineno, u_errorName(st));
    o8[n8++] = '\n';
    if (fwrite(o8, 1, (size_t)n8, stdout) != (size_t)n8)
        die("writing output: %s", strerror(errno));
}

static void process(UBreakIterator *bi, FILE *in, const char *fname) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    long lineno = 0;
    while ((got = getline(&line, &cap, in)) != -1) {
        size_t len = (size_t)got;
        lineno++;
        if (len && line[len - 1] == '\n')
            len--;
        if (len && line[len - 1] == '\r')
            len--;
        segment_line(bi, line, len, fname, lineno);
    }
    if (ferror(in))
        die("%s: read error after line %ld: %s", fname, lineno, strerror(errno));
    free(line);
}

int main(int argc, char **argv) {
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        printf("usage: %s [FILE|-]...\n"
               "Segment UTF-8 text line by line with ICU's word break iterator (locale ja);\n"
               "print non-whitespace segments separated by spaces, one line per input line.\n",
               prog);
        return 0;
    }
    static char obuf[1 << 16];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);

    UErrorCode st = U_ZERO_ERROR;
    static const UChar empty[1] = {0};
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "ja", empty, 0, &st);
    if (U_FAILURE(st))
        die("ubrk_open(UBRK_WORD, \"ja\") failed: %s", u_errorName(st));

    if (argc < 2) {
        process(bi, stdin, "<stdin>");
    } else {
        for (int k = 1; k < argc; k++) {
            if (!strcmp(argv[k], "-")) {
                process(bi, stdin, "<stdin>");
                continue;
            }
            FILE *f = fopen(argv[k], "rb");
            if (!f)
                die("cannot open %s: %s", argv[k], strerror(errno));
            process(bi, f, argv[k]);
            fclose(f);
        }
    }
    ubrk_close(bi);
    if (fflush(stdout) != 0 || ferror(stdout))
        die("writing output: %s", strerror(errno));
    free(u16);
    free(o16);
    free(o8);
    return 0;
}
