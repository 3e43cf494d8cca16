/* test_oui.c - sig_oui: fixture registry in tests/data/oui, and the real ieee-data lists when
 * they are installed. */
#include "sig/oui.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define FIXTURE_DIR SSF_TEST_DATA "/oui"

static int fixture_setup(void **state)
{
    ssf_err err = {0};
    sig_oui_t *o = sig_oui_new(FIXTURE_DIR, &err);
    if (!o) fprintf(stderr, "sig_oui_new(%s): %s\n", FIXTURE_DIR, err.msg);
    *state = o;
    return o ? 0 : -1;
}

static int fixture_teardown(void **state)
{
    sig_oui_t *o = *state;
    sig_oui_free(&o);
    return 0;
}

static const char *lookup(void **state, uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint8_t e,
                          sig_oui_kind *kind)
{
    const uint8_t mac[6] = {a, b, c, d, e, 0x5a};
    return sig_oui_lookup_ex(*state, mac, kind);
}

static void t_exact_24bit(void **state)
{
    sig_oui_kind k;
    assert_string_equal(lookup(state, 0x00, 0x0e, 0x8c, 0x00, 0x00, &k), "Siemens AG");
    assert_int_equal(k, SIG_OUI_FOUND);
    assert_string_equal(lookup(state, 0x00, 0x40, 0x8c, 0xab, 0xcd, &k), "AXIS COMMUNICATIONS AB");
}

static void t_most_specific_wins(void **state)
{
    /* 00-0E-8C-123 is a 36-bit block of another vendor inside Siemens' 24-bit block */
    assert_string_equal(lookup(state, 0x00, 0x0e, 0x8c, 0x12, 0x3f, NULL),
                        "Not Siemens Sensors Oy");
    assert_string_equal(lookup(state, 0x00, 0x0e, 0x8c, 0x12, 0x4f, NULL), "Siemens AG");
    /* 74-1A-E0 nests all three sizes: 36-bit 9AB inside 28-bit 9 inside the 24-bit parent */
    assert_string_equal(lookup(state, 0x74, 0x1a, 0xe0, 0x9a, 0xb1, NULL), "Tiny Thirty-Six SRL");
    assert_string_equal(lookup(state, 0x74, 0x1a, 0xe0, 0x9a, 0xc1, NULL), "Acme Twenty-Eight Ltd");
    assert_string_equal(lookup(state, 0x74, 0x1a, 0xe0, 0x80, 0x00, NULL),
                        "IEEE Registration Authority");
    assert_string_equal(lookup(state, 0x70, 0xb3, 0xd5, 0xf2, 0xff, NULL), "TELEPLATFORMS");
}

static void t_names_trimmed_and_first_listing_kept(void **state)
{
    assert_string_equal(lookup(state, 0x00, 0x1b, 0x1b, 0, 0, NULL), "Trailing Space GmbH");
    /* 08-00-30 is listed twice, as in Debian's oui.txt */
    assert_string_equal(lookup(state, 0x08, 0x00, 0x30, 0, 0, NULL),
                        "NETWORK RESEARCH CORPORATION");
}

static void t_local_and_multicast(void **state)
{
    sig_oui_kind k;
    /* AA-00-04 is in the fixture (DEC, as in the real list) but has the U/L bit set */
    assert_null(lookup(state, 0xaa, 0x00, 0x04, 0x00, 0x01, &k));
    assert_int_equal(k, SIG_OUI_LOCAL);
    assert_null(lookup(state, 0x02, 0x42, 0xac, 0x11, 0x00, &k));
    assert_int_equal(k, SIG_OUI_LOCAL);
    assert_null(lookup(state, 0x01, 0x00, 0x5e, 0x00, 0x00, &k));
    assert_int_equal(k, SIG_OUI_MULTICAST);
    assert_null(lookup(state, 0x33, 0x33, 0x00, 0x00, 0x00, &k)); /* both bits: group wins */
    assert_int_equal(k, SIG_OUI_MULTICAST);
    assert_null(lookup(state, 0xff, 0xff, 0xff, 0xff, 0xff, &k));
    assert_int_equal(k, SIG_OUI_MULTICAST);
}

static void t_unknown(void **state)
{
    sig_oui_kind k = SIG_OUI_FOUND;
    assert_null(lookup(state, 0x00, 0x11, 0x22, 0x33, 0x44, &k));
    assert_int_equal(k, SIG_OUI_UNKNOWN);
    const uint8_t mac[6] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
    assert_null(sig_oui_lookup(*state, mac));
}

static void t_counts_and_malformed(void **state)
{
    sig_oui_stats_t st;
    sig_oui_stats(*state, &st);
    assert_int_equal(st.l24, 7);
    assert_int_equal(st.m28, 1);
    assert_int_equal(st.s36, 3);
    assert_int_equal(sig_oui_count(*state), 11);
    assert_int_equal(st.duplicates, 1);
    assert_int_equal(st.malformed, 2); /* 0G-1B-22 in oui.txt, A00000-AFFFF0 in mam.txt */
    assert_string_equal(st.first_bad_file, "oui.txt");
    assert_int_equal(st.first_bad_line, 20);
}

static void t_missing_dir(void **state)
{
    (void)state;
    ssf_err err = {0};
    assert_null(sig_oui_new(SSF_TEST_DATA "/no-such-dir", &err));
    assert_int_equal(err.rc, SSF_EIO);
    assert_non_null(strstr(err.msg, "no-such-dir/oui.txt"));
    assert_non_null(strstr(err.msg, "apt-get install ieee-data"));
    assert_non_null(strstr(err.msg, "--ieee-dir"));
    assert_null(sig_oui_new(SSF_TEST_DATA "/no-such-dir", NULL)); /* err is optional */
    assert_null(sig_oui_new(NULL, &err));
    assert_int_equal(err.rc, SSF_EINVAL);
}

static void t_free_null_safe(void **state)
{
    (void)state;
    ssf_err err = {0};
    sig_oui_t *o = NULL;
    sig_oui_free(NULL);
    sig_oui_free(&o);
    o = sig_oui_new(FIXTURE_DIR, &err);
    assert_non_null(o);
    sig_oui_free(&o);
    assert_null(o);
    sig_oui_free(&o);
}

static void t_real_ieee_data(void **state)
{
    (void)state;
    ssf_err err = {0};
    sig_oui_stats_t st;
    if (access(SSF_IEEE_DIR "/oui.txt", R_OK) != 0) skip();
    sig_oui_t *o = sig_oui_new(SSF_IEEE_DIR, &err);
    assert_non_null(o);
    const uint8_t siemens[6] = {0x00, 0x0e, 0x8c, 0x00, 0x00, 0x00};
    const uint8_t axis[6] = {0x00, 0x40, 0x8c, 0x12, 0x34, 0x56};
    assert_string_equal(sig_oui_lookup(o, siemens), "Siemens AG");
    assert_string_equal(sig_oui_lookup(o, axis), "AXIS COMMUNICATIONS AB");
    sig_oui_stats(o, &st);
    assert_int_equal(st.malformed, 0); /* Debian's files must parse cleanly */
    assert_true(sig_oui_count(o) > 30000);
    sig_oui_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_exact_24bit, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(t_most_specific_wins, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(t_names_trimmed_and_first_listing_kept, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(t_local_and_multicast, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(t_unknown, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(t_counts_and_malformed, fixture_setup, fixture_teardown),
        cmocka_unit_test(t_missing_dir),
        cmocka_unit_test(t_free_null_safe),
        cmocka_unit_test(t_real_ieee_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
