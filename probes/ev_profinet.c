/* ev_profinet.c - identity from PROFINET DCP (IEC 61158-6-10, ethertype 0x8892) Identify
 * responses and Hello requests.
 *
 * A PROFINET frame starts with a 16-bit FrameID; DCP uses 0xFEFC (Hello), 0xFEFD (Get/Set),
 * 0xFEFE (Identify request, multicast) and 0xFEFF (Identify response). After it comes the DCP
 * header: ServiceID, ServiceType, Xid (4), ResponseDelay or reserved (2) and DCPDataLength (2),
 * all big-endian, then blocks of Option, Suboption, DCPBlockLength and data, each padded to an
 * even length. In an Identify response and in a Hello (whose blocks are the "Res" kind) the
 * data starts with a 2-byte BlockInfo. The device-properties blocks (option 2) name the
 * station, its type, its vendor and device id and its role. Request blocks are filters a
 * controller asks for, not facts about the sender, so they are not read. The Ethernet minimum
 * frame size pads short frames: bytes after DCPDataLength are ignored. */
#include "evidence_internal.h"
#include "sig/plant_ids.h"

enum {
    PN_FRAME_HELLO = 0xFEFC,
    PN_FRAME_IDENT_RES = 0xFEFF,
    DCP_SERVICE_IDENTIFY = 5,
    DCP_SERVICE_HELLO = 6,
    DCP_TYPE_REQUEST = 0,
    DCP_TYPE_SUCCESS = 1,
    DCP_HDR = 10,
    DCP_BLOCKS_MAX = 32, /* blocks walked per frame: DCP data is at most 1416 bytes */
    DCP_OPT_DEVICE = 2,
    DCP_SUB_VENDOR_VALUE = 1, /* DeviceVendorValue: type of station */
    DCP_SUB_NAME = 2,         /* NameOfStation                      */
    DCP_SUB_DEVICE_ID = 3,    /* VendorID, DeviceID                 */
    DCP_SUB_ROLE = 4,         /* DeviceRoleDetails, reserved        */
};

static const char *const pn_roles[] = {"io-device", "io-controller", "io-multidevice",
                                       "supervisor"};

/* The vendor by name from the PROFINET vendor table, else "id 0xVVVV": DCP and I&M0 carry
 * the same vendor id. */
static void pn_vendor(probe_ev_buf_t *out, uint16_t vendor)
{
    const char *name = sig_profinet_vendor(vendor);
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    if (name) {
        probe_ev_str_put(&s, name, strlen(name));
    } else {
        probe_ev_str_put(&s, "id 0x", 5);
        probe_ev_str_hex(&s, (uint8_t)(vendor >> 8));
        probe_ev_str_hex(&s, (uint8_t)vendor);
    }
    probe_ev_add_str(out, PROBE_EVF_PN_VENDOR, PROBE_EV_SRC, &s);
}

static void pn_device_id(ssf_cur d, probe_ev_buf_t *out)
{
    uint16_t vendor, device;
    if (!ssf_cur_u16be(&d, &vendor) || !ssf_cur_u16be(&d, &device)) return;
    pn_vendor(out, vendor);
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_put(&s, "0x", 2);
    probe_ev_str_hex(&s, (uint8_t)(device >> 8));
    probe_ev_str_hex(&s, (uint8_t)device);
    probe_ev_add_str(out, PROBE_EVF_PN_DEVICE_ID, PROBE_EV_SRC, &s);
}

/* d: block data after BlockInfo. */
static void pn_device_block(uint8_t sub, ssf_cur d, probe_ev_buf_t *out)
{
    size_t n = ssf_cur_left(&d);
    uint8_t role;
    switch (sub) {
    case DCP_SUB_VENDOR_VALUE:
        probe_ev_add(out, PROBE_EVF_PN_DEVICE_VENDOR, PROBE_EV_SRC, d.p, n);
        break;
    case DCP_SUB_NAME:
        probe_ev_add(out, PROBE_EVF_PN_STATION, PROBE_EV_SRC, d.p, n);
        break;
    case DCP_SUB_DEVICE_ID:
        pn_device_id(d, out);
        break;
    case DCP_SUB_ROLE:
        if (ssf_cur_u8(&d, &role)) {
            probe_ev_str_t s;
            probe_ev_str_init(&s);
            probe_ev_str_bits(&s, pn_roles, SSF_ARRAY_LEN(pn_roles), role);
            probe_ev_add_str(out, PROBE_EVF_PN_ROLE, PROBE_EV_SRC, &s);
        }
        break;
    default:
        break;
    }
}

