/* test_csaf.c - sig_csaf: the project's own small CSAF documents in tests/data/csaf (never real
 * advisories), version range forms, order-number folding and wildcards, and matching. */
#include "sig/csaf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define FIXTURE_DIR SSF_TEST_DATA "/csaf"

typedef struct {
    unsigned n;
    char last[256];
} diag_log;

static void diag(void *ud, const char *file, const char *reason)
{
    diag_log *l = ud;
    l->n++;
    snprintf(l->last, sizeof l->last, "%s: %s", file, reason);
}

static void test_version_forms(void **state)
{
    (void)state;
    assert_int_equal(sig_csaf_version_in("All versions < V3.2.17", "V3.0"), 1);
    assert_int_equal(sig_csaf_version_in("All versions < V3.2.17", "V3.2.17"), 0);
    assert_int_equal(sig_csaf_version_in("< V4.1.1 Patch04", "4.1.0"), 1);
    assert_int_equal(sig_csaf_version_in("V3.0 and later", "V3.1"), 1);
    assert_int_equal(sig_csaf_version_in("V3.0 and later", "V2.9"), 0);
    assert_int_equal(sig_csaf_version_in("versions prior to 2.1", "2.0.9"), 1);
    assert_int_equal(sig_csaf_version_in("versions prior to 2.1", "2.1"), 0);
    assert_int_equal(sig_csaf_version_in("All versions", "9.9"), 1);
    assert_int_equal(sig_csaf_version_in("All versions", NULL), 1);
    assert_int_equal(sig_csaf_version_in("< V3.0", NULL), -1);
    assert_int_equal(sig_csaf_version_in("", "1.0"), 1);
    assert_int_equal(sig_csaf_version_in("vers:generic/>=1.0|<3.2.17", "V3.0"), 1);
    assert_int_equal(sig_csaf_version_in("vers:generic/>=1.0|<3.2.17", "0.9"), 0);
    assert_int_equal(sig_csaf_version_in("vers:intdot/<4.5.0", "4.5"), 0);
    assert_int_equal(sig_csaf_version_in("vers:all/*", "1"), 1);
    assert_int_equal(sig_csaf_version_in("vers:generic/1.0|2.0", "2.0"), 1);
    assert_int_equal(sig_csaf_version_in("V4.x", "V4.2"), 1);
    assert_int_equal(sig_csaf_version_in("V4.x", "V3.0"), 0);
    assert_int_equal(sig_csaf_version_in(">= V2.0 and < V3.0", "2.5"), 1);
    assert_int_equal(sig_csaf_version_in(">= V2.0 and < V3.0", "3.0"), 0);
    /* A bound on something else than the firmware is not read as one. */
    assert_int_equal(sig_csaf_version_in("All versions with Function State (FS) < 11", "3.0"), -1);
    assert_int_equal(sig_csaf_version_in("see the vendor", "3.0"), -1);
}

static void test_model_and_vendor(void **state)
{
    (void)state;
    assert_true(sig_csaf_model_eq("6ES7 211-1BE31-0XB0", "6ES7211-1BE31-0XB0"));
    assert_true(sig_csaf_model_eq("6ES7211-1BE31-0XB0", "6es7 211-1be31-0xb0"));
    assert_true(sig_csaf_model_eq("6ES7 211-1*", "6ES7 211-1BE31-0XB0"));
    assert_false(sig_csaf_model_eq("6ES7 212-1*", "6ES7 211-1BE31-0XB0"));
    assert_true(sig_csaf_model_eq("6ES7211-1BE31-0XXX", "6ES7 211-1BE31-0XB0"));
    assert_false(sig_csaf_model_eq("6ES7211-1BE31-0XXX", "6ES7 211-1BE31-0XB0-1"));
    assert_false(sig_csaf_model_eq("", "x"));
    assert_true(sig_csaf_vendor_eq("Siemens AG", "siemens"));
    assert_true(sig_csaf_vendor_eq("Schneider Electric", "Schneider Electric SE"));
    assert_true(sig_csaf_vendor_eq("Schneider", "Schneider Electric"));
    assert_false(sig_csaf_vendor_eq("Siemens", "Rockwell Automation"));
    assert_false(sig_csaf_vendor_eq("AG", "Siemens"));
}

