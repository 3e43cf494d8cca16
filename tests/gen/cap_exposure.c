/* exposure.pcap: a cell behind an Internet router, for the checks internet_exposed and
 * programming_from_unexpected_host (docs/findings.md). A Siemens PLC that names itself (S7 SZL)
 * talks TLS to a public server and answers an S7 connection from the Internet; an HMI and an
 * unidentified Modbus gateway talk out too (tests/data/exposure.policy allows both); a laptop
 * browses the web; the engineering workstation downloads a block to the PLC, and the laptop
 * stops it. Public peers come from the documentation ranges (RFC 5737), which ssfscan counts as
 * public. SCENARIO.md lists every flow; keep the two in step. All bytes are built here from the
 * protocol specifications. */
#include "gen.h"

#include <string.h>

/* The router's MAC carries its own address and every public one: it is the way out. */
#define EX_ROUTER_MAC                                                                              \
    {                                                                                              \
        0x00, 0x0d, 0xb9, 0x40, 0x00, 0x01                                                         \
    }

static const gen_host ex_router = {EX_ROUTER_MAC, {192, 168, 40, 1}, false};
static const gen_host ex_ews = {{0x00, 0x14, 0x22, 0x40, 0x00, 0x10}, {192, 168, 40, 10}, false};
static const gen_host ex_plc = {{0x00, 0x1b, 0x1b, 0x40, 0x00, 0x21}, {192, 168, 40, 21}, false};
static const gen_host ex_gw = {{0x02, 0x00, 0x00, 0x40, 0x00, 0x30}, {192, 168, 40, 30}, false};
static const gen_host ex_hmi = {{0x28, 0x63, 0x36, 0x40, 0x00, 0x40}, {192, 168, 40, 40}, false};
static const gen_host ex_laptop = {{0x02, 0x00, 0x00, 0x40, 0x00, 0x66}, {192, 168, 40, 66}, false};
static const gen_host ex_cloud = {EX_ROUTER_MAC, {203, 0, 113, 7}, false};
static const gen_host ex_support = {EX_ROUTER_MAC, {203, 0, 113, 50}, false};
static const gen_host ex_broker = {EX_ROUTER_MAC, {203, 0, 113, 80}, false};
static const gen_host ex_dns = {EX_ROUTER_MAC, {203, 0, 113, 53}, false};
static const gen_host ex_scanner = {EX_ROUTER_MAC, {198, 51, 100, 20}, false};
static const gen_host ex_bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {192, 168, 40, 255}, false};

#define EX_SCENE_GAP_US 250000u

/* TPKT (RFC 1006) around n bytes of COTP and what follows. */
static void ex_tpkt(gen_buf *b, size_t n)
{
    gen_u8(b, 3), gen_u8(b, 0), gen_u16(b, (uint16_t)(4 + n));
}

/* TPKT + COTP DT header around an S7 PDU of n bytes. */
static void ex_dt(gen_buf *b, size_t n)
{
    ex_tpkt(b, 3 + n);
    gen_u8(b, 2), gen_u8(b, 0xf0), gen_u8(b, 0x80);
}

/* A COTP connection request asking for the TSAP tsap ("SIMATIC-ROOT-ES"). */
static void ex_cotp_cr(gen_buf *b, const char *tsap)
{
    size_t n = strlen(tsap);
    ex_tpkt(b, 1 + 6 + 4 + 2 + n);
    gen_u8(b, (uint8_t)(6 + 4 + 2 + n)), gen_u8(b, 0xe0); /* length indicator, CR     */
    gen_u16(b, 0), gen_u16(b, 0x0001), gen_u8(b, 0);      /* dst ref, src ref, class 0 */
    gen_u8(b, 0xc1), gen_u8(b, 2), gen_u16(b, 0x0100);    /* calling TSAP             */
    gen_u8(b, 0xc2), gen_u8(b, (uint8_t)n), gen_str(b, tsap);
}

/* An S7 job (ROSCTR 1) with the given parameter block and no data. */
static void ex_s7_job(gen_buf *b, uint16_t ref, const uint8_t *param, size_t n)
{
    ex_dt(b, 10 + n);
    gen_u8(b, 0x32), gen_u8(b, 1), gen_u16(b, 0), gen_u16(b, ref);
    gen_u16(b, (uint16_t)n), gen_u16(b, 0);
    gen_put(b, param, n);
}

/* Its ACK_DATA (ROSCTR 3) with error class and code 0: the PLC did it. */
static void ex_s7_ack(gen_buf *b, uint16_t ref, uint8_t function)
{
    ex_dt(b, 13);
    gen_u8(b, 0x32), gen_u8(b, 3), gen_u16(b, 0), gen_u16(b, ref);
    gen_u16(b, 1), gen_u16(b, 0), gen_u16(b, 0);
    gen_u8(b, function);
}

