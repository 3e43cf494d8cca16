/* vlan-ipv6.pcapng: tagged and double-tagged Ethernet, and IPv6 with extension headers and
 * neighbour discovery, in a hand-written pcapng file. */
#include "gen.h"

#include <string.h>

static const gen_host v6_wago = {{0x00, 0x30, 0xde, 0x00, 0x00, 0x05}, {10, 100, 0, 5}, false};
static const gen_host v6_curl = {{0x00, 0x1d, 0x9c, 0x00, 0x00, 0x09}, {10, 100, 0, 9}, false};
static const gen_host v6_pi = {{0xb8, 0x27, 0xeb, 0x00, 0x00, 0x07}, {0, 0, 0, 0}, false};
static const gen_host v6_bcast = {
    {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {255, 255, 255, 255}, false};
static const gen_host v6_srv = {
    {0x00, 0x0e, 0x8c, 0x00, 0x00, 0x77},
    {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x07},
    true};
static const gen_host v6_cli = {
    {0x00, 0x14, 0x22, 0x00, 0x00, 0x99},
    {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x09},
    true};
/* Solicited-node multicast group of 2001:db8:10::7 and its Ethernet mapping. */
static const gen_host v6_snm = {
    {0x33, 0x33, 0xff, 0x00, 0x00, 0x07},
    {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff, 0x00, 0x00, 0x07},
    true};

static void v6_scene_vlan_http(gen_out *o)
{
    static const char body[] = "<html><body>WAGO PFC200 Web-based Management</body></html>\n";
    gen_conv c;
    gen_buf b;
    gen_conv_init(&c, o, &v6_curl, 51514, &v6_wago, 80);
    c.vlans = (gen_vlans){.n = 1, .tpid = {0x8100}, .vid = {100}};
    gen_tcp_open(&c);
    gen_buf_init(&b);
    gen_http_get(&b, "10.100.0.5", "/", "curl/7.88.1");
    gen_tcp_talk(&c, GEN_C2S, b.b, b.len);
    gen_buf_init(&b);
    gen_http_ok(&b, "lighttpd/1.4.59", body);
    gen_tcp_talk(&c, GEN_S2C, b.b, b.len);
    gen_tcp_close(&c);
}

static void v6_scene_qinq_dhcp(gen_out *o)
{
    static const uint8_t prl[] = {1, 3, 6, 12, 15, 28, 42};
    static const gen_vlans qinq = {.n = 2, .tpid = {0x88a8, 0x8100}, .vid = {200, 20}};
    uint8_t cid[7] = {0x01};
    gen_buf opts, pl;
    memcpy(cid + 1, v6_pi.mac, 6);
    gen_buf_init(&opts);
    gen_dhcp_opt(&opts, 61, cid, sizeof cid);
    gen_dhcp_opt(&opts, 12, "pi-gateway", 10);
    gen_dhcp_opt(&opts, 55, prl, sizeof prl);
    gen_dhcp d = {.op = 1, .msg_type = 1, .xid = 0x7a11c0deu, .opts = opts.b, .opts_len = opts.len};
    memcpy(d.chaddr, v6_pi.mac, 6);
    gen_buf_init(&pl);
    gen_dhcp_payload(&pl, &d);
    gen_udp_send(o, &qinq, &v6_pi, 68, &v6_bcast, 67, pl.b, pl.len);
}

/* One ICMPv6 message; ND messages use hop limit 255 as RFC 4861 requires. */
static void v6_icmp6(gen_out *o, const gen_host *src, const gen_host *dst, uint8_t type,
                     uint32_t rest, const gen_buf *body)
{
    gen_buf b;
    gen_buf_init(&b);
    gen_link(&b, o, NULL, src->mac, dst->mac, 0x86dd, true);
    gen_ipopt ip = {.ttl = (type == 135 || type == 136) ? 255 : 64};
    gen_ipv6(&b, src->ip, dst->ip, 58, &ip);
    gen_icmp6(&b, type, 0, rest);
    gen_put(&b, body->b, body->len);
    gen_finish(&b);
    gen_out_buf(o, &b);
}

static void v6_scene_nd(gen_out *o)
{
    gen_buf body;
    gen_buf_init(&body); /* NS: target, source link-layer address option */
    gen_put(&body, v6_srv.ip, 16);
    gen_u16(&body, 0x0101);
    gen_put(&body, v6_cli.mac, 6);
    v6_icmp6(o, &v6_cli, &v6_snm, 135, 0, &body);
    gen_buf_init(&body); /* NA: solicited + override, target link-layer address option */
    gen_put(&body, v6_srv.ip, 16);
    gen_u16(&body, 0x0201);
    gen_put(&body, v6_srv.mac, 6);
    v6_icmp6(o, &v6_srv, &v6_cli, 136, 0x60000000u, &body);
}

static void v6_scene_ssh(gen_out *o)
{
    static const char srv[] = "SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u1\r\n";
    static const char cli[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u1\r\n";
    gen_conv c;
    gen_conv_init(&c, o, &v6_cli, 52022, &v6_srv, 22);
    c.cli_v6_ext = true;
    gen_tcp_open(&c);
    gen_tcp_talk(&c, GEN_S2C, srv, strlen(srv));
    gen_tcp_talk(&c, GEN_C2S, cli, strlen(cli));
    gen_tcp_close(&c);
}

static void v6_scene_ping(gen_out *o)
{
    gen_buf body;
    gen_buf_init(&body);
    for (unsigned i = 0; i < 32; i++)
        gen_u8(&body, (uint8_t)('a' + i % 23));
    v6_icmp6(o, &v6_cli, &v6_srv, 128, 0x00420001u, &body); /* id 0x42, seq 1 */
    v6_icmp6(o, &v6_srv, &v6_cli, 129, 0x00420001u, &body);
}

int cap_vlan_ipv6(const char *dir)
{
    static void (*const scenes[])(gen_out *) = {v6_scene_vlan_http, v6_scene_qinq_dhcp, v6_scene_nd,
                                                v6_scene_ssh, v6_scene_ping};
    gen_out o;
    if (gen_out_open(&o, dir, "vlan-ipv6.pcapng", GEN_FMT_PCAPNG, 1, 65535) != 0) return -1;
    for (size_t i = 0; i < sizeof scenes / sizeof *scenes; i++) {
        scenes[i](&o);
        gen_out_sleep(&o, 250000u);
    }
    return gen_out_close(&o);
}