static sig_csaf_index_t *load(diag_log *l)
{
    ssf_err err = {0};
    sig_csaf_index_t *ix = sig_csaf_index_new(FIXTURE_DIR, diag, l, &err);
    if (!ix) fprintf(stderr, "%s\n", err.msg);
    return ix;
}

static void test_load_and_bad_files(void **state)
{
    (void)state;
    diag_log l = {0};
    sig_csaf_index_t *ix = load(&l);
    assert_non_null(ix);
    assert_int_equal(sig_csaf_index_advisories(ix), 2); /* nested/ is read too */
    assert_int_equal(l.n, 3);                           /* the three bad-*.json, named */
    assert_non_null(strstr(l.last, "bad-"));
    /* P4 is only "fixed": not an affected product. */
    assert_int_equal(sig_csaf_index_products(ix), 5);
    sig_csaf_index_free(&ix);
    assert_null(ix);
    ssf_err err = {0};
    assert_null(sig_csaf_index_new(FIXTURE_DIR "/no-such-dir", diag, &l, &err));
    assert_int_not_equal(err.rc, SSF_OK);
}

static void test_add_buffer(void **state)
{
    (void)state;
    sig_csaf_index_t *ix = sig_csaf_index_empty();
    const char *why = NULL;
    assert_int_equal(sig_csaf_index_add(ix, "a", "[1,2]", 5, &why), SSF_EINVAL);
    assert_non_null(why);
    assert_int_equal(sig_csaf_index_add(ix, "b", "{\"document\":{}}", 15, &why), SSF_EINVAL);
    const char *ok = "{\"document\":{\"tracking\":{\"id\":\"T\"}},\"product_tree\":{},"
                     "\"vulnerabilities\":[]}";
    assert_int_equal(sig_csaf_index_add(ix, "c", ok, strlen(ok), &why), SSF_OK);
    assert_int_equal(sig_csaf_index_advisories(ix), 1);
    assert_int_equal(sig_csaf_index_finish(ix), SSF_OK);
    sig_csaf_match_t m[2];
    assert_int_equal(sig_csaf_match(ix, "x", "y", "1", m, 2), 0);
    sig_csaf_index_free(&ix);
}

