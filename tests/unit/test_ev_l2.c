/* test_ev_l2.c - the link-layer identity extractors (probes/ev_lldp.c, probes/ev_cdp.c), on
 * hand-built frames whose every field is spelled out below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ev_test.h"

/* Some item of field f has exactly this value, and is about the sender. */
static void assert_has(const probe_ev_buf_t *b, probe_ev_field f, const char *value)
{
    for (size_t i = 0; i < b->n; i++) {
        if (b->items[i].field != f || strcmp(b->items[i].value, value) != 0) continue;
        assert_int_equal(b->items[i].role, PROBE_EV_SRC);
        return;
    }
    fail_msg("no %s item \"%s\"", probe_ev_field_name(f), value);
}

/* ---- LLDP ---- */

/* A plant switch's LLDPDU. Offsets of TLV ends: 9, 19, 23, 35, 54, 60, 74, 82, 84. */
static const char lldp_frame[] =
    "\x02\x07\x04\x00\x11\x22\xaa\xbb\xcc" /* Chassis ID len 7, subtype 4 (MAC)      */
    "\x04\x08\x05Gi1/0/1"                  /* Port ID len 8, subtype 5 (ifName)      */
    "\x06\x02\x00\x78"                     /* TTL 120 s                              */
    "\x0a\x0asw-plant-1"                   /* System Name                            */
    "\x0c\x11Plant switch v1.2"            /* System Description                     */
    "\x0e\x04\x00\x14\x00\x04"             /* caps: bridge+router, enabled: bridge   */
    "\x10\x0c\x05\x01\x0a\x00\x00\x02"     /* Mgmt: strlen 5, IPv4 10.0.0.2,         */
    "\x02\x00\x00\x00\x01\x00"             /*   ifIndex 1, no OID                    */
    "\xfe\x06\x00\x80\xc2\x01\x00\x01"     /* org-specific 802.1 port VLAN 1: skipped */
    "\x00\x00";                            /* End                                    */
enum { LLDP_SYSNAME_HDR = 23, LLDP_LEN = 84 };

static void t_lldp_frame(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    assert_int_equal(sizeof lldp_frame - 1, LLDP_LEN);
    assert_int_equal(ev_run(probe_ev_lldp, lldp_frame, LLDP_LEN, &out), SSF_OK);
    assert_int_equal(out.n, 6);
    assert_has(&out, PROBE_EVF_LLDP_CHASSIS, "00:11:22:aa:bb:cc");
    assert_has(&out, PROBE_EVF_LLDP_PORT, "Gi1/0/1");
    assert_has(&out, PROBE_EVF_LLDP_SYSNAME, "sw-plant-1");
    assert_has(&out, PROBE_EVF_LLDP_SYSDESCR, "Plant switch v1.2");
    assert_has(&out, PROBE_EVF_LLDP_CAPS, "bridge");
    assert_has(&out, PROBE_EVF_LLDP_MGMT, "10.0.0.2");
}

/* Ethernet pads a short LLDPDU with zeros after End; they are not read as TLVs. */
static void t_lldp_padding(void **state)
{
    (void)state;
    uint8_t padded[LLDP_LEN + 16] = {0};
    memcpy(padded, lldp_frame, LLDP_LEN);
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_lldp, padded, sizeof padded, &out), SSF_OK);
    assert_int_equal(out.n, 6);
}

/* Network-address chassis id (IPv6), MAC port id, IPv6 management address, all caps on. */
static void t_lldp_addresses(void **state)
{
    (void)state;
    static const char f[] =
        "\x02\x12\x05\x02\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x07"
        "\x04\x07\x03\x00\x1b\x1b\x01\x02\x03"
        "\x06\x02\x00\x78"
        "\x0e\x04\x07\xff\x07\xff"
        "\x10\x18\x11\x02\xfe\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x09"
        "\x01\x00\x00\x00\x00\x00"
        "\x00\x00";
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_lldp, f, sizeof f - 1, &out), SSF_OK);
    assert_int_equal(out.n, 4);
    assert_has(&out, PROBE_EVF_LLDP_CHASSIS, "2001:db8::7");
    assert_has(&out, PROBE_EVF_LLDP_PORT, "00:1b:1b:01:02:03");
    assert_has(&out, PROBE_EVF_LLDP_CAPS,
               "other,repeater,bridge,wlan-ap,router,telephone,"
               "docsis,station,c-vlan,s-vlan,tpmr");
    assert_has(&out, PROBE_EVF_LLDP_MGMT, "fe80::9");
}

