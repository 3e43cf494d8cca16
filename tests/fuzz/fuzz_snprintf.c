/* fuzz_snprintf.c - libFuzzer target: probes/dpi_snprintf.c's __snprintf_chk against glibc's
 * __vsnprintf_chk, on formats built from the input.
 *
 * The input gives the buffer size and two numbers, then spells a format of up to four
 * conversions between literal bytes. Conversions alternate between a string slot and a number slot,
 * so the arguments always match their conversions (C11 7.21.6.1p9): the 1st and 3rd take a string,
 * the 2nd and 4th an unsigned int. Each slot's conversion is drawn from the subset the fast path
 * formats (s; u, x, X with a 0 flag and width) and from its neighbours that glibc must get back
 * (%-5s, %.2s, %d,
 * %#x, %.3u, widths of 64 and more). Output bytes, the untouched rest of the buffer and the return
 * value must agree. */
#include "probe/dpi_snprintf.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int __snprintf_chk(char *restrict s, size_t maxlen, int flag, size_t slen, const char *restrict fmt,
                   ...);
int __vsnprintf_chk(char *restrict s, size_t maxlen, int flag, size_t slen,
                    const char *restrict fmt, va_list ap);

#define BUF 256

static const char *const str_convs[] = {"%s", "%3s", "%12s", "%-5s", "%.2s", "%63s", "%64s"};
static const char *const num_convs[] = {"%u",   "%x",   "%X",    "%02x", "%02X", "%04X",
                                        "%8u",  "%00u", "%010x", "%d",   "%#x",  "%-3u",
                                        "%.3u", "%63u", "%64u",  "%0u"};

static int libc_fmt(char *s, size_t maxlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = __vsnprintf_chk(s, maxlen, 1, BUF, fmt, ap);
    va_end(ap);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Not glibc against itself: the fast path must be what __snprintf_chk calls. */
    if (!probe_dpi_snprintf_in_use()) __builtin_trap();
    if (size < 5) return 0;
    size_t maxlen = data[0] % (BUF / 2);
    /* Small numbers too, so that padding and zero-filling are reached. */
    unsigned u1 = (unsigned)data[1] << (data[2] % 25);
    unsigned u3 = (unsigned)data[3] * 0x01010101u >> (data[4] % 32);
    const char *s0 = "-", *s2 = size % 3 ? "TLSv1.3" : "";
    char fmt[128];
    size_t n = 0;
    unsigned slot = 0;
    for (size_t i = 5; i < size && n < sizeof fmt - 8; i++) {
        uint8_t b = data[i];
        if (b >= 0xf0 && slot < 4) { /* a conversion for the next slot */
            const char *c = slot % 2
                                ? num_convs[(b & 0x0f) % (sizeof num_convs / sizeof *num_convs)]
                                : str_convs[(b & 0x0f) % (sizeof str_convs / sizeof *str_convs)];
            size_t l = strlen(c);
            memcpy(fmt + n, c, l);
            n += l;
            slot++;
        } else if (b == '%') {
            memcpy(fmt + n, "%%", 2);
            n += 2;
        } else if (b) {
            fmt[n++] = (char)b;
        }
    }
    fmt[n] = '\0';

    char a[BUF], b[BUF];
    memset(a, 0x5a, BUF);
    memset(b, 0x5a, BUF);
    int ra = __snprintf_chk(a, maxlen, 1, BUF, fmt, s0, u1, s2, u3);
    int rb = libc_fmt(b, maxlen, fmt, s0, u1, s2, u3);
    if (ra != rb || memcmp(a, b, BUF)) __builtin_trap();
    return 0;
}
