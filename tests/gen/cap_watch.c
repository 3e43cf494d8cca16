/* watch.pcap: long polling connections with one late state change each, for the watch that
 * follows a plant flow once its inspection budget (32 payloads per side) is spent
 * (probes/worker_ident.c, docs/findings.md). An HMI reads holding registers from a Modbus PLC
 * 100 times, then writes one register; a DNP3 master polls class 0 100 times, then sends a
 * cold restart; an engineering tool reads a variable of an S7 PLC 100 times, then stops the
 * PLC. tests/integration/it_watch.sh asserts each late command's finding and frame. All bytes
 * are built here from the protocol specifications. */
#include "gen.h"

static const gen_host wa_hmi = {{0x02, 0x00, 0x00, 0x50, 0x00, 0x10}, {10, 0, 50, 10}, false};
static const gen_host wa_plc = {{0x02, 0x00, 0x00, 0x50, 0x00, 0x20}, {10, 0, 50, 20}, false};
static const gen_host wa_master = {{0x02, 0x00, 0x00, 0x50, 0x00, 0x11}, {10, 0, 50, 11}, false};
static const gen_host wa_rtu = {{0x02, 0x00, 0x00, 0x50, 0x00, 0x21}, {10, 0, 50, 21}, false};
static const gen_host wa_ews = {{0x02, 0x00, 0x00, 0x50, 0x00, 0x12}, {10, 0, 50, 12}, false};
static const gen_host wa_s7plc = {{0x02, 0x00, 0x00, 0x50, 0x00, 0x22}, {10, 0, 50, 22}, false};

enum {
    WA_POLLS = 100,           /* polls before the state change: far past the budget of 32 */
    WA_SCENE_GAP_US = 250000, /* between the three connections                           */
};

static void wa_talk(gen_conv *c, int dir, const gen_buf *b)
{
    gen_tcp_talk(c, dir, b->b, b->len);
}

/* ---- Modbus/TCP: MBAP (transaction, protocol 0, length, unit) and PDU ---- */

static void wa_mbap(gen_buf *b, uint16_t tid, size_t pdu_len)
{
    gen_u16(b, tid), gen_u16(b, 0), gen_u16(b, (uint16_t)(1 + pdu_len)), gen_u8(b, 1);
}

static void wa_scene_modbus(gen_out *o)
{
    gen_conv c;
    gen_buf b;
    gen_conv_init(&c, o, &wa_hmi, 50210, &wa_plc, 502);
    gen_tcp_open(&c);
    for (uint16_t i = 0; i < WA_POLLS; i++) {
        gen_buf_init(&b); /* read holding registers 0..1 */
        wa_mbap(&b, i, 5);
        gen_u8(&b, 3), gen_u16(&b, 0), gen_u16(&b, 2);
        wa_talk(&c, GEN_C2S, &b);
        gen_buf_init(&b); /* 4 bytes: two registers */
        wa_mbap(&b, i, 6);
        gen_u8(&b, 3), gen_u8(&b, 4), gen_u16(&b, 0x0102), gen_u16(&b, 0x0304);
        wa_talk(&c, GEN_S2C, &b);
    }
    /* Write single register 1 := 0x00ff; a normal response echoes the request. */
    for (int dir = GEN_C2S; dir <= GEN_S2C; dir++) {
        gen_buf_init(&b);
        wa_mbap(&b, WA_POLLS, 5);
        gen_u8(&b, 6), gen_u16(&b, 1), gen_u16(&b, 0x00ff);
        wa_talk(&c, dir, &b);
    }
    gen_tcp_close(&c);
}

/* ---- DNP3: link frames of one user-data block (IEEE 1815-2012 clause 9) ---- */

/* CRC-16/DNP: polynomial 0x3D65 reflected (0xA6BC), initial 0, complemented, low byte first. */
static void wa_dnp_crc(gen_buf *b, size_t from)
{
    uint16_t crc = 0;
    for (size_t i = from; i < b->len; i++) {
        crc ^= b->b[i];
        for (int k = 0; k < 8; k++)
            crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA6BC) : (uint16_t)(crc >> 1);
    }
    crc = (uint16_t)~crc;
    gen_u8(b, (uint8_t)crc), gen_u8(b, (uint8_t)(crc >> 8));
}

/* Unconfirmed user data from the master (DIR|PRM, 0xC4) to outstation 10 or back (PRM, 0x44):
 * transport FIR|FIN, application control FIR|FIN with sequence seq, function, then objs. */
static void wa_dnp(gen_buf *b, bool master, uint8_t seq, uint8_t fc, const uint8_t *objs, size_t n)
{
    size_t ud = 3 + n + (master ? 0 : 2); /* a response adds internal indications */
    size_t at = b->len;
    gen_u8(b, 0x05), gen_u8(b, 0x64), gen_u8(b, (uint8_t)(5 + ud)), gen_u8(b, master ? 0xC4 : 0x44);
    uint16_t dst = master ? 10 : 1, src = master ? 1 : 10;
    gen_u8(b, (uint8_t)dst), gen_u8(b, (uint8_t)(dst >> 8));
    gen_u8(b, (uint8_t)src), gen_u8(b, (uint8_t)(src >> 8));
    wa_dnp_crc(b, at);
    at = b->len;
    gen_u8(b, 0xC0 | (seq & 0x3f)), gen_u8(b, 0xC0 | (seq & 0x0f)), gen_u8(b, fc);
    if (!master) gen_u16(b, 0); /* IIN */
    gen_put(b, objs, n);
    wa_dnp_crc(b, at); /* ud stays under 16 bytes: one block */
}