static void test_match(void **state)
{
    (void)state;
    diag_log l = {0};
    sig_csaf_index_t *ix = load(&l);
    sig_csaf_match_t m[8];
    /* Product name, vendor folded, firmware inside "< V3.2.17": both advisories. */
    size_t n = sig_csaf_match(ix, "ACME CONTROLS", "PLC-9", "V3.0", m, 8);
    assert_int_equal(n, 2);
    assert_string_equal(m[0].id, "TEST-2026-001");
    assert_string_equal(m[0].matched_on, "product name");
    assert_string_equal(m[0].cves, "CVE-2099-0001, CVE-2099-0002");
    assert_true(m[0].score > 9.7 && m[0].score < 9.9);
    assert_string_equal(m[0].remediation, "Update to V3.2.17");
    assert_string_equal(m[0].url, "https://example.invalid/fix");
    assert_string_equal(m[1].id, "TEST-2026-002");
    assert_true(m[1].score < 0);
    /* Fixed firmware: only the all-versions advisory. */
    assert_int_equal(sig_csaf_match(ix, "Acme Controls GmbH", "PLC-9", "V3.2.17", m, 8), 1);
    /* Unknown firmware: only all versions. */
    assert_int_equal(sig_csaf_match(ix, "Acme", "PLC-9", NULL, m, 8), 1);
    /* Model number wildcard from the helper, vers: range. */
    assert_int_equal(sig_csaf_match(ix, "Acme", "9AC1400-1BB00", "2.4", m, 8), 1);
    assert_string_equal(m[0].matched_on, "model number");
    assert_null(m[0].remediation);
    assert_int_equal(sig_csaf_match(ix, "Acme", "9AC1 400-1BB00", "2.5", m, 8), 0);
    /* Order number in the product name, spaces ignored; "and later". */
    assert_int_equal(sig_csaf_match(ix, "Acme", "9AC2 700-1AA00-0XX0", "V2.1", m, 8), 1);
    assert_int_equal(sig_csaf_match(ix, "Acme", "9AC2 700-1AA00-0XX0", "V1.9", m, 8), 0);
    /* A product that lists order numbers is not matched by its name. */
    assert_int_equal(sig_csaf_match(ix, "Acme", "IO-4", "2.0", m, 8), 0);
    /* Another vendor, or a product the advisory lists only as fixed. */
    assert_int_equal(sig_csaf_match(ix, "Other", "PLC-9", "V3.0", m, 8), 0);
    assert_int_equal(sig_csaf_match(ix, "Acme", "GW-100", "4.1", m, 8), 0);
    /* The series before the variant: "RX8-E20DR" is an RX8; "01.00" < "1.10". */
    assert_int_equal(sig_csaf_match(ix, "Acme", "RX8-E20DR", "01.00", m, 8), 1);
    assert_string_equal(m[0].matched_on, "series");
    assert_int_equal(sig_csaf_match(ix, "Acme", "RX8-E20DR", "1.10", m, 8), 0);
    assert_int_equal(sig_csaf_match(ix, "Acme", "RX9-E20DR", "1.0", m, 8), 0);
    /* max smaller than the matches: counted, not written past. */
    assert_int_equal(sig_csaf_match(ix, "Acme", "PLC-9", "V3.0", m, 1), 2);
    assert_int_equal(sig_csaf_match(ix, NULL, "PLC-9", "V3.0", m, 8), 0);
    sig_csaf_index_free(&ix);
}

/* Type templates: one white square (U+25A1) per variant code of one or two characters, spaces
 * around it ignored. Found with and without the token index. */
#define SQ "\xe2\x96\xa1"
static void test_type_template(void **state)
{
    (void)state;
    const char *doc =
        "{\"document\":{\"tracking\":{\"id\":\"TEST-TPL\"},\"title\":\"t\"},\"product_tree\":"
        "{\"branches\":[{\"category\":\"vendor\",\"name\":\"Acme\",\"branches\":["
        "{\"category\":\"product_name\",\"name\":\"ZX3-E20D " SQ " - " SQ "\",\"branches\":["
        "{\"category\":\"product_version_range\",\"name\":\"vers:all/*\",\"product\":"
        "{\"name\":\"a\",\"product_id\":\"P1\"}}]},"
        "{\"category\":\"product_name\",\"name\":\"Acme ZX3-M " SQ " " SQ " D " SQ " - " SQ
        "\",\"branches\":[{\"category\":\"product_version_range\",\"name\":\"< 2.0\",\"product\":"
        "{\"name\":\"b\",\"product_id\":\"P2\"}}]}]}]},"
        "\"vulnerabilities\":[{\"cve\":\"CVE-2099-0009\",\"product_status\":"
        "{\"known_affected\":[\"P1\",\"P2\"]}}]}";
    sig_csaf_index_t *ix = sig_csaf_index_empty();
    const char *why = NULL;
    assert_int_equal(sig_csaf_index_add(ix, "tpl", doc, strlen(doc), &why), SSF_OK);
    sig_csaf_match_t m[2];
    for (int pass = 0; pass < 2; pass++) {
        assert_int_equal(sig_csaf_match(ix, "Acme", "ZX3-E20DR-D", "1.0", m, 2), 1);
        assert_string_equal(m[0].matched_on, "type template");
        assert_int_equal(sig_csaf_match(ix, "Acme", "ZX3-E20DT1-D", "9", m, 2), 1);
        /* A template after another word of the name; its own range still holds. */
        assert_int_equal(sig_csaf_match(ix, "Acme", "ZX3-M30DR-D", "1.5", m, 2), 1);
        assert_int_equal(sig_csaf_match(ix, "Acme", "ZX3-M30DR-D", "2.0", m, 2), 0);
        /* A square is one or two characters, the rest must be equal. */
        assert_int_equal(sig_csaf_match(ix, "Acme", "ZX3-E20D-D", "1.0", m, 2), 0);
        assert_int_equal(sig_csaf_match(ix, "Acme", "ZX3-E20DRXY-D", "1.0", m, 2), 0);
        assert_int_equal(sig_csaf_match(ix, "Acme", "ZX3-E30DR-D", "1.0", m, 2), 0);
        assert_int_equal(sig_csaf_match(ix, "Other", "ZX3-E20DR-D", "1.0", m, 2), 0);
        assert_int_equal(sig_csaf_index_finish(ix), SSF_OK);
    }
    sig_csaf_index_free(&ix);
}

