/* test_ev_ics2.c - the EtherNet/IP and BACnet/IP identity extractors (probes/ev_enip.c,
 * probes/ev_bacnet.c) and the CIP/BACnet id tables (sig/cip.h, sig/bacnet.h), on hand-built
 * byte sequences whose every field is spelled out below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ev_test.h"
#include "sig/bacnet.h"
#include "sig/cip.h"

static void assert_item(const probe_ev_buf_t *b, probe_ev_field f, const char *value)
{
    for (size_t i = 0; i < b->n; i++) {
        if (b->items[i].field != f) continue;
        assert_string_equal(b->items[i].value, value);
        assert_int_equal(b->items[i].role, PROBE_EV_SRC);
        return;
    }
    fail_msg("no %s item", probe_ev_field_name(f));
}

/* Every proper prefix of a valid message is a cut message. */
static void assert_prefixes_truncated(ev_fn fn, const uint8_t *p, size_t n)
{
    probe_ev_buf_t out;
    for (size_t k = 0; k < n; k++) {
        ssf_rc rc = ev_run(fn, p, k, &out);
        if (rc != SSF_ETRUNC) fail_msg("prefix %zu of %zu: rc %d", k, n, rc);
    }
}

/* ---- EtherNet/IP ---- */

/* ListIdentity reply from a ControlLogix: 24-byte header, then one CIP Identity item. */
static const uint8_t enip_reply[] = {
    0x63, 0x00,                                     /* command ListIdentity        */
    0x3c, 0x00,                                     /* length 60                   */
    0x00, 0x00, 0x00, 0x00,                         /* session handle              */
    0x00, 0x00, 0x00, 0x00,                         /* status                      */
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* sender context              */
    0x00, 0x00, 0x00, 0x00,                         /* options                     */
    0x01, 0x00,                                     /* item count 1                */
    0x0c, 0x00,                                     /* item type CIP Identity      */
    0x36, 0x00,                                     /* item length 54              */
    0x01, 0x00,                                     /* encapsulation version 1     */
    0x00, 0x02, 0xaf, 0x12, 0xc0, 0xa8, 0x01, 0x0a, /* AF_INET, 44818, 192.168.1.10 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* sin_zero                    */
    0x01, 0x00,                                     /* vendor 1                    */
    0x0e, 0x00,                                     /* device type 0x0E            */
    0x36, 0x00,                                     /* product code 54             */
    0x14, 0x0b,                                     /* revision 20.11              */
    0x60, 0x30,                                     /* status                      */
    0xee, 0xff, 0xc0, 0x00,                         /* serial 0x00c0ffee           */
    0x14,                                           /* name length 20              */
    '1',  '7',  '5',  '6',  '-',  'L',  '7',  '1',  '/', 'B',  ' ',
    'L',  'O',  'G',  'I',  'X',  '5',  '5',  '7',  '1', 0x03, /* state */
};
enum { ENIP_VENDOR_OFF = 48, ENIP_TYPE_OFF = 50 };

static const uint8_t enip_request[] = {
    0x63, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static void t_enip_list_identity(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_enip, enip_reply, sizeof enip_reply, &out), SSF_OK);
    assert_int_equal(out.n, 6);
    assert_item(&out, PROBE_EVF_ENIP_VENDOR, "Rockwell Automation/Allen-Bradley");
    assert_item(&out, PROBE_EVF_ENIP_DEVICE_TYPE, "Programmable Logic Controller");
    assert_item(&out, PROBE_EVF_ENIP_PRODUCT_CODE, "54");
    assert_item(&out, PROBE_EVF_ENIP_REVISION, "20.11");
    assert_item(&out, PROBE_EVF_ENIP_SERIAL, "0x00c0ffee");
    assert_item(&out, PROBE_EVF_ENIP_PRODUCT, "1756-L71/B LOGIX5571");
}

static void t_enip_unknown_ids(void **state)
{
    (void)state;
    uint8_t b[sizeof enip_reply];
    memcpy(b, enip_reply, sizeof b);
    b[ENIP_VENDOR_OFF] = 0x0f, b[ENIP_VENDOR_OFF + 1] = 0x27; /* 9999 */
    b[ENIP_TYPE_OFF] = 0x99;
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_enip, b, sizeof b, &out), SSF_OK);
    assert_item(&out, PROBE_EVF_ENIP_VENDOR, "vendor id 9999");
    assert_item(&out, PROBE_EVF_ENIP_DEVICE_TYPE, "153");
}

