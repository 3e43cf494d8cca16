/* dpi_snprintf.c - a fast path for the fortified snprintf that nDPI formats its fingerprints
 * with.
 *
 * nDPI 4.2 builds each TLS JA3 string one number at a time ("%s%u" per cipher, extension and
 * curve) and then prints the MD5 digests a byte at a time ("%02x", "%02X"): about 85,000 calls
 * per pass over ndpi-mix, each about 800 instructions inside glibc's vfprintf, which sets up a
 * FILE, a locale and a jump table for every call. That was 14% of the one-thread packet path
 * (perf/RESULTS.md). Debian builds libndpi with _FORTIFY_SOURCE, so those calls go through
 * libc's __snprintf_chk, by the PLT: the definition below preempts libc's for every library of
 * the process, as jemalloc's malloc preempts libc's (probes/CMakeLists.txt makes the linker
 * keep it). It formats a small subset itself, exactly as C11 7.21.6.1 and glibc do: plain
 * characters, %%, and %s, %u, %x and %X with an optional 0 flag and width. Anything else (any
 * other conversion, flag, precision or length, a NULL string, a result over INT_MAX) and the
 * fortify check itself go to glibc's own __vsnprintf_chk, unchanged. tests/unit/test_snprintf.c
 * compares the two on every format nDPI uses and on the whole subset; fuzz_snprintf does so on
 * random formats and arguments. */
#include "probe/dpi_snprintf.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

int __snprintf_chk(char *restrict s, size_t maxlen, int flag, size_t slen, const char *restrict fmt,
                   ...);
int __vsnprintf_chk(char *restrict s, size_t maxlen, int flag, size_t slen,
                    const char *restrict fmt, va_list ap);

#define FMT_WIDTH_MAX 64 /* wider fields are left to glibc */

/* Output so far: bytes beyond maxlen - 1 are counted, not written. Byte by byte: the strings
 * and numbers nDPI prints are a few characters long, shorter than a call to memcpy costs. */
typedef struct {
    char *s;
    size_t maxlen;
    size_t len;
} fmt_out;

static inline void fmt_putc(fmt_out *o, char c)
{
    if (o->len + 1 < o->maxlen) o->s[o->len] = c;
    o->len++;
}

/* One conversion of the subset: width and the 0 flag, then s, u, x or X. */
typedef struct {
    char conv;
    bool zero;
    unsigned width;
} fmt_spec;

/* Parses the conversion after a '%'; returns its length, or 0 when it is outside the subset. */
static inline size_t fmt_spec_parse(const char *p, fmt_spec *sp)
{
    const char *q = p;
    sp->zero = *q == '0';
    if (sp->zero) q++;
    sp->width = 0;
    while (*q >= '0' && *q <= '9') {
        sp->width = sp->width * 10 + (unsigned)(*q++ - '0');
        if (sp->width >= FMT_WIDTH_MAX) return 0;
    }
    sp->conv = *q;
    if (sp->conv != 's' && sp->conv != 'u' && sp->conv != 'x' && sp->conv != 'X') return 0;
    if (sp->conv == 's' && sp->zero) return 0; /* undefined in C: glibc decides */
    return (size_t)(q - p) + 1;
}

/* Writes v's digits into the end of buf[16]; returns where they start. */
static inline const char *fmt_number(char *end, unsigned v, char conv)
{
    static const char lower[] = "0123456789abcdef", upper[] = "0123456789ABCDEF";
    const char *digits = conv == 'X' ? upper : lower;
    unsigned base = conv == 'u' ? 10 : 16;
    char *p = end;
    do {
        *--p = digits[v % base];
        v /= base;
    } while (v);
    return p;
}

/* Formats one conversion; false on a NULL string, which glibc prints its own way. */
static inline bool fmt_conv(fmt_out *o, const fmt_spec *sp, va_list *ap)
{
    char num[16];
    const char *p, *end;
    if (sp->conv == 's') {
        if (!(p = va_arg(*ap, const char *))) return false;
        end = p + strlen(p);
    } else {
        end = num + sizeof num;
        p = fmt_number(num + sizeof num, va_arg(*ap, unsigned), sp->conv);
    }
    for (size_t n = (size_t)(end - p); n < sp->width; n++)
        fmt_putc(o, sp->zero ? '0' : ' ');
    while (p < end)
        fmt_putc(o, *p++);
    return true;
}

/* One pass: false as soon as the format leaves the subset (the caller then starts over with
 * glibc, from a copy of the arguments). */
static bool fmt_run(fmt_out *o, const char *fmt, va_list *ap)
{
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            fmt_putc(o, *p);
            continue;
        }
        if (*++p == '%') {
            fmt_putc(o, '%');
            continue;
        }
        fmt_spec sp;
        size_t n = fmt_spec_parse(p, &sp);
        if (!n || !fmt_conv(o, &sp, ap)) return false;
        p += n - 1;
    }
    return o->len <= INT_MAX;
}

bool probe_dpi_snprintf_in_use(void)
{
    return dlsym(RTLD_DEFAULT, "__snprintf_chk") == (void *)__snprintf_chk;
}

int __snprintf_chk(char *restrict s, size_t maxlen, int flag, size_t slen, const char *restrict fmt,
                   ...)
{
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int rc;
    fmt_out o = {s, maxlen, 0};
    if (slen >= maxlen && fmt_run(&o, fmt, &ap)) {
        if (maxlen) s[o.len < maxlen ? o.len : maxlen - 1] = '\0';
        rc = (int)o.len;
    } else {
        rc = __vsnprintf_chk(s, maxlen, flag, slen, fmt, again);
    }
    va_end(again);
    va_end(ap);
    return rc;
}