/* Walks the blocks of c (exactly the DCP data). EINVAL when a block runs past it. */
static ssf_rc pn_blocks(ssf_cur c, probe_ev_buf_t *out)
{
    for (int i = 0; i < DCP_BLOCKS_MAX && ssf_cur_left(&c); i++) {
        uint8_t opt, sub;
        uint16_t len, info;
        ssf_cur d;
        if (!ssf_cur_u8(&c, &opt) || !ssf_cur_u8(&c, &sub) || !ssf_cur_u16be(&c, &len) ||
            !ssf_cur_sub(&c, len, &d))
            return SSF_EINVAL;
        if (len & 1) ssf_cur_skip(&c, 1); /* padding; may be missing at the very end */
        if (opt != DCP_OPT_DEVICE || !ssf_cur_u16be(&d, &info)) continue;
        (void)info;
        pn_device_block(sub, d, out);
    }
    return SSF_OK;
}

ssf_rc probe_ev_profinet(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n), data;
    uint16_t frame_id, dlen;
    uint8_t service, type;
    if (!ssf_cur_u16be(&c, &frame_id)) return SSF_ETRUNC;
    bool ident = frame_id == PN_FRAME_IDENT_RES, hello = frame_id == PN_FRAME_HELLO;
    if (!ident && !hello) return SSF_OK; /* cyclic data, alarms, other DCP services */
    if (!ssf_cur_u8(&c, &service) || !ssf_cur_u8(&c, &type) || !ssf_cur_skip(&c, 6) ||
        !ssf_cur_u16be(&c, &dlen))
        return SSF_ETRUNC;
    if (!ssf_cur_sub(&c, dlen, &data)) return SSF_ETRUNC;
    if (ident && (service != DCP_SERVICE_IDENTIFY || type != DCP_TYPE_SUCCESS)) return SSF_OK;
    if (hello && (service != DCP_SERVICE_HELLO || type != DCP_TYPE_REQUEST)) return SSF_OK;
    return pn_blocks(data, out);
}

/* ---- PN-IO Read responses (DCE/RPC over UDP 34964) ----
 *
 * A connectionless DCE/RPC header (80 bytes; its integers in the byte order its data
 * representation byte gives) carries the PNIO device interface DEA00001-6C97-11D1-8271-
 * 00A02442DF7D. A response to Read (opnum 2) or Read Implicit (opnum 5) has a body of
 * PNIOStatus and the NDR array header (ArgsLength, MaximumCount, Offset, ActualCount), then
 * PROFINET blocks, always big-endian: IODReadResHeader and the record data. An I&M0 block
 * (type 0x0020) names the vendor, order id, serial number and software revision. Other
 * records (I&M0FilterData lists which submodules have I&M data) yield nothing. */

enum {
    RPC_HDR = 80,
    RPC_VERSION = 4,
    RPC_PTYPE_RESPONSE = 2,
    RPC_PTYPE_MAX = 10,
    RPC_OPNUM_READ = 2,
    RPC_OPNUM_READ_IMPLICIT = 5,
    PNIO_NDR_HDR = 20,
    PN_BLOCK_IM0 = 0x0020,
    PN_IM0_LEN = 2 + 2 + 20 + 16 + 2 + 4, /* version, vendor, order, serial, hw, sw rev */
    PN_BLOCKS_MAX = 16,
};

/* The PNIO device interface UUID as the wire holds it: little-endian drep, then big. */
static const uint8_t pnio_if_le[16] = {0x01, 0x00, 0xa0, 0xde, 0x97, 0x6c, 0xd1, 0x11,
                                       0x82, 0x71, 0x00, 0xa0, 0x24, 0x42, 0xdf, 0x7d};