static void t_enip_request_and_others(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_enip, enip_request, sizeof enip_request, &out), SSF_OK);
    assert_int_equal(out.n, 0);
    static const char http[] = "GET / HTTP/1.1\r\nHost: plc\r\n\r\n";
    assert_int_equal(ev_run(probe_ev_enip, http, sizeof http - 1, &out), SSF_EINVAL);
    uint8_t b[sizeof enip_reply];
    memcpy(b, enip_reply, sizeof b);
    b[20] = 1; /* options must be zero */
    assert_int_equal(ev_run(probe_ev_enip, b, sizeof b, &out), SSF_EINVAL);
    memcpy(b, enip_reply, sizeof b);
    b[8] = 0x42; /* not an encapsulation status code */
    assert_int_equal(ev_run(probe_ev_enip, b, sizeof b, &out), SSF_EINVAL);
    memcpy(b, enip_reply, sizeof b);
    b[0] = 0; /* NOP: zero-filled payloads would pass for it */
    assert_int_equal(ev_run(probe_ev_enip, b, sizeof b, &out), SSF_EINVAL);
    memcpy(b, enip_reply, sizeof b);
    b[28] = 0x37; /* item length one past the message */
    assert_int_equal(ev_run(probe_ev_enip, b, sizeof b, &out), SSF_EINVAL);
    assert_int_equal(out.n, 0);
}

/* SendRRData with an unconnected item: a Multiple Service Packet request (path class 2,
 * instance 1) holding Read Tag and Write Tag, then its reply with Write Tag refused. */
static const uint8_t enip_msp_req[] = {
    0x6f, 0x00, 0x26, 0x00, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00, /* hdr: len 38 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x02, 0x00, /* handle, timeout, 2 items */
    0x00, 0x00, 0x00, 0x00, 0xb2, 0x00, 0x16, 0x00, /* null address; data, 22 */
    0x0a, 0x02, 0x20, 0x02, 0x24, 0x01,             /* MSP to class 2 inst 1 */
    0x02, 0x00, 0x06, 0x00, 0x0b, 0x00,             /* 2 services at 6, 11 */
    0x4c, 0x01, 0x91, 0x01, 'A',                    /* Read Tag "A" (odd pad) */
    0x4d, 0x01, 0x91, 0x01, 'B'};                   /* Write Tag "B" */