/* Every proper prefix lacks its End TLV: cut, never malformed, and only whole TLVs report. */
static void t_lldp_truncations(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    for (size_t k = 0; k < LLDP_LEN; k++) {
        ssf_rc rc = ev_run(probe_ev_lldp, lldp_frame, k, &out);
        if (rc != SSF_ETRUNC) fail_msg("prefix %zu: rc %d", k, rc);
    }
    assert_int_equal(ev_run(probe_ev_lldp, lldp_frame, LLDP_SYSNAME_HDR + 5, &out), SSF_ETRUNC);
    assert_int_equal(out.n, 2); /* chassis and port, not a cut "sw-pl" */
}

/* A TLV whose length runs past the frame: documented as SSF_ETRUNC (LLDP has no total length,
 * so it cannot be told from a capture cut); items before it stay. */
static void t_lldp_overrun(void **state)
{
    (void)state;
    uint8_t f[LLDP_LEN];
    memcpy(f, lldp_frame, LLDP_LEN);
    f[LLDP_SYSNAME_HDR] = 0x0b; /* System Name, length 0x1ff */
    f[LLDP_SYSNAME_HDR + 1] = 0xff;
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_lldp, f, sizeof f, &out), SSF_ETRUNC);
    assert_int_equal(out.n, 2);
}

/* Bytes that are not an LLDPDU, or break its mandatory order. */
static void t_lldp_not_lldp(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    /* Port ID first. */
    assert_int_equal(ev_run(probe_ev_lldp, lldp_frame + 9, LLDP_LEN - 9, &out), SSF_EINVAL);
    /* One byte is enough to tell: type 2 in the top bits. */
    assert_int_equal(ev_run(probe_ev_lldp, "\x04", 1, &out), SSF_EINVAL);
    /* End right after the chassis id. */
    assert_int_equal(ev_run(probe_ev_lldp, "\x02\x02\x07x\x00\x00", 6, &out), SSF_EINVAL);
    /* Chassis id with no value byte. */
    assert_int_equal(ev_run(probe_ev_lldp, "\x02\x01\x04\x00\x00", 5, &out), SSF_EINVAL);
    /* TTL of 3 bytes. */
    assert_int_equal(
        ev_run(probe_ev_lldp, "\x02\x02\x07x\x04\x02\x07y\x06\x03\x00\x00\x78\x00\x00", 15, &out),
        SSF_EINVAL);
    /* A cut second header that is already the wrong type. */
    assert_int_equal(ev_run(probe_ev_lldp, "\x02\x02\x07x\x06\x40", 6, &out), SSF_EINVAL);
}

/* ---- CDP ---- */

/* A Catalyst 2960's CDPv2 frame. TLV ends at 25, 42, 64, 72, 201, 226. */
static const char cdp_frame[] =
    "\xaa\xaa\x03\x00\x00\x0c\x20\x00"     /* LLC/SNAP, Cisco OUI, protocol 0x2000          */
    "\x02\xb4\x12\x34"                     /* version 2, TTL 180 s, checksum (not checked)  */
    "\x00\x01\x00\x0dSW1.plant"            /* Device ID, length 13                          */
    "\x00\x02\x00\x11\x00\x00\x00\x01"     /* Addresses, length 17, one entry:              */
    "\x01\x01\xcc\x00\x04\x0a\x00\x00\x03" /* NLPID 0xCC (IPv4), 10.0.0.3               */
    "\x00\x03\x00\x16GigabitEthernet0/1"   /* Port ID, length 22: not reported          */
    "\x00\x04\x00\x08\x00\x00\x00\x09"     /* Capabilities: router, switch              */
    "\x00\x05\x00\x81"                     /* Software Version, length 129, two lines   */
    "Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M), Version 15.0(2)SE\n"
    "Technical Support: http://www.cisco.com/techsupport"
    "\x00\x06\x00\x19"
    "cisco WS-C2960-24TT-L"; /* Platform, length 25                      */
enum { CDP_LEN = 226, CDP_ADDR_TLV = 25 };
static const size_t cdp_tlv_ends[] = {12, 25, 42, 64, 72, 201};

static void t_cdp_frame(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    assert_int_equal(sizeof cdp_frame - 1, CDP_LEN);
    assert_int_equal(ev_run(probe_ev_cdp, cdp_frame, CDP_LEN, &out), SSF_OK);
    assert_int_equal(out.n, 5);
    assert_has(&out, PROBE_EVF_CDP_DEVICE, "SW1.plant");
    assert_has(&out, PROBE_EVF_CDP_ADDRESS, "10.0.0.3");
    assert_has(&out, PROBE_EVF_CDP_CAPS, "router,switch");
    assert_has(&out, PROBE_EVF_CDP_SOFTWARE,
               "Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M), Version 15.0(2)SE");
    assert_has(&out, PROBE_EVF_CDP_PLATFORM, "cisco WS-C2960-24TT-L");
}