/* A Read SZL 0x0011 response: record index 1 holds the order number. */
static void ex_s7_szl11(gen_buf *b)
{
    static const char order[20] = "6ES7 315-2EH14-0AB0 ";
    static const uint8_t param[] = {0x00, 0x01, 0x12, 0x08, 0x12, 0x84,
                                    0x01, 0x01, 0x00, 0x00, 0x00, 0x00};
    gen_buf d;
    gen_buf_init(&d);
    gen_u8(&d, 0xff), gen_u8(&d, 0x09), gen_u16(&d, 8 + 28);
    gen_u16(&d, 0x0011), gen_u16(&d, 0x0000), gen_u16(&d, 28), gen_u16(&d, 1);
    gen_u16(&d, 0x0001), gen_put(&d, order, 20), gen_u16(&d, 0), gen_u16(&d, 0x0004),
        gen_u16(&d, 0);
    ex_dt(b, 10 + sizeof param + d.len);
    gen_u8(b, 0x32), gen_u8(b, 0x07), gen_u16(b, 0), gen_u16(b, 0x0100);
    gen_u16(b, sizeof param), gen_u16(b, (uint16_t)d.len);
    gen_put(b, param, sizeof param);
    gen_put(b, d.b, d.len);
}

static void ex_talk_buf(gen_conv *c, int dir, const gen_buf *b)
{
    gen_tcp_talk(c, dir, b->b, b->len);
}

/* The router claims its own address, so it stays one device with the public ones behind. */
static void ex_scene_arp(gen_out *o)
{
    gen_buf b;
    gen_buf_init(&b);
    gen_eth(&b, ex_bcast.mac, ex_router.mac, 0x0806);
    gen_arp(&b, 2, ex_router.mac, ex_router.ip, ex_router.mac, ex_router.ip);
    gen_pad60(&b);
    gen_out_buf(o, &b);
}

/* The workstation opens an engineering session, reads the PLC's identity and downloads OB 1. */
static void ex_scene_ews(gen_out *o)
{
    static const uint8_t szl_req[] = {0x32, 0x07, 0x00, 0x00, 0x01, 0x00, 0x00, 0x08, 0x00,
                                      0x08, 0x00, 0x01, 0x12, 0x04, 0x11, 0x44, 0x01, 0x00,
                                      0xff, 0x09, 0x00, 0x04, 0x00, 0x11, 0x00, 0x00};
    /* request_download: function, status, 2 unknown, 4 unknown, filename "_0800001P" (OB 1),
     * then part 2: an unknown digit, load memory and MC7 lengths as 6 ASCII digits each. */
    static const char download[] = "\x1a\x00\x01\x00\x00\x00\x00\x00\x00"
                                   "\x09_0800001P"
                                   "\x0d"
                                   "1000256000128";
    gen_conv c;
    gen_buf b;
    gen_conv_init(&c, o, &ex_ews, 50110, &ex_plc, 102);
    gen_tcp_open(&c);
    gen_buf_init(&b);
    ex_cotp_cr(&b, "SIMATIC-ROOT-ES");
    ex_talk_buf(&c, GEN_C2S, &b);
    gen_buf_init(&b);
    ex_dt(&b, sizeof szl_req);
    gen_put(&b, szl_req, sizeof szl_req);
    ex_talk_buf(&c, GEN_C2S, &b);
    gen_buf_init(&b);
    ex_s7_szl11(&b);
    ex_talk_buf(&c, GEN_S2C, &b);
    gen_buf_init(&b);
    ex_s7_job(&b, 0x0200, (const uint8_t *)download, sizeof download - 1);
    ex_talk_buf(&c, GEN_C2S, &b);
    gen_buf_init(&b);
    ex_s7_ack(&b, 0x0200, 0x1a);
    ex_talk_buf(&c, GEN_S2C, &b);
    gen_tcp_close(&c);
}

/* The laptop, which no policy names, stops the PLC: PI service "P_PROGRAM" of plc_stop. */
static void ex_scene_laptop_stop(gen_out *o)
{
    static const uint8_t stop[] = {0x29, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 'P',
                                   '_',  'P',  'R',  'O',  'G',  'R',  'A',  'M'};
    gen_conv c;
    gen_buf b;
    gen_conv_init(&c, o, &ex_laptop, 50166, &ex_plc, 102);
    gen_tcp_open(&c);
    gen_buf_init(&b);
    ex_s7_job(&b, 0x0300, stop, sizeof stop);
    ex_talk_buf(&c, GEN_C2S, &b);
    gen_buf_init(&b);
    ex_s7_ack(&b, 0x0300, 0x29);
    ex_talk_buf(&c, GEN_S2C, &b);
    gen_tcp_close(&c);
}