static void t_enip_cip_services(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_enip, enip_msp_req, sizeof enip_msp_req, &b), SSF_OK);
    assert_int_equal(b.n, 3);
    assert_string_equal(b.items[0].value, "0x0a multiple_service_packet");
    assert_string_equal(b.items[1].value, "0x4c read_tag");
    assert_string_equal(b.items[2].value, "0x4d write_tag");
    assert_int_equal(b.items[2].field, PROBE_EVF_ENIP_CIP_SERVICE);
    uint8_t rep[sizeof enip_msp_req];
    memcpy(rep, enip_msp_req, sizeof rep);
    /* The reply: 0x8a, 0, status 0, no extended status; 2 replies at 6 and 10. */
    static const uint8_t body[] = {0x8a, 0x00, 0x00, 0x00, 0x02, 0x00, 0x06, 0x00,
                                   0x0a, 0x00, 0xcc, 0x00, 0x00, 0x00, 0xcd, 0x00,
                                   0x05, 0x00, 0x00, 0x00, 0x00, 0x00};
    memcpy(rep + 40, body, sizeof body);
    assert_int_equal(ev_run(probe_ev_enip, rep, sizeof rep, &b), SSF_OK);
    assert_int_equal(b.n, 3);
    assert_string_equal(b.items[0].value, "0x0a multiple_service_packet reply: status 0x00");
    assert_string_equal(b.items[1].value, "0x4c read_tag reply: status 0x00");
    assert_string_equal(b.items[2].value, "0x4d write_tag reply: status 0x05");
    /* Hostile offsets (past the message, or backwards) read nothing more. */
    rep[40 + 6] = 0xff;
    assert_int_equal(ev_run(probe_ev_enip, rep, sizeof rep, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    memcpy(rep + 40, body, sizeof body);
    rep[40 + 8] = 0x02;
    assert_int_equal(ev_run(probe_ev_enip, rep, sizeof rep, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    for (size_t k = 0; k < sizeof enip_msp_req; k++) {
        ssf_rc rc = ev_run(probe_ev_enip, enip_msp_req, k, &b);
        assert_true(rc == SSF_ETRUNC || rc == SSF_EINVAL);
    }
}

static void t_enip_truncations(void **state)
{
    (void)state;
    assert_prefixes_truncated(probe_ev_enip, enip_reply, sizeof enip_reply);
    assert_prefixes_truncated(probe_ev_enip, enip_request, sizeof enip_request);
}

/* ---- BACnet/IP ---- */

/* I-Am, device 1234, vendor 5, broadcast to the global network (DNET 0xffff). */
static const uint8_t bac_iam[] = {
    0x81, 0x0b, 0x00, 0x18,             /* BVLC Original-Broadcast-NPDU, length 24   */
    0x01, 0x20, 0xff, 0xff, 0x00, 0xff, /* NPDU v1, DNET 65535, DLEN 0, hop count    */
    0x10, 0x00,                         /* Unconfirmed-Request, I-Am                 */
    0xc4, 0x02, 0x00, 0x04, 0xd2,       /* object id: device, 1234                   */
    0x22, 0x05, 0xc4,                   /* max APDU 1476                             */
    0x91, 0x00,                         /* segmentation: both                        */
    0x21, 0x05,                         /* vendor 5                                  */
};

/* Forwarded-NPDU of an I-Am: device 7, vendor 36, from 192.168.1.20:47808. */
static const uint8_t bac_fwd_iam[] = {
    0x81, 0x04, 0x00, 0x1a,             /* BVLC Forwarded-NPDU, length 26            */
    0xc0, 0xa8, 0x01, 0x14, 0xba, 0xc0, /* originating B/IP address                  */
    0x01, 0x00,                         /* NPDU v1, no addresses                     */
    0x10, 0x00, 0xc4, 0x02, 0x00, 0x00, 0x07, 0x22, 0x01, 0xe0, 0x91, 0x03, 0x21, 0x24,
};

/* I-Am routed from network 5 (SNET/SADR present): device 42, vendor 999 (unlisted). */
static const uint8_t bac_snet_iam[] = {
    0x81, 0x0a, 0x00, 0x1d,                                     /* Original-Unicast, 29 */
    0x01, 0x08, 0x00, 0x05, 0x06, 0xc0, 0xa8, 0x01, 0x15, 0xba, /* SNET 5, SLEN 6, SADR */
    0xc0, 0x10, 0x00, 0xc4, 0x02, 0x00, 0x00, 0x2a, 0x21, 0x32, 0x91, 0x00, 0x22, 0x03, 0xe7,
};

/* ReadProperty-ACK: device 1234 model-name "MS-NAE5510-2". */
static const uint8_t bac_rp_model[] = {
    0x81, 0x0a, 0x00, 0x21,       /* Original-Unicast, length 33                */
    0x01, 0x00,                   /* NPDU                                       */
    0x30, 0x01, 0x0c,             /* Complex-ACK, invoke 1, ReadProperty        */
    0x0c, 0x02, 0x00, 0x04, 0xd2, /* [0] device 1234                            */
    0x19, 0x46,                   /* [1] model-name (70)                        */
    0x3e,                         /* [3] open                                   */
    0x75, 0x0d, 0x00,             /* CharacterString, length 13, UTF-8          */
    'M',  'S',  '-',  'N',  'A',  'E', '5', '5', '1', '0', '-', '2', 0x3f, /* [3] close */
};
enum { BAC_RP_CHARSET_OFF = 19 };

/* ReadPropertyMultiple-ACK for device 1234: vendor-name, firmware-revision, object-identifier
 * (not a string) and description (an error). */
static const uint8_t bac_rpm[] = {
    0x81, 0x0a, 0x00, 0x45,       /* Original-Unicast, length 69                */
    0x01, 0x00,                   /* NPDU                                       */
    0x30, 0x02, 0x0e,             /* Complex-ACK, invoke 2, RPM                 */
    0x0c, 0x02, 0x00, 0x04, 0xd2, /* [0] device 1234                            */
    0x1e,                         /* [1] open listOfResults                     */
    0x29, 0x79, 0x4e,             /* [2] vendor-name (121), [4] open            */
    0x75, 0x11, 0x00,             /* CharacterString, length 17, UTF-8          */
    'J',  'o',  'h',  'n',  's',  'o',  'n',  ' ',  'C',  'o',  'n',
    't',  'r',  'o',  'l',  's',  0x4f, 0x29, 0x2c, 0x4e, /* [2] firmware-revision (44), [4] open */
    0x75, 0x07, 0x00, '1',  '0',  '.',  '1',  '.',  '2',  0x4f, /* "10.1.2", [4] close */
    0x29, 0x4b, 0x4e, 0xc4, 0x02, 0x00, 0x04, 0xd2, 0x4f,       /* object-identifier     */
    0x29, 0x1c, 0x5e, 0x91, 0x02, 0x91, 0x20, 0x5f,             /* description: error    */
    0x1f,                                                       /* [1] close             */
};

static void assert_bvlc_len(const uint8_t *p, size_t n)
{
    assert_int_equal((size_t)(p[2] << 8 | p[3]), n);
}

static void t_bacnet_iam(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    assert_bvlc_len(bac_iam, sizeof bac_iam);
    assert_int_equal(ev_run(probe_ev_bacnet, bac_iam, sizeof bac_iam, &out), SSF_OK);
    assert_int_equal(out.n, 2);
    assert_item(&out, PROBE_EVF_BACNET_INSTANCE, "1234");
    assert_item(&out, PROBE_EVF_BACNET_VENDOR, "Johnson Controls, Inc.");
    /* The wildcard instance 4194303 names no device: only the vendor is reported. */
    uint8_t b[sizeof bac_iam];
    memcpy(b, bac_iam, sizeof b);
    b[14] = 0x3f, b[15] = 0xff, b[16] = 0xff;
    assert_int_equal(ev_run(probe_ev_bacnet, b, sizeof b, &out), SSF_OK);
    assert_int_equal(out.n, 1);
    assert_item(&out, PROBE_EVF_BACNET_VENDOR, "Johnson Controls, Inc.");
}

static void t_bacnet_forwarded_and_routed(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    assert_bvlc_len(bac_fwd_iam, sizeof bac_fwd_iam);
    assert_int_equal(ev_run(probe_ev_bacnet, bac_fwd_iam, sizeof bac_fwd_iam, &out), SSF_OK);
    assert_item(&out, PROBE_EVF_BACNET_INSTANCE, "7");
    assert_item(&out, PROBE_EVF_BACNET_VENDOR, "Tridium Inc.");
    assert_bvlc_len(bac_snet_iam, sizeof bac_snet_iam);
    assert_int_equal(ev_run(probe_ev_bacnet, bac_snet_iam, sizeof bac_snet_iam, &out), SSF_OK);
    assert_item(&out, PROBE_EVF_BACNET_INSTANCE, "42");
    assert_item(&out, PROBE_EVF_BACNET_VENDOR, "vendor id 999");
}

static void t_bacnet_read_property(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    assert_bvlc_len(bac_rp_model, sizeof bac_rp_model);
    assert_int_equal(ev_run(probe_ev_bacnet, bac_rp_model, sizeof bac_rp_model, &out), SSF_OK);
    assert_int_equal(out.n, 1);
    assert_item(&out, PROBE_EVF_BACNET_MODEL, "MS-NAE5510-2");
    uint8_t b[sizeof bac_rp_model];
    memcpy(b, bac_rp_model, sizeof b);
    b[BAC_RP_CHARSET_OFF] = 4; /* UCS-2: not decoded */
    assert_int_equal(ev_run(probe_ev_bacnet, b, sizeof b, &out), SSF_OK);
    assert_int_equal(out.n, 0);
    memcpy(b, bac_rp_model, sizeof b);
    b[10] = 0x40; /* object type 1 (analog-output), not the device */
    assert_int_equal(ev_run(probe_ev_bacnet, b, sizeof b, &out), SSF_OK);
    assert_int_equal(out.n, 0);
}

static void t_bacnet_rpm(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    assert_bvlc_len(bac_rpm, sizeof bac_rpm);
    assert_int_equal(ev_run(probe_ev_bacnet, bac_rpm, sizeof bac_rpm, &out), SSF_OK);
    assert_int_equal(out.n, 2);
    assert_item(&out, PROBE_EVF_BACNET_VENDOR_NAME, "Johnson Controls");
    assert_item(&out, PROBE_EVF_BACNET_FIRMWARE, "10.1.2");
}

static void t_bacnet_rejects(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    static const uint8_t dns[] = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00};
    assert_int_equal(ev_run(probe_ev_bacnet, dns, sizeof dns, &out), SSF_EINVAL);
    uint8_t b[sizeof bac_iam];
    memcpy(b, bac_iam, sizeof b);
    b[4] = 2; /* NPDU version */
    assert_int_equal(ev_run(probe_ev_bacnet, b, sizeof b, &out), SSF_EINVAL);
    /* A NetBIOS session request also starts with 0x81; its length is not the payload's. */
    static const uint8_t nbss[] = {0x81, 0x00, 0x00, 0x04, 0x20, 0x43, 0x4b, 0x41};
    assert_int_equal(ev_run(probe_ev_bacnet, nbss, sizeof nbss, &out), SSF_EINVAL);
    memcpy(b, bac_iam, sizeof b);
    b[13] = 0x00; /* I-Am of an analog-input object */
    assert_int_equal(ev_run(probe_ev_bacnet, b, sizeof b, &out), SSF_EINVAL);
    memcpy(b, bac_iam, sizeof b);
    b[12] = 0xc5, b[13] = 0xff; /* object id with a 255-byte length: past the end */
    assert_int_equal(ev_run(probe_ev_bacnet, b, sizeof b, &out), SSF_ETRUNC);
    assert_int_equal(out.n, 0);
}

static void t_bacnet_truncations(void **state)
{
    (void)state;
    assert_prefixes_truncated(probe_ev_bacnet, bac_iam, sizeof bac_iam);
    assert_prefixes_truncated(probe_ev_bacnet, bac_fwd_iam, sizeof bac_fwd_iam);
    assert_prefixes_truncated(probe_ev_bacnet, bac_snet_iam, sizeof bac_snet_iam);
    assert_prefixes_truncated(probe_ev_bacnet, bac_rp_model, sizeof bac_rp_model);
    assert_prefixes_truncated(probe_ev_bacnet, bac_rpm, sizeof bac_rpm);
    /* Shorter BVLC lengths cut the APDU inside the message: never a read past the length. */
    probe_ev_buf_t out;
    uint8_t b[sizeof bac_rpm];
    for (size_t len = 4; len < sizeof bac_rpm; len++) {
        memcpy(b, bac_rpm, sizeof b);
        b[2] = (uint8_t)(len >> 8), b[3] = (uint8_t)len;
        ssf_rc rc = ev_run(probe_ev_bacnet, b, len, &out);
        assert_true(rc == SSF_OK || rc == SSF_EINVAL || rc == SSF_ETRUNC);
    }
}

/* ---- id tables ---- */

static void t_tables(void **state)
{
    (void)state;
    assert_string_equal(sig_cip_vendor(1), "Rockwell Automation/Allen-Bradley");
    assert_string_equal(sig_cip_vendor(40), "WAGO Corporation");
    assert_null(sig_cip_vendor(9999));
    assert_string_equal(sig_cip_device_type(0x0e), "Programmable Logic Controller");
    assert_string_equal(sig_cip_device_type(0x2b), "Generic Device (keyable)");
    assert_null(sig_cip_device_type(0x99));
    assert_string_equal(sig_bacnet_vendor(0), "ASHRAE");
    assert_string_equal(sig_bacnet_vendor(260), "BACnet Stack at SourceForge");
    assert_null(sig_bacnet_vendor(9999));
    /* bsearch finds every row only if the generator sorted them. */
    size_t cv = 0, ct = 0, bv = 0;
    for (uint32_t id = 0; id <= UINT16_MAX; id++) {
        cv += sig_cip_vendor((uint16_t)id) != NULL;
        ct += sig_cip_device_type((uint16_t)id) != NULL;
        bv += sig_bacnet_vendor((uint16_t)id) != NULL;
    }
    assert_int_equal(cv, sig_cip_vendor_count());
    assert_int_equal(ct, sig_cip_device_type_count());
    assert_int_equal(bv, sig_bacnet_vendor_count());
    assert_true(cv >= 60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_enip_list_identity),
        cmocka_unit_test(t_enip_unknown_ids),
        cmocka_unit_test(t_enip_request_and_others),
        cmocka_unit_test(t_enip_cip_services),
        cmocka_unit_test(t_enip_truncations),
        cmocka_unit_test(t_bacnet_iam),
        cmocka_unit_test(t_bacnet_forwarded_and_routed),
        cmocka_unit_test(t_bacnet_read_property),
        cmocka_unit_test(t_bacnet_rpm),
        cmocka_unit_test(t_bacnet_rejects),
        cmocka_unit_test(t_bacnet_truncations),
        cmocka_unit_test(t_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