/* Saia-Burgess S-Bus PCD type codes ("D2M48") are PCD controllers, and Honeywell publishes
 * Saia-Burgess advisories under its own name, naming the brand in the product. */
static void test_saia_pcd(void **state)
{
    (void)state;
    const char *doc =
        "{\"document\":{\"tracking\":{\"id\":\"TEST-PCD\"},\"title\":\"t\"},\"product_tree\":"
        "{\"branches\":[{\"category\":\"vendor\",\"name\":\"Honeywell\",\"branches\":["
        "{\"category\":\"product_name\",\"name\":\"Saia Burgess PCD\",\"branches\":["
        "{\"category\":\"product_version_range\",\"name\":\"< 1.20\",\"product\":"
        "{\"name\":\"a\",\"product_id\":\"P1\"}}]},"
        "{\"category\":\"product_name\",\"name\":\"Other PCD\",\"branches\":["
        "{\"category\":\"product_version_range\",\"name\":\"vers:all/*\",\"product\":"
        "{\"name\":\"b\",\"product_id\":\"P2\"}}]}]},"
        "{\"category\":\"vendor\",\"name\":\"Acme\",\"branches\":["
        "{\"category\":\"product_name\",\"name\":\"PCD\",\"product\":"
        "{\"name\":\"c\",\"product_id\":\"P3\"}}]}]},"
        "\"vulnerabilities\":[{\"cve\":\"CVE-2099-0010\",\"product_status\":"
        "{\"known_affected\":[\"P1\",\"P2\",\"P3\"]}}]}";
    sig_csaf_index_t *ix = sig_csaf_index_empty();
    const char *why = NULL;
    assert_int_equal(sig_csaf_index_add(ix, "pcd", doc, strlen(doc), &why), SSF_OK);
    sig_csaf_match_t m[2];
    for (int pass = 0; pass < 2; pass++) {
        assert_int_equal(sig_csaf_match(ix, "Saia-Burgess Controls", "D2M48", "1.10", m, 2), 1);
        assert_string_equal(m[0].product, "Saia Burgess PCD");
        assert_string_equal(m[0].matched_on, "family");
        /* Out of range; "Other PCD" does not name the brand. */
        assert_int_equal(sig_csaf_match(ix, "Saia-Burgess Controls", "D2M48", "1.20", m, 2), 0);
        /* The code means a PCD only from Saia-Burgess; Honeywell's own devices are not it. */
        assert_int_equal(sig_csaf_match(ix, "Acme", "D2M48", "1.0", m, 2), 0);
        assert_int_equal(sig_csaf_match(ix, "Honeywell", "D2M48", "1.0", m, 2), 0);
        assert_int_equal(sig_csaf_index_finish(ix), SSF_OK);
    }
    sig_csaf_index_free(&ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_forms),
        cmocka_unit_test(test_model_and_vendor),
        cmocka_unit_test(test_load_and_bad_files),
        cmocka_unit_test(test_add_buffer),
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_type_template),
        cmocka_unit_test(test_saia_pcd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
