/* test_common.c - the bounds-checked cursor at its exact boundaries, address and MAC text
 * round trips, the local-address classifier, and the error struct. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "ssf/common.h"

static const uint8_t bytes[8] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};

/* Each reader of width w succeeds on exactly w bytes and fails, without moving, on w - 1. */
static void t_cursor_fixed_widths(void **state)
{
    (void)state;
    uint8_t v8;
    uint16_t v16;
    uint32_t v32;

    ssf_cur c = ssf_cur_make(bytes, 0);
    assert_false(ssf_cur_u8(&c, &v8));
    assert_ptr_equal(c.p, bytes);
    c = ssf_cur_make(bytes, 1);
    assert_true(ssf_cur_u8(&c, &v8));
    assert_int_equal(v8, 0x01);
    assert_int_equal(ssf_cur_left(&c), 0);

    c = ssf_cur_make(bytes, 1);
    v16 = 0xdead;
    assert_false(ssf_cur_u16be(&c, &v16));
    assert_ptr_equal(c.p, bytes);
    assert_int_equal(v16, 0xdead);
    c = ssf_cur_make(bytes, 2);
    assert_true(ssf_cur_u16be(&c, &v16));
    assert_int_equal(v16, 0x0102);
    assert_int_equal(ssf_cur_left(&c), 0);

    c = ssf_cur_make(bytes, 2);
    assert_false(ssf_cur_u24be(&c, &v32));
    assert_ptr_equal(c.p, bytes);
    c = ssf_cur_make(bytes, 3);
    assert_true(ssf_cur_u24be(&c, &v32));
    assert_int_equal(v32, 0x010203);
    assert_int_equal(ssf_cur_left(&c), 0);

    c = ssf_cur_make(bytes, 3);
    assert_false(ssf_cur_u32be(&c, &v32));
    assert_ptr_equal(c.p, bytes);
    c = ssf_cur_make(bytes, 4);
    assert_true(ssf_cur_u32be(&c, &v32));
    assert_int_equal(v32, 0x01020304);
    assert_int_equal(ssf_cur_left(&c), 0);

    /* High bit set: no sign extension. */
    static const uint8_t hi[4] = {0xff, 0xfe, 0xfd, 0xfc};
    c = ssf_cur_make(hi, 4);
    assert_true(ssf_cur_u32be(&c, &v32));
    assert_int_equal(v32, 0xfffefdfcu);
    c = ssf_cur_make(hi, 3);
    assert_true(ssf_cur_u24be(&c, &v32));
    assert_int_equal(v32, 0xfffefdu);
}

static void t_cursor_sequence(void **state)
{
    (void)state;
    ssf_cur c = ssf_cur_make(bytes, sizeof bytes);
    uint8_t v8;
    uint16_t v16;
    uint32_t v32;
    assert_true(ssf_cur_u8(&c, &v8));
    assert_true(ssf_cur_u16be(&c, &v16));
    assert_int_equal(v16, 0x0203);
    assert_true(ssf_cur_u32be(&c, &v32));
    assert_int_equal(v32, 0x04050607);
    assert_int_equal(ssf_cur_left(&c), 1);
    assert_false(ssf_cur_u16be(&c, &v16));
    assert_int_equal(ssf_cur_left(&c), 1);
    assert_true(ssf_cur_u8(&c, &v8));
    assert_int_equal(v8, 0x08);
    assert_false(ssf_cur_u8(&c, &v8));
}

static void t_cursor_skip_bytes_sub(void **state)
{
    (void)state;
    ssf_cur c = ssf_cur_make(bytes, 5);
    assert_false(ssf_cur_skip(&c, 6));
    assert_false(ssf_cur_skip(&c, SIZE_MAX));
    assert_ptr_equal(c.p, bytes);
    assert_true(ssf_cur_skip(&c, 5));
    assert_int_equal(ssf_cur_left(&c), 0);
    assert_true(ssf_cur_skip(&c, 0));

    const uint8_t *out = NULL;
    c = ssf_cur_make(bytes, 5);
    assert_false(ssf_cur_bytes(&c, 6, &out));
    assert_null(out);
    assert_ptr_equal(c.p, bytes);
    assert_true(ssf_cur_bytes(&c, 5, &out));
    assert_ptr_equal(out, bytes);
    assert_int_equal(ssf_cur_left(&c), 0);

    ssf_cur sub = {NULL, NULL};
    c = ssf_cur_make(bytes, 5);
    assert_false(ssf_cur_sub(&c, 6, &sub));
    assert_null(sub.p);
    assert_ptr_equal(c.p, bytes);
    assert_true(ssf_cur_sub(&c, 3, &sub));
    assert_ptr_equal(sub.p, bytes);
    assert_int_equal(ssf_cur_left(&sub), 3);
    assert_int_equal(ssf_cur_left(&c), 2);
    /* The sub-cursor is bounded by its own end, not the parent's. */
    uint32_t v32;
    assert_false(ssf_cur_u32be(&sub, &v32));
    assert_true(ssf_cur_u24be(&sub, &v32));
    assert_int_equal(v32, 0x010203);
}

