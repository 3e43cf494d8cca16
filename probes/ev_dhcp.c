/* ev_dhcp.c - identity from BOOTP/DHCPv4 client messages (RFC 2131, RFC 2132).
 *
 * Only options in the options field are read; option 52 (overload into sname/file) is rare
 * from clients and ignored. Long options split per RFC 3396 yield one item per piece. */
#include "evidence_internal.h"

enum {
    DHCP_FIXED_LEN = 236, /* op .. file, before the magic cookie        */
    DHCP_CHADDR_OFF = 28, /* client hardware address                    */
    DHCP_OP_REQUEST = 1,  /* BOOTREQUEST: client to server             */
    DHCP_OP_REPLY = 2,    /* BOOTREPLY                                  */
    DHCP_OPT_PAD = 0,
    DHCP_OPT_END = 255,
};
static const uint8_t dhcp_cookie[4] = {0x63, 0x82, 0x53, 0x63};

typedef void (*dhcp_render_fn)(probe_ev_str_t *s, const uint8_t *v, size_t len);

/* Client id: "01:00:0e:8c:10:20:30"; cut at a whole byte when the value is full. */
static void dhcp_render_hex(probe_ev_str_t *s, const uint8_t *v, size_t len)
{
    for (size_t i = 0; i < len && probe_ev_str_fits(s, i ? 3 : 2); i++) {
        if (i) probe_ev_str_putc(s, ':');
        probe_ev_str_hex(s, v[i]);
    }
}

/* Parameter request list: "1,3,6,15"; its order is what tells DHCP stacks apart. */
static void dhcp_render_list(probe_ev_str_t *s, const uint8_t *v, size_t len)
{
    for (size_t i = 0; i < len && probe_ev_str_fits(s, i ? 4 : 3); i++) {
        if (i) probe_ev_str_putc(s, ',');
        probe_ev_str_u64(s, v[i]);
    }
}

/* Options we report; render NULL means the bytes are text and are copied as they are. */
static const struct {
    uint8_t code;
    probe_ev_field field;
    dhcp_render_fn render;
} dhcp_opts[] = {
    {12, PROBE_EVF_DHCP_HOSTNAME, NULL},
    {60, PROBE_EVF_DHCP_VENDOR, NULL},
    {61, PROBE_EVF_DHCP_CLIENT_ID, dhcp_render_hex},
    {55, PROBE_EVF_DHCP_FINGERPRINT, dhcp_render_list},
};

static void dhcp_emit(probe_ev_buf_t *out, uint8_t code, const uint8_t *v, size_t len,
                      const uint8_t *mac)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(dhcp_opts); i++) {
        if (dhcp_opts[i].code != code) continue;
        probe_ev_t *it;
        if (dhcp_opts[i].render) {
            probe_ev_str_t s;
            probe_ev_str_init(&s);
            dhcp_opts[i].render(&s, v, len);
            it = probe_ev_add_str(out, dhcp_opts[i].field, PROBE_EV_SRC, &s);
        } else {
            it = probe_ev_add(out, dhcp_opts[i].field, PROBE_EV_SRC, v, len);
        }
        if (it && mac) {
            it->has_mac = 1;
            memcpy(it->mac, mac, 6);
        }
        return;
    }
}

/* Walks code/len/value options until END or the data runs out. A missing END is tolerated
 * (some stacks stop at the payload end); an option longer than what is left is not. */
static ssf_rc dhcp_options(ssf_cur *c, probe_ev_buf_t *out, const uint8_t *mac)
{
    uint8_t code, len;
    const uint8_t *v;
    while (ssf_cur_u8(c, &code)) {
        if (code == DHCP_OPT_PAD) continue;
        if (code == DHCP_OPT_END) return SSF_OK;
        if (!ssf_cur_u8(c, &len) || !ssf_cur_bytes(c, len, &v)) return SSF_ETRUNC;
        dhcp_emit(out, code, v, len, mac);
    }
    return SSF_OK;
}

ssf_rc probe_ev_dhcp(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || n < DHCP_FIXED_LEN + sizeof dhcp_cookie) return SSF_EINVAL;
    if (p[0] != DHCP_OP_REQUEST && p[0] != DHCP_OP_REPLY) return SSF_EINVAL;
    if (memcmp(p + DHCP_FIXED_LEN, dhcp_cookie, sizeof dhcp_cookie) != 0) return SSF_EINVAL;
    if (p[0] == DHCP_OP_REPLY) return SSF_OK; /* server facts: a later issue */
    /* chaddr names the client even when a relay (giaddr) sent the packet. */
    const uint8_t *mac = (p[1] == 1 && p[2] == 6) ? p + DHCP_CHADDR_OFF : NULL;
    ssf_cur c = ssf_cur_make(p + DHCP_FIXED_LEN + sizeof dhcp_cookie,
                             n - DHCP_FIXED_LEN - sizeof dhcp_cookie);
    return dhcp_options(&c, out, mac);
}