/* An IPv6 address behind an unknown entry and a cut entry count: the first IP is reported. */
static void t_cdp_ipv6(void **state)
{
    (void)state;
    static const char f[] = "\xaa\xaa\x03\x00\x00\x0c\x20\x00\x01\xb4\x00\x00"
                            "\x00\x02\x00\x2b\x00\x00\x00\x03"
                            "\x01\x01\x81\x00\x02\xab\xcd" /* NLPID 0x81 (CLNP): skipped */
                            "\x02\x08\xaa\xaa\x03\x00\x00\x00\x86\xdd\x00\x10"
                            "\xfe\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x05";
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_cdp, f, sizeof f - 1, &out), SSF_OK);
    assert_int_equal(out.n, 1);
    assert_has(&out, PROBE_EVF_CDP_ADDRESS, "fe80::5");
}

/* Cut frames: SSF_ETRUNC, except at a TLV boundary, where the frame is whole as far as CDP can
 * tell (it has no end marker). */
static void t_cdp_truncations(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    for (size_t k = 0; k < CDP_LEN; k++) {
        ssf_rc want = SSF_ETRUNC;
        for (size_t i = 0; i < SSF_ARRAY_LEN(cdp_tlv_ends); i++)
            if (k == cdp_tlv_ends[i]) want = SSF_OK;
        ssf_rc rc = ev_run(probe_ev_cdp, cdp_frame, k, &out);
        if (rc != want) fail_msg("prefix %zu: rc %d, want %d", k, rc, want);
    }
}

static void t_cdp_not_cdp(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    uint8_t f[CDP_LEN];
    /* Every byte of the SNAP header is checked, even in a frame cut right after it. */
    for (size_t i = 0; i < 8; i++) {
        memcpy(f, cdp_frame, CDP_LEN);
        f[i] ^= 0x40;
        assert_int_equal(ev_run(probe_ev_cdp, f, CDP_LEN, &out), SSF_EINVAL);
        assert_int_equal(ev_run(probe_ev_cdp, f, i + 1, &out), SSF_EINVAL);
    }
    /* SNAP for another Cisco protocol (0x2004, DTP). */
    assert_int_equal(
        ev_run(probe_ev_cdp, "\xaa\xaa\x03\x00\x00\x0c\x20\x04\x01\xb4\x00\x00", 12, &out),
        SSF_EINVAL);
    /* Version 3. */
    memcpy(f, cdp_frame, CDP_LEN);
    f[8] = 3;
    assert_int_equal(ev_run(probe_ev_cdp, f, 9, &out), SSF_EINVAL);
    /* Address TLV length 3 (below its own header): malformed, after the device id. */
    f[8] = 2;
    f[CDP_ADDR_TLV + 3] = 3;
    assert_int_equal(ev_run(probe_ev_cdp, f, CDP_LEN, &out), SSF_EINVAL);
    assert_int_equal(out.n, 1);
    assert_has(&out, PROBE_EVF_CDP_DEVICE, "SW1.plant");
    /* Length 0 likewise (a loop that trusted it would never advance). */
    f[CDP_ADDR_TLV + 3] = 0;
    assert_int_equal(ev_run(probe_ev_cdp, f, CDP_LEN, &out), SSF_EINVAL);
}

/* A TLV claiming more than the frame holds. */
static void t_cdp_overrun(void **state)
{
    (void)state;
    uint8_t f[CDP_LEN];
    memcpy(f, cdp_frame, CDP_LEN);
    f[CDP_ADDR_TLV + 2] = 0x7f;
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_cdp, f, CDP_LEN, &out), SSF_ETRUNC);
    assert_int_equal(out.n, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_lldp_frame),      cmocka_unit_test(t_lldp_padding),
        cmocka_unit_test(t_lldp_addresses),  cmocka_unit_test(t_lldp_truncations),
        cmocka_unit_test(t_lldp_overrun),    cmocka_unit_test(t_lldp_not_lldp),
        cmocka_unit_test(t_cdp_frame),       cmocka_unit_test(t_cdp_ipv6),
        cmocka_unit_test(t_cdp_truncations), cmocka_unit_test(t_cdp_not_cdp),
        cmocka_unit_test(t_cdp_overrun),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