static void roundtrip(const char *in, const char *want, bool v4)
{
    ssf_addr a;
    char buf[SSF_ADDR_STRLEN];
    assert_true(ssf_addr_parse(in, &a));
    assert_int_equal(ssf_addr_is_v4(&a), v4);
    assert_ptr_equal(ssf_addr_str(&a, buf, sizeof buf), buf);
    assert_string_equal(buf, want);
}

static void t_addr_roundtrip(void **state)
{
    (void)state;
    roundtrip("192.168.10.50", "192.168.10.50", true);
    roundtrip("0.0.0.0", "0.0.0.0", true);
    roundtrip("255.255.255.255", "255.255.255.255", true);
    roundtrip("2001:db8::1", "2001:db8::1", false);
    roundtrip("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1", false);
    roundtrip("fe80::1", "fe80::1", false);
    roundtrip("::", "::", false);
    roundtrip("::1", "::1", false);
    /* v4-mapped text lands in the same key as the dotted quad. */
    roundtrip("::ffff:10.1.2.3", "10.1.2.3", true);

    ssf_addr a;
    assert_true(ssf_addr_parse("10.1.2.3", &a));
    static const uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3};
    assert_memory_equal(a.b, mapped, 16);

    ssf_addr b;
    static const uint8_t v4[4] = {10, 1, 2, 3};
    ssf_addr_from_v4(&b, v4);
    assert_memory_equal(b.b, mapped, 16);
    assert_false(ssf_addr_is_zero(&b));
    memset(&b, 0, sizeof b);
    assert_true(ssf_addr_is_zero(&b));

    static const char *const bad[] = {"",         "1.2.3", "1.2.3.4.5",         "256.1.1.1",
                                      "1.2.3.4 ", "::g",   "1:2:3:4:5:6:7:8:9", "host.example"};
    for (size_t i = 0; i < SSF_ARRAY_LEN(bad); i++)
        assert_false(ssf_addr_parse(bad[i], &a));
}

static bool local(const char *s)
{
    ssf_addr a;
    assert_true(ssf_addr_parse(s, &a));
    return ssf_addr_is_local(&a);
}

static void t_addr_is_local(void **state)
{
    (void)state;
    static const char *const yes[] = {
        "10.0.0.1",    "10.255.255.255", "172.16.0.1",      "172.31.255.254",  "192.168.0.1",
        "169.254.1.1", "100.64.0.1",     "100.127.255.255", "127.0.0.1",       "127.255.0.1",
        "0.0.0.0",     "224.0.0.251",    "239.255.255.250", "255.255.255.255", "::",
        "::1",         "fe80::1",        "febf::1",         "fc00::1",         "fd12:3456::1",
        "ff02::1",     "ff05::1:3",
    };
    static const char *const no[] = {
        "8.8.8.8",
        "172.15.255.255",
        "172.32.0.1",
        "192.167.1.1",
        "192.169.1.1",
        "169.253.1.1",
        "100.63.255.255",
        "100.128.0.1",
        "11.0.0.1",
        "223.255.255.255",
        "2001:db8::1", /* documentation prefix: this function does not treat it as local */
        "2001:4860:4860::8888",
        "fec0::1", /* deprecated site-local: not in the list       */
        "fe00::1",
    };
    for (size_t i = 0; i < SSF_ARRAY_LEN(yes); i++)
        if (!local(yes[i])) fail_msg("%s should be local", yes[i]);
    for (size_t i = 0; i < SSF_ARRAY_LEN(no); i++)
        if (local(no[i])) fail_msg("%s should not be local", no[i]);
}

