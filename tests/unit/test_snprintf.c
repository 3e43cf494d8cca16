/* test_snprintf.c - probes/dpi_snprintf.c's __snprintf_chk must be the one the process uses,
 * and must write exactly what glibc's own __vsnprintf_chk writes, and return the same, for every
 * format nDPI 4.2 formats its fingerprints with, for the rest of the subset it formats itself,
 * and for formats it hands back to glibc: at every buffer size, without touching a byte past
 * it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "probe/dpi_snprintf.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

int __snprintf_chk(char *restrict s, size_t maxlen, int flag, size_t slen, const char *restrict fmt,
                   ...);
int __vsnprintf_chk(char *restrict s, size_t maxlen, int flag, size_t slen,
                    const char *restrict fmt, va_list ap);

#define BUF 96

static int libc_fmt(char *s, size_t maxlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = __vsnprintf_chk(s, maxlen, 1, BUF, fmt, ap);
    va_end(ap);
    return rc;
}

/* Calls both with the same arguments at every size from 0 to past the result, each into a
 * buffer filled with a canary, and compares the whole buffers. */
#define SAME(fmt, ...)                                                                             \
    do {                                                                                           \
        for (size_t n = 0; n < 48; n++) {                                                          \
            char a[BUF], b[BUF];                                                                   \
            memset(a, 0x5a, BUF);                                                                  \
            memset(b, 0x5a, BUF);                                                                  \
            int ra = __snprintf_chk(a, n, 1, BUF, fmt, __VA_ARGS__);                               \
            int rb = libc_fmt(b, n, fmt, __VA_ARGS__);                                             \
            if (ra != rb || memcmp(a, b, BUF))                                                     \
                fail_msg("format \"%s\" at size %zu: %d '%.*s' vs glibc %d '%.*s'", fmt, n, ra,    \
                         (int)(n ? n : 1), a, rb, (int)(n ? n : 1), b);                            \
        }                                                                                          \
    } while (0)

static void t_in_use(void **state)
{
    (void)state;
    /* libndpi and every other library resolve the symbol to the executable's definition. */
    assert_ptr_equal(dlsym(RTLD_DEFAULT, "__snprintf_chk"), (void *)__snprintf_chk);
    assert_true(probe_dpi_snprintf_in_use());
    void *libc = dlsym(RTLD_NEXT, "__snprintf_chk");
    assert_non_null(libc);
    assert_ptr_not_equal(libc, (void *)__snprintf_chk);
}

static const unsigned values[] = {0,   1,      9,      10,      15,      16,      99,
                                  100, 255,    256,    4095,    4096,    65535,   65536,
                                  771, 0xc02b, 0x1301, 1000000, INT_MAX, UINT_MAX};

static void t_ndpi_formats(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        unsigned v = values[i];
        SAME("%s%u", "", v);
        SAME("%s%u", "-", v);
        SAME("%02x", v);
        SAME("%02X", v);
        SAME("%u,", v);
        SAME("%s%04X", "-", v);
        SAME("%s%04X", "", v);
    }
    SAME(",%s", "");
    SAME("%s", "TLSv1.2");
    SAME("%s%s", "a", "bc");
    SAME("%s%s=%s", ",", "key", "value");
    SAME("%s%s=%s", "", "", "");
}

static void t_subset(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        unsigned v = values[i];
        SAME("%u", v);
        SAME("%x", v);
        SAME("%X", v);
        SAME("%8u|", v);
        SAME("%08x|", v);
        SAME("%012X", v);
        SAME("%1u", v);
        SAME("%00u", v);
        SAME("%0u", v);
        SAME("[%u:%x:%X]", v, v, v);
        SAME("100%% %u%%", v);
    }
    SAME("%6s|%-6s|", "ab", "cd"); /* the second is glibc's */
    SAME("%6s|", "abcdefgh");
    SAME("plain text, no conversion%s", "");
    SAME("%%%s%%", "x");
    SAME("%63u", 7u);
}

/* Outside the subset: glibc formats them, so they must still come out right. */
static void t_handed_back(void **state)
{
    (void)state;
    SAME("%d", -5);
    SAME("%5.2f", 3.14159);
    SAME("%lu", 123456789012ul);
    SAME("%.3s", "abcdef");
    SAME("%-5u|", 42u);
    SAME("%#x", 255u);
    SAME("%64u", 7u);
    SAME("%c%c", 'o', 'k');
    SAME("%s", (const char *)NULL);
    SAME("%s%u", (const char *)NULL, 3u);
    SAME("%p", (void *)0);
}

/* A result longer than the buffer still reports its full length, and NULL with size 0 is a
 * way to measure. */
static void t_measure(void **state)
{
    (void)state;
    assert_int_equal(__snprintf_chk(NULL, 0, 1, 0, "%s%u", "-", 12345u), 6);
    char b[4];
    assert_int_equal(__snprintf_chk(b, sizeof b, 1, sizeof b, "%02x%02x%02x", 1u, 2u, 3u), 6);
    assert_string_equal(b, "010");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_in_use),  cmocka_unit_test(t_ndpi_formats),
        cmocka_unit_test(t_subset),  cmocka_unit_test(t_handed_back),
        cmocka_unit_test(t_measure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