static const uint8_t pnio_if_be[16] = {0xde, 0xa0, 0x00, 0x01, 0x6c, 0x97, 0x11, 0xd1,
                                       0x82, 0x71, 0x00, 0xa0, 0x24, 0x42, 0xdf, 0x7d};

static uint16_t rpc16(const uint8_t *p, bool le)
{
    return le ? (uint16_t)(p[0] | p[1] << 8) : (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rpc32(const uint8_t *p, bool le)
{
    return le ? (uint32_t)rpc16(p, true) | (uint32_t)rpc16(p + 2, true) << 16
              : (uint32_t)rpc16(p, false) << 16 | rpc16(p + 2, false);
}

/* A fixed-size visible string field, up to its first NUL; padded with blanks. */
static void pn_text(probe_ev_buf_t *out, probe_ev_field f, const uint8_t *p, size_t n)
{
    size_t len = 0;
    while (len < n && p[len])
        len++;
    probe_ev_add(out, f, PROBE_EV_SRC, p, len);
}

/* d: I&M0 block after type and length. */
static void pn_im0(ssf_cur d, probe_ev_buf_t *out)
{
    const uint8_t *b;
    if (!ssf_cur_bytes(&d, PN_IM0_LEN, &b)) return;
    if (b[0] != 1) return; /* BlockVersionHigh */
    pn_vendor(out, (uint16_t)(b[2] << 8 | b[3]));
    probe_ev_str_t s;
    pn_text(out, PROBE_EVF_PN_ORDER, b + 4, 20);
    pn_text(out, PROBE_EVF_PN_SERIAL, b + 24, 16);
    /* IM_Software_Revision: prefix letter ('V' released, 'R', 'P', 'U', 'T'), then three
     * numbers. */
    const uint8_t *sw = b + 42;
    if (sw[0] < 'A' || sw[0] > 'Z') return;
    probe_ev_str_init(&s);
    probe_ev_str_putc(&s, (char)sw[0]);
    for (int i = 1; i < 4; i++) {
        if (i > 1) probe_ev_str_putc(&s, '.');
        probe_ev_str_u64(&s, sw[i]);
    }
    probe_ev_add_str(out, PROBE_EVF_PN_FIRMWARE, PROBE_EV_SRC, &s);
}

/* c: PROFINET blocks of a read response. Stops at the first block that overruns. */
static void pn_read_blocks(ssf_cur c, probe_ev_buf_t *out)
{
    for (int i = 0; i < PN_BLOCKS_MAX && ssf_cur_left(&c); i++) {
        uint16_t type, len;
        ssf_cur d;
        if (!ssf_cur_u16be(&c, &type) || !ssf_cur_u16be(&c, &len) || !ssf_cur_sub(&c, len, &d))
            return;
        if (type == PN_BLOCK_IM0) pn_im0(d, out);
    }
}

ssf_rc probe_ev_pnio(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    if (p[0] != RPC_VERSION || (n > 1 && p[1] > RPC_PTYPE_MAX)) return SSF_EINVAL;
    if (n < RPC_HDR) return SSF_ETRUNC;
    bool le = (p[4] & 0xF0) == 0x10;
    const uint8_t *uuid = p + 24;
    if (memcmp(uuid, le ? pnio_if_le : pnio_if_be, 16) != 0) return SSF_OK; /* EPM and others */
    size_t frag = rpc16(p + 74, le);
    if (n - RPC_HDR < frag) return SSF_ETRUNC;
    uint16_t opnum = rpc16(p + 68, le);
    if (p[1] != RPC_PTYPE_RESPONSE || (opnum != RPC_OPNUM_READ && opnum != RPC_OPNUM_READ_IMPLICIT))
        return SSF_OK;
    const uint8_t *body = p + RPC_HDR;
    if (frag < PNIO_NDR_HDR || rpc32(body, le) != 0) return SSF_OK; /* PNIOStatus: an error */
    size_t actual = rpc32(body + 16, le);
    ssf_cur c = ssf_cur_make(body + PNIO_NDR_HDR, frag - PNIO_NDR_HDR);
    if (actual < ssf_cur_left(&c)) c.end = c.p + actual;
    pn_read_blocks(c, out);
    return SSF_OK;
}
