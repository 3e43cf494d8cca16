/* identity.pcap: a small plant LAN where every device reveals who it is (DHCP, ARP, HTTP, SSH,
 * TLS). SCENARIO.md lists what each device shows; keep the two in step. */
#include "gen.h"

#include <string.h>

static const gen_host id_router = {{0x00, 0x1b, 0x54, 0x00, 0x00, 0x01}, {192, 168, 10, 1}, false};
static const gen_host id_switch = {{0x00, 0x1b, 0x54, 0x00, 0x00, 0x02}, {192, 168, 10, 2}, false};
static const gen_host id_plc = {{0x00, 0x0e, 0x8c, 0x10, 0x20, 0x30}, {192, 168, 10, 20}, false};
static const gen_host id_plc_unbound = {{0x00, 0x0e, 0x8c, 0x10, 0x20, 0x30}, {0, 0, 0, 0}, false};
static const gen_host id_camera = {{0x00, 0x40, 0x8c, 0xaa, 0xbb, 0xcc}, {192, 168, 10, 30}, false};
static const gen_host id_hmi = {{0x28, 0x63, 0x36, 0x44, 0x55, 0x66}, {192, 168, 10, 40}, false};
static const gen_host id_ws = {{0x00, 0x14, 0x22, 0x01, 0x02, 0x03}, {192, 168, 10, 50}, false};
static const gen_host id_bcast = {
    {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {255, 255, 255, 255}, false};

#define ID_DHCP_XID     0x3903f326u
#define ID_SCENE_GAP_US 500000u

static const char id_chrome_ua[] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                                   "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

/* Client options after 53, in wire order; REQUEST adds 50 and 54 first. */
static void id_dhcp_client_opts(gen_buf *o, bool request)
{
    static const uint8_t prl[] = {1, 3, 6, 15, 28, 51, 58, 59};
    uint8_t cid[7] = {0x01};
    memcpy(cid + 1, id_plc.mac, 6);
    if (request) {
        gen_dhcp_opt(o, 50, id_plc.ip, 4);
        gen_dhcp_opt(o, 54, id_router.ip, 4);
    }
    gen_dhcp_opt(o, 12, "plc-line1", 9);
    gen_dhcp_opt(o, 60, "SIEMENS-S7-1500", 15);
    gen_dhcp_opt(o, 61, cid, sizeof cid);
    gen_dhcp_opt(o, 55, prl, sizeof prl);
}

static void id_dhcp_server_opts(gen_buf *o)
{
    static const uint8_t lease[4] = {0, 1, 0x51, 0x80};  /* 86400 s */
    static const uint8_t renew[4] = {0, 0, 0xa8, 0xc0};  /* 43200 s */
    static const uint8_t rebind[4] = {0, 1, 0x27, 0x50}; /* 75600 s */
    static const uint8_t mask[4] = {255, 255, 255, 0};
    static const uint8_t bcast[4] = {192, 168, 10, 255};
    gen_dhcp_opt(o, 54, id_router.ip, 4);
    gen_dhcp_opt(o, 51, lease, 4);
    gen_dhcp_opt(o, 58, renew, 4);
    gen_dhcp_opt(o, 59, rebind, 4);
    gen_dhcp_opt(o, 1, mask, 4);
    gen_dhcp_opt(o, 28, bcast, 4);
    gen_dhcp_opt(o, 3, id_router.ip, 4);
    gen_dhcp_opt(o, 6, id_router.ip, 4);
    gen_dhcp_opt(o, 15, "plant.example", 13);
}

/* One DHCP message; msg 1/3 come from the client, 2/5 from the server. */
static void id_dhcp_msg(gen_out *o, uint8_t msg)
{
    bool from_server = msg == 2 || msg == 5;
    gen_buf opts, pl;
    gen_buf_init(&opts);
    gen_buf_init(&pl);
    if (from_server)
        id_dhcp_server_opts(&opts);
    else
        id_dhcp_client_opts(&opts, msg == 3);
    gen_dhcp d = {.op = from_server ? 2 : 1, .msg_type = msg, .xid = ID_DHCP_XID};
    memcpy(d.chaddr, id_plc.mac, 6);
    if (from_server) {
        memcpy(d.yiaddr, id_plc.ip, 4);
        memcpy(d.siaddr, id_router.ip, 4);
    }
    d.opts = opts.b;
    d.opts_len = opts.len;
    gen_dhcp_payload(&pl, &d);
    if (from_server)
        gen_udp_send(o, NULL, &id_router, 67, &id_bcast, 68, pl.b, pl.len);
    else
        gen_udp_send(o, NULL, &id_plc_unbound, 68, &id_bcast, 67, pl.b, pl.len);
}

static void id_scene_dhcp(gen_out *o)
{
    static const uint8_t msgs[] = {1, 2, 3, 5}; /* DISCOVER OFFER REQUEST ACK */
    for (size_t i = 0; i < sizeof msgs; i++)
        id_dhcp_msg(o, msgs[i]);

    /* Gratuitous ARP: a broadcast reply announcing the freshly leased address. */
    gen_buf b;
    gen_buf_init(&b);
    gen_eth(&b, id_bcast.mac, id_plc.mac, 0x0806);
    gen_arp(&b, 2, id_plc.mac, id_plc.ip, id_plc.mac, id_plc.ip);
    gen_pad60(&b);
    gen_out_buf(o, &b);
}

static void id_scene_http(gen_out *o)
{
    static const char body[] = "<html><head><title>AXIS Network Camera</title></head>"
                               "<body><h1>Live view</h1></body></html>\n";
    gen_conv c;
    gen_buf b;
    gen_conv_init(&c, o, &id_ws, 49732, &id_camera, 80);
    gen_tcp_open(&c);
    gen_buf_init(&b);
    gen_http_get(&b, "192.168.10.30", "/index.html", id_chrome_ua);
    gen_tcp_talk(&c, GEN_C2S, b.b, b.len);
    gen_buf_init(&b);
    gen_http_ok(&b, "Boa/0.94.14rc21", body);
    gen_tcp_talk(&c, GEN_S2C, b.b, b.len);
    gen_tcp_close(&c);
}

static void id_scene_ssh(gen_out *o)
{
    static const char srv[] = "SSH-2.0-Cisco-1.25\r\n";
    static const char cli[] = "SSH-2.0-PuTTY_Release_0.78\r\n";
    gen_conv c;
    gen_buf b;
    gen_conv_init(&c, o, &id_ws, 49800, &id_switch, 22);
    gen_tcp_open(&c);
    gen_tcp_talk(&c, GEN_S2C, srv, strlen(srv));
    gen_tcp_talk(&c, GEN_C2S, cli, strlen(cli));
    gen_buf_init(&b);
    gen_ssh_kexinit(&b, true);
    gen_tcp_talk(&c, GEN_S2C, b.b, b.len);
    gen_buf_init(&b);
    gen_ssh_kexinit(&b, false);
    gen_tcp_talk(&c, GEN_C2S, b.b, b.len);
    gen_tcp_close(&c);
}

/* The server flight goes out as two segments split in the middle of the certificate, so a
 * scanner must reassemble the stream to see the subject. */
static void id_scene_tls(gen_out *o)
{
    gen_conv c;
    gen_buf b;
    gen_conv_init(&c, o, &id_ws, 49900, &id_hmi, 443);
    gen_tcp_open(&c);
    gen_buf_init(&b);
    gen_tls_client_hello(&b, "hmi.plant.example");
    gen_tcp_talk(&c, GEN_C2S, b.b, b.len);
    gen_buf_init(&b);
    size_t split = gen_tls_server_flight(&b, gen_hmi_cert_der, gen_hmi_cert_der_len) +
                   gen_hmi_cert_der_len / 2;
    gen_tcp_send(&c, GEN_S2C, GEN_ACK, b.b, split);
    gen_tcp_send(&c, GEN_S2C, GEN_PSH | GEN_ACK, b.b + split, b.len - split);
    gen_tcp_send(&c, GEN_C2S, GEN_ACK, NULL, 0);
    gen_tcp_close(&c);
}

int cap_identity(const char *dir)
{
    static void (*const scenes[])(gen_out *) = {id_scene_dhcp, id_scene_http, id_scene_ssh,
                                                id_scene_tls};
    gen_out o;
    if (gen_out_open(&o, dir, "identity.pcap", GEN_FMT_PCAP, 1, 65535) != 0) return -1;
    for (size_t i = 0; i < sizeof scenes / sizeof *scenes; i++) {
        scenes[i](&o);
        gen_out_sleep(&o, ID_SCENE_GAP_US);
    }
    return gen_out_close(&o);
}