static void wa_scene_dnp3(gen_out *o)
{
    static const uint8_t class0[] = {0x3C, 0x01, 0x06}; /* group 60 var 1, all objects */
    static const uint8_t none[] = {0};
    gen_conv c;
    gen_buf b;
    gen_conv_init(&c, o, &wa_master, 50211, &wa_rtu, 20000);
    gen_tcp_open(&c);
    for (int i = 0; i < WA_POLLS; i++) {
        gen_buf_init(&b);
        wa_dnp(&b, true, (uint8_t)i, 1, class0, sizeof class0);
        wa_talk(&c, GEN_C2S, &b);
        gen_buf_init(&b);
        wa_dnp(&b, false, (uint8_t)i, 129, none, 0);
        wa_talk(&c, GEN_S2C, &b);
    }
    gen_buf_init(&b);
    wa_dnp(&b, true, WA_POLLS, 13, none, 0); /* cold restart */
    wa_talk(&c, GEN_C2S, &b);
    gen_tcp_close(&c);
}

/* ---- S7comm: TPKT (RFC 1006), COTP DT, S7 header ---- */

static void wa_s7(gen_buf *b, uint8_t rosctr, uint16_t ref, const uint8_t *param, size_t plen,
                  const uint8_t *data, size_t dlen)
{
    size_t hdr = rosctr == 3 ? 12 : 10;
    gen_u8(b, 3), gen_u8(b, 0), gen_u16(b, (uint16_t)(4 + 3 + hdr + plen + dlen));
    gen_u8(b, 2), gen_u8(b, 0xf0), gen_u8(b, 0x80);
    gen_u8(b, 0x32), gen_u8(b, rosctr), gen_u16(b, 0), gen_u16(b, ref);
    gen_u16(b, (uint16_t)plen), gen_u16(b, (uint16_t)dlen);
    if (rosctr == 3) gen_u16(b, 0); /* error class and code: none */
    gen_put(b, param, plen);
    gen_put(b, data, dlen);
}

static void wa_scene_s7(gen_out *o)
{
    /* Read var, one item: S7ANY, 1 byte of DB1 at byte 0. */
    static const uint8_t read_req[] = {0x04, 0x01, 0x12, 0x0a, 0x10, 0x02, 0x00,
                                       0x01, 0x00, 0x01, 0x84, 0x00, 0x00, 0x00};
    static const uint8_t read_rsp_param[] = {0x04, 0x01};
    static const uint8_t read_rsp_data[] = {0xff, 0x04, 0x00, 0x08, 0x2a};
    /* PLC stop: function 0x29, 5 unknown bytes, empty parameter block, "P_PROGRAM". */
    static const uint8_t stop[] = {0x29, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 'P',
                                   '_',  'P',  'R',  'O',  'G',  'R',  'A',  'M'};
    static const uint8_t stop_ok[] = {0x29};
    gen_conv c;
    gen_buf b;
    gen_conv_init(&c, o, &wa_ews, 50212, &wa_s7plc, 102);
    gen_tcp_open(&c);
    for (uint16_t i = 0; i < WA_POLLS; i++) {
        gen_buf_init(&b);
        wa_s7(&b, 1, i, read_req, sizeof read_req, NULL, 0);
        wa_talk(&c, GEN_C2S, &b);
        gen_buf_init(&b);
        wa_s7(&b, 3, i, read_rsp_param, sizeof read_rsp_param, read_rsp_data, sizeof read_rsp_data);
        wa_talk(&c, GEN_S2C, &b);
    }
    gen_buf_init(&b);
    wa_s7(&b, 1, WA_POLLS, stop, sizeof stop, NULL, 0);
    wa_talk(&c, GEN_C2S, &b);
    gen_buf_init(&b);
    wa_s7(&b, 3, WA_POLLS, stop_ok, sizeof stop_ok, NULL, 0);
    wa_talk(&c, GEN_S2C, &b);
    gen_tcp_close(&c);
}

int cap_watch(const char *dir)
{
    static void (*const scenes[])(gen_out *) = {wa_scene_modbus, wa_scene_dnp3, wa_scene_s7};
    gen_out o;
    if (gen_out_open(&o, dir, "watch.pcap", GEN_FMT_PCAP, 1, 65535) != 0) return -1;
    for (size_t i = 0; i < sizeof scenes / sizeof *scenes; i++) {
        scenes[i](&o);
        gen_out_sleep(&o, WA_SCENE_GAP_US);
    }
    return gen_out_close(&o);
}
