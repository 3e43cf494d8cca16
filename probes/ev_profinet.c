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

static void pn_device_id(ssf_cur d, probe_ev_buf_t *out)
{
    uint16_t vendor, device;
    if (!ssf_cur_u16be(&d, &vendor) || !ssf_cur_u16be(&d, &device)) return;
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