/* A TLS ClientHello and a few bytes back: enough for the flow to be answered and classified. */
static void ex_tls_out(gen_out *o, const gen_host *cli, uint16_t cport, const gen_host *srv,
                       const char *sni)
{
    static const uint8_t alert[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};
    gen_conv c;
    gen_buf b;
    gen_conv_init(&c, o, cli, cport, srv, 443);
    gen_tcp_open(&c);
    gen_buf_init(&b);
    gen_tls_client_hello(&b, sni);
    ex_talk_buf(&c, GEN_C2S, &b);
    gen_tcp_talk(&c, GEN_S2C, alert, sizeof alert);
    gen_tcp_close(&c);
}

static void ex_scene_outbound(gen_out *o)
{
    ex_tls_out(o, &ex_plc, 49152, &ex_cloud, "telemetry.example.com");
    ex_tls_out(o, &ex_hmi, 49200, &ex_support, "support.example.net");
    ex_tls_out(o, &ex_gw, 49300, &ex_broker, "broker.example.org");
}

/* The laptop browses the web: its user agent makes it an office workstation, not OT. */
static void ex_scene_browse(gen_out *o)
{
    gen_conv c;
    gen_buf b;
    gen_conv_init(&c, o, &ex_laptop, 49400, &ex_cloud, 80);
    gen_tcp_open(&c);
    gen_buf_init(&b);
    gen_http_get(&b, "www.example.com", "/",
                 "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0");
    ex_talk_buf(&c, GEN_C2S, &b);
    gen_buf_init(&b);
    gen_http_ok(&b, "nginx", "<html>example</html>");
    ex_talk_buf(&c, GEN_S2C, &b);
    gen_tcp_close(&c);
}

/* The Internet reaches in: a host out there opens ISO-on-TCP to the PLC, which accepts. */
static void ex_scene_inbound(gen_out *o)
{
    gen_conv c;
    gen_buf b;
    gen_conv_init(&c, o, &ex_scanner, 51515, &ex_plc, 102);
    gen_tcp_open(&c);
    gen_buf_init(&b);
    ex_cotp_cr(&b, "SIMATIC-ROOT-HMI");
    gen_tcp_send(&c, GEN_C2S, GEN_PSH | GEN_ACK, b.b, b.len);
    gen_tcp_close(&c);
}

/* The HMI opens a runtime session; the gateway serves Modbus to the workstation; the router
 * forwards DNS for the LAN: an unidentified Modbus server is OT, the router is not. */
static void ex_scene_lan(gen_out *o)
{
    static const uint8_t mb_req[] = {0x00, 0x01, 0x00, 0x00, 0x00, 0x06,
                                     0x01, 0x03, 0x00, 0x00, 0x00, 0x02};
    static const uint8_t mb_rsp[] = {0x00, 0x01, 0x00, 0x00, 0x00, 0x07, 0x01,
                                     0x03, 0x04, 0x00, 0x2a, 0x00, 0x2b};
    gen_conv c;
    gen_buf b;
    gen_conv_init(&c, o, &ex_hmi, 50140, &ex_plc, 102);
    gen_tcp_open(&c);
    gen_buf_init(&b);
    ex_cotp_cr(&b, "SIMATIC-ROOT-HMI");
    ex_talk_buf(&c, GEN_C2S, &b);
    gen_tcp_close(&c);
    gen_conv_init(&c, o, &ex_ews, 50130, &ex_gw, 502);
    gen_tcp_open(&c);
    gen_tcp_talk(&c, GEN_C2S, mb_req, sizeof mb_req);
    gen_tcp_talk(&c, GEN_S2C, mb_rsp, sizeof mb_rsp);
    gen_tcp_close(&c);
    gen_buf_init(&b);
    gen_dns_query(&b, 0x4001, "update.example.com");
    gen_udp_send(o, NULL, &ex_router, 53001, &ex_dns, 53, b.b, b.len);
}

int cap_exposure(const char *dir)
{
    static void (*const scenes[])(gen_out *) = {
        ex_scene_arp,    ex_scene_ews,     ex_scene_lan,        ex_scene_outbound,
        ex_scene_browse, ex_scene_inbound, ex_scene_laptop_stop};
    gen_out o;
    if (gen_out_open(&o, dir, "exposure.pcap", GEN_FMT_PCAP, 1, 65535) != 0) return -1;
    for (size_t i = 0; i < sizeof scenes / sizeof *scenes; i++) {
        scenes[i](&o);
        gen_out_sleep(&o, EX_SCENE_GAP_US);
    }
    return gen_out_close(&o);
}
