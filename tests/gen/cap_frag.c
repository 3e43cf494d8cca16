/* fragments.pcap: IPv4 fragmentation. Whole datagrams are built (and checksummed) first, then
 * cut into 1480-byte fragments, interleaved with an ordinary TCP flow. */
#include "gen.h"

static const gen_host fr_mgr = {{0x02, 0x00, 0x00, 0x00, 0x20, 0x05}, {192, 168, 20, 5}, false};
static const gen_host fr_agent = {{0x02, 0x00, 0x00, 0x00, 0x20, 0x06}, {192, 168, 20, 6}, false};

#define FR_MTU_DATA  1480u /* fragment payload on a 1500-byte MTU, a multiple of 8 */
#define FR_SNMP_LEN  3000u /* UDP payload size of the fragmented datagram          */
#define FR_ECHO_DATA 2000u /* ICMP echo data bytes                                 */

/* SNMPv2c SetRequest for sysDescr.0 with an OCTET STRING of vlen bytes. Every length uses the
 * two-byte long form so the total is 51 + vlen whatever vlen is. */
static void fr_snmp(gen_buf *b, size_t vlen)
{
    static const uint8_t oid[] = {0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00};
    size_t at[4];
    gen_u8(b, 0x30); /* Message */
    at[0] = (gen_u8(b, 0x82), gen_len_begin(b, 2));
    gen_put(b, "\x02\x01\x01", 3);   /* version: v2c */
    gen_put(b, "\x04\x06public", 8); /* community */
    gen_u8(b, 0xa3);                 /* SetRequest-PDU */
    at[1] = (gen_u8(b, 0x82), gen_len_begin(b, 2));
    gen_put(b, "\x02\x02\x12\x34\x02\x01\x00\x02\x01\x00", 10); /* id, error, index */
    gen_u8(b, 0x30);                                            /* VarBindList */
    at[2] = (gen_u8(b, 0x82), gen_len_begin(b, 2));
    gen_u8(b, 0x30); /* VarBind */
    at[3] = (gen_u8(b, 0x82), gen_len_begin(b, 2));
    gen_put(b, oid, sizeof oid);
    gen_u8(b, 0x04);
    gen_u8(b, 0x82);
    gen_u16(b, (uint16_t)vlen);
    for (size_t i = 0; i < vlen; i++)
        gen_u8(b, (uint8_t) "ssfgen fragmented SNMP payload. "[i % 32]);
    for (int i = 3; i >= 0; i--)
        gen_len_end(b, at[i], 2);
}

static void fr_build_snmp(gen_buf *d)
{
    gen_buf probe;
    gen_buf_init(&probe);
    fr_snmp(&probe, 0);
    gen_buf_init(d);
    gen_ipv4(d, fr_mgr.ip, fr_agent.ip, 17, &(gen_ipopt){.id = 0x5151});
    gen_udp(d, 40161, 161);
    fr_snmp(d, FR_SNMP_LEN - probe.len);
    gen_finish(d);
}

static void fr_build_echo(gen_buf *d)
{
    gen_buf_init(d);
    gen_ipv4(d, fr_mgr.ip, fr_agent.ip, 1, &(gen_ipopt){.id = 0x5152});
    gen_icmp(d, 8, 0, 0x00070001u); /* id 7, seq 1 */
    for (unsigned i = 0; i < FR_ECHO_DATA; i++)
        gen_u8(d, (uint8_t)i);
    gen_finish(d);
}

/* Emits fragment k of the datagram d (IPv4 header at offset 0, no options). */
static void fr_emit_frag(gen_out *o, const gen_buf *d, size_t k)
{
    size_t total = d->len - 20, off = k * FR_MTU_DATA;
    if (off >= total) return;
    size_t n = total - off < FR_MTU_DATA ? total - off : FR_MTU_DATA;
    bool more = off + n < total;
    gen_ipopt ip = {
        .id = (uint16_t)(d->b[4] << 8 | d->b[5]),
        .frag = (uint16_t)((more ? 0x2000u : 0u) | off / 8),
    };
    gen_buf b;
    gen_buf_init(&b);
    gen_eth(&b, fr_agent.mac, fr_mgr.mac, 0x0800);
    gen_ipv4(&b, fr_mgr.ip, fr_agent.ip, d->b[9], &ip);
    gen_put(&b, d->b + 20 + off, n);
    gen_finish(&b);
    gen_pad60(&b);
    gen_out_buf(o, &b);
}

/* The five TCP segments: handshake, one Modbus/TCP read request, its ACK. */
static void fr_tcp_step(gen_conv *c, unsigned i)
{
    static const uint8_t modbus[] = {0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 10};
    static const struct {
        int dir;
        uint8_t flags;
        bool data;
    } steps[5] = {{GEN_C2S, GEN_SYN, false},
                  {GEN_S2C, GEN_SYN | GEN_ACK, false},
                  {GEN_C2S, GEN_ACK, false},
                  {GEN_C2S, GEN_PSH | GEN_ACK, true},
                  {GEN_S2C, GEN_ACK, false}};
    if (i < 5)
        gen_tcp_send(c, steps[i].dir, steps[i].flags, steps[i].data ? modbus : NULL,
                     steps[i].data ? sizeof modbus : 0);
}

int cap_fragments(const char *dir)
{
    /* Wire order: which datagram (0 SNMP, 1 echo, 2 TCP) and which fragment/step. */
    static const uint8_t order[][2] = {{0, 0}, {2, 0}, {0, 1}, {2, 1}, {0, 2},
                                       {2, 2}, {1, 0}, {2, 3}, {1, 1}, {2, 4}};
    gen_buf dg[2]; /* SNMP datagram, ICMP echo datagram */
    gen_out o;
    gen_conv c;
    fr_build_snmp(&dg[0]);
    fr_build_echo(&dg[1]);
    if (gen_out_open(&o, dir, "fragments.pcap", GEN_FMT_PCAP, 1, 65535) != 0) return -1;
    gen_conv_init(&c, &o, &fr_mgr, 50502, &fr_agent, 502);
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        if (order[i][0] == 2)
            fr_tcp_step(&c, order[i][1]);
        else
            fr_emit_frag(&o, &dg[order[i][0]], order[i][1]);
    }
    return gen_out_close(&o);
}
