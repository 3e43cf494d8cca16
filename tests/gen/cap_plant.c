/* plant.pcap: a cell of controllers that name themselves when an engineering workstation asks
 * them (S7comm SZL, Modbus Read Device Identification, EtherNet/IP ListIdentity, BACnet I-Am
 * and ReadProperty). SCENARIO.md lists what each device shows; keep the two in step. All bytes
 * are built here from the protocol specifications. */
#include "gen.h"

#include <string.h>

static const gen_host pl_ews = {{0x00, 0x14, 0x22, 0x0e, 0x0e, 0x01}, {192, 168, 30, 10}, false};
static const gen_host pl_s7 = {{0x00, 0x1b, 0x1b, 0x15, 0x00, 0x01}, {192, 168, 30, 21}, false};
static const gen_host pl_m340 = {{0x00, 0x80, 0xf4, 0x34, 0x00, 0x02}, {192, 168, 30, 22}, false};
static const gen_host pl_logix = {{0x00, 0x1d, 0x9c, 0x61, 0x00, 0x03}, {192, 168, 30, 23}, false};
static const gen_host pl_bms = {{0x00, 0x0e, 0x8c, 0xbc, 0x00, 0x04}, {192, 168, 30, 24}, false};
static const gen_host pl_bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {192, 168, 30, 255}, false};

#define PL_SCENE_GAP_US 500000u

/* TPKT + COTP DT header around an S7 PDU of n bytes. */
static void pl_tpkt_dt(gen_buf *b, size_t n)
{
    gen_u8(b, 3), gen_u8(b, 0), gen_u16(b, (uint16_t)(4 + 3 + n));
    gen_u8(b, 2), gen_u8(b, 0xf0), gen_u8(b, 0x80);
}

/* A Read SZL 0x0011 (module identification) response: one 28-byte record, index 1, holding
 * the order number, then a record index 7 with the firmware version V2.8.4. */
static void pl_s7_szl11(gen_buf *b)
{
    static const char order[20] = "6ES7 516-3AN01-0AB0 ";
    gen_buf d;
    gen_buf_init(&d);
    gen_u8(&d, 0xff), gen_u8(&d, 0x09), gen_u16(&d, 8 + 2 * 28);
    gen_u16(&d, 0x0011), gen_u16(&d, 0x0000), gen_u16(&d, 28), gen_u16(&d, 2);
    gen_u16(&d, 0x0001), gen_put(&d, order, 20), gen_u16(&d, 0), gen_u16(&d, 0x0004),
        gen_u16(&d, 0);
    gen_u16(&d, 0x0007), gen_put(&d, "                    ", 20), gen_u16(&d, 0), gen_u8(&d, 'V'),
        gen_u8(&d, 2), gen_u8(&d, 8), gen_u8(&d, 4);
    static const uint8_t param[] = {0x00, 0x01, 0x12, 0x08, 0x12, 0x84,
                                    0x01, 0x01, 0x00, 0x00, 0x00, 0x00};
    pl_tpkt_dt(b, 10 + sizeof param + d.len);
    gen_u8(b, 0x32), gen_u8(b, 0x07), gen_u16(b, 0), gen_u16(b, 0x0100);
    gen_u16(b, sizeof param), gen_u16(b, (uint16_t)d.len);
    gen_put(b, param, sizeof param);
    gen_put(b, d.b, d.len);
}

static void pl_scene_s7(gen_out *o)
{
    static const uint8_t req[] = {0x32, 0x07, 0x00, 0x00, 0x01, 0x00, 0x00, 0x08, 0x00,
                                  0x08, 0x00, 0x01, 0x12, 0x04, 0x11, 0x44, 0x01, 0x00,
                                  0xff, 0x09, 0x00, 0x04, 0x00, 0x11, 0x00, 0x00};
    gen_conv c;
    gen_buf b;
    gen_conv_init(&c, o, &pl_ews, 50102, &pl_s7, 102);
    gen_tcp_open(&c);
    gen_buf_init(&b);
    pl_tpkt_dt(&b, sizeof req);
    gen_put(&b, req, sizeof req);
    gen_tcp_talk(&c, GEN_C2S, b.b, b.len);
    gen_buf_init(&b);
    pl_s7_szl11(&b);
    gen_tcp_talk(&c, GEN_S2C, b.b, b.len);
    gen_tcp_close(&c);
}

/* Modbus/TCP FC 43 / MEI 14, basic + regular objects 0..5 of a Schneider M340. */
static void pl_scene_modbus(gen_out *o)
{
    static const char *const obj[] = {
        "Schneider Electric", "BMX P34 2020", "v3.10", "http://www.schneider-electric.com",
        "Modicon M340",       "BMX P34 2020"};
    static const uint8_t req[] = {0x00, 0x07, 0x00, 0x00, 0x00, 0x05, 0xff, 0x2b, 0x0e, 0x02, 0x00};
    gen_conv c;
    gen_buf b;
    gen_conv_init(&c, o, &pl_ews, 50103, &pl_m340, 502);
    gen_tcp_open(&c);
    gen_tcp_talk(&c, GEN_C2S, req, sizeof req);
    gen_buf_init(&b);
    gen_u16(&b, 0x0007), gen_u16(&b, 0);
    size_t len = gen_len_begin(&b, 2);
    gen_u8(&b, 0xff), gen_u8(&b, 0x2b), gen_u8(&b, 0x0e), gen_u8(&b, 0x02), gen_u8(&b, 0x82);
    gen_u8(&b, 0), gen_u8(&b, 0), gen_u8(&b, 6);
    for (uint8_t i = 0; i < 6; i++) {
        gen_u8(&b, i), gen_u8(&b, (uint8_t)strlen(obj[i]));
        gen_str(&b, obj[i]);
    }
    gen_len_end(&b, len, 2);
    gen_tcp_talk(&c, GEN_S2C, b.b, b.len);
    gen_tcp_close(&c);
}