static void t_mac(void **state)
{
    (void)state;
    uint8_t mac[6], want[6] = {0x00, 0x14, 0x22, 0xab, 0xcd, 0xef};
    char buf[SSF_MAC_STRLEN];

    assert_true(ssf_mac_parse("00:14:22:ab:cd:ef", mac));
    assert_memory_equal(mac, want, 6);
    memset(mac, 0, 6);
    assert_true(ssf_mac_parse("00-14-22-AB-CD-EF", mac));
    assert_memory_equal(mac, want, 6);
    assert_ptr_equal(ssf_mac_str(mac, buf, sizeof buf), buf);
    assert_string_equal(buf, "00:14:22:ab:cd:ef");

    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    assert_string_equal(ssf_mac_str(bcast, buf, sizeof buf), "ff:ff:ff:ff:ff:ff");

    static const char *const bad[] = {
        "00:11:22:33:44",
        "00:11:22:33:44:55x",
        "00:11:22:33:44:55:66",
        "00:11:22:33:44:5g",
        "00:11-22:33:44:55",
        "001122334455",
        "",
        "00:11:22:33:44:",
        "000:11:22:33:44:55",
        "00:11:22:33:44:55 ",
        /* scanf's %x would take these: signs, blanks, single digits, a 0x prefix. */
        "00:11:22:33:44:-1",
        "+0:11:22:33:44:55",
        " 0:11:22:33:44:55",
        "0:1:2:3:4:5",
        "0x:11:22:33:44:55",
    };
    for (size_t i = 0; i < SSF_ARRAY_LEN(bad); i++) {
        memcpy(mac, want, 6);
        if (ssf_mac_parse(bad[i], mac)) fail_msg("accepted \"%s\"", bad[i]);
        assert_memory_equal(mac, want, 6); /* untouched on failure */
    }
}

static void t_err_set(void **state)
{
    (void)state;
    ssf_err err;
    memset(&err, 0x55, sizeof err);
    assert_int_equal(
        ssf_err_set(&err, SSF_EINVAL, "rules.txt", 42, "unknown vendor '%s' (%d)", "acme", 7),
        SSF_EINVAL);
    assert_int_equal(err.rc, SSF_EINVAL);
    assert_string_equal(err.file, "rules.txt");
    assert_int_equal(err.line, 42);
    assert_string_equal(err.msg, "unknown vendor 'acme' (7)");

    /* Long messages are cut to the buffer, still terminated. */
    char longs[400];
    memset(longs, 'x', sizeof longs - 1);
    longs[sizeof longs - 1] = 0;
    assert_int_equal(ssf_err_set(&err, SSF_EIO, NULL, 0, "%s", longs), SSF_EIO);
    assert_null(err.file);
    assert_int_equal(strlen(err.msg), sizeof err.msg - 1);

    /* NULL-safe: just returns rc. */
    assert_int_equal(ssf_err_set(NULL, SSF_ENOMEM, NULL, 0, "x %d", 1), SSF_ENOMEM);
    assert_int_equal(ssf_err_set(NULL, SSF_OK, NULL, 0, "ok"), SSF_OK);
}

static void t_rc_str(void **state)
{
    (void)state;
    assert_string_equal(ssf_rc_str(SSF_OK), "ok");
    assert_string_equal(ssf_rc_str(SSF_EINVAL), "invalid input");
    assert_string_equal(ssf_rc_str(SSF_EAGAIN), "try again");
    assert_string_equal(ssf_rc_str((ssf_rc)-99), "unknown error");
}

static void t_now_monotonic(void **state)
{
    (void)state;
    uint64_t a = ssf_now_ns(), b = ssf_now_ns();
    assert_true(a > 0);
    assert_true(b >= a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_cursor_fixed_widths),
        cmocka_unit_test(t_cursor_sequence),
        cmocka_unit_test(t_cursor_skip_bytes_sub),
        cmocka_unit_test(t_addr_roundtrip),
        cmocka_unit_test(t_addr_is_local),
        cmocka_unit_test(t_mac),
        cmocka_unit_test(t_err_set),
        cmocka_unit_test(t_rc_str),
        cmocka_unit_test(t_now_monotonic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