/* EtherNet/IP ListIdentity over UDP 44818: a broadcast request, a ControlLogix's reply. All
 * encapsulation and CIP fields are little-endian. */
static void pl_le16(gen_buf *b, uint16_t v)
{
    gen_u8(b, (uint8_t)v), gen_u8(b, (uint8_t)(v >> 8));
}

static void pl_enip_header(gen_buf *b, uint16_t len)
{
    pl_le16(b, 0x0063), pl_le16(b, len);
    gen_zero(b, 4 + 4 + 8 + 4); /* session, status, sender context, options */
}

static void pl_scene_enip(gen_out *o)
{
    static const char name[] = "1756-L61/B LOGIX5561";
    gen_buf b;
    gen_buf_init(&b);
    pl_enip_header(&b, 0);
    gen_udp_send(o, NULL, &pl_ews, 44818, &pl_bcast, 44818, b.b, b.len);
    gen_buf item;
    gen_buf_init(&item);
    pl_le16(&item, 1);                                         /* protocol version            */
    gen_u16(&item, 2), gen_u16(&item, 44818);                  /* sockaddr: family, port (BE) */
    gen_put(&item, pl_logix.ip, 4), gen_zero(&item, 8);        /* address, zero               */
    pl_le16(&item, 1), pl_le16(&item, 14), pl_le16(&item, 54); /* vendor, type, product */
    gen_u8(&item, 20), gen_u8(&item, 11);                      /* revision 20.11              */
    pl_le16(&item, 0x0030);                                    /* status                      */
    gen_u8(&item, 0x4d), gen_u8(&item, 0x2a), gen_u8(&item, 0x1c), gen_u8(&item, 0x00);
    gen_u8(&item, (uint8_t)strlen(name)), gen_str(&item, name);
    gen_u8(&item, 0x03); /* state */
    gen_buf_init(&b);
    pl_enip_header(&b, (uint16_t)(2 + 4 + item.len));
    pl_le16(&b, 1), pl_le16(&b, 0x000c), pl_le16(&b, (uint16_t)item.len);
    gen_put(&b, item.b, item.len);
    gen_udp_send(o, NULL, &pl_logix, 44818, &pl_ews, 44818, b.b, b.len);
}

/* BACnet/IP: an I-Am broadcast from device 30024 (vendor 5), then a ReadProperty ack with its
 * model-name. BVLC, NPDU and APDU per ANSI/ASHRAE 135. */
static void pl_scene_bacnet(gen_out *o)
{
    static const char model[] = "MS-NAE5510-3";
    gen_buf b;
    gen_buf_init(&b);
    gen_u8(&b, 0x81), gen_u8(&b, 0x0b), gen_u16(&b, 0); /* BVLC length: set below */
    gen_u8(&b, 0x01), gen_u8(&b, 0x00);                 /* NPDU v1, no control          */
    gen_u8(&b, 0x10), gen_u8(&b, 0x00);                 /* unconfirmed I-Am             */
    gen_u8(&b, 0xc4), gen_u32(&b, (8u << 22) | 30024u); /* object id: device, 30024     */
    gen_u8(&b, 0x22), gen_u16(&b, 1476);                /* max APDU                     */
    gen_u8(&b, 0x91), gen_u8(&b, 0x03);                 /* segmentation: none           */
    gen_u8(&b, 0x21), gen_u8(&b, 5);                    /* vendor id 5                  */
    gen_set_u16(&b, 2, (uint16_t)b.len);
    gen_udp_send(o, NULL, &pl_bms, 47808, &pl_bcast, 47808, b.b, b.len);
    gen_buf_init(&b);
    gen_u8(&b, 0x81), gen_u8(&b, 0x0a), gen_u16(&b, 0);
    gen_u8(&b, 0x01), gen_u8(&b, 0x00);
    gen_u8(&b, 0x30), gen_u8(&b, 0x01), gen_u8(&b, 0x0c); /* complex ack, invoke 1, RP   */
    gen_u8(&b, 0x0c), gen_u32(&b, (8u << 22) | 30024u);   /* [0] object id               */
    gen_u8(&b, 0x19), gen_u8(&b, 70);                     /* [1] property: model-name    */
    gen_u8(&b, 0x3e);                                     /* [3] opening                 */
    gen_u8(&b, 0x75), gen_u8(&b, (uint8_t)(strlen(model) + 1)), gen_u8(&b, 0); /* UTF-8 */
    gen_str(&b, model);
    gen_u8(&b, 0x3f); /* [3] closing */
    gen_set_u16(&b, 2, (uint16_t)b.len);
    gen_udp_send(o, NULL, &pl_bms, 47808, &pl_ews, 47808, b.b, b.len);
}

int cap_plant(const char *dir)
{
    static void (*const scenes[])(gen_out *) = {pl_scene_s7, pl_scene_modbus, pl_scene_enip,
                                                pl_scene_bacnet};
    gen_out o;
    if (gen_out_open(&o, dir, "plant.pcap", GEN_FMT_PCAP, 1, 65535) != 0) return -1;
    for (size_t i = 0; i < sizeof scenes / sizeof *scenes; i++) {
        scenes[i](&o);
        gen_out_sleep(&o, PL_SCENE_GAP_US);
    }
    return gen_out_close(&o);
}
