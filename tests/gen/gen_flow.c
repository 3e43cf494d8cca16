/* TCP connections and UDP datagrams: the layer that turns "client says X" into correctly
 * sequenced, checksummed frames on a given output. */
#include "gen.h"

static void gen_emit(gen_out *o, gen_buf *b)
{
    gen_finish(b);
    if (o->linktype == 1) gen_pad60(b);
    gen_out_buf(o, b);
}

void gen_conv_init(gen_conv *c, gen_out *o, const gen_host *cli, uint16_t cport,
                   const gen_host *srv, uint16_t sport)
{
    *c = (gen_conv){.out = o, .host = {cli, srv}, .port = {cport, sport}};
    /* Initial sequence numbers and IP ids derived from the ports: fixed yet distinct per flow. */
    c->seq[GEN_C2S] = 0x1a2b0000u + (uint32_t)cport * 977u;
    c->seq[GEN_S2C] = 0x5c6d0000u + (uint32_t)sport * 1231u + cport;
    c->ipid[GEN_C2S] = (uint16_t)(0x1000u + cport);
    c->ipid[GEN_S2C] = (uint16_t)(0x4000u + sport);
}

void gen_tcp_send(gen_conv *c, int dir, uint8_t flags, const void *data, size_t n)
{
    gen_buf b;
    const gen_host *src = c->host[dir], *dst = c->host[!dir];
    gen_buf_init(&b);
    gen_link(&b, c->out, &c->vlans, src->mac, dst->mac, src->v6 ? 0x86dd : 0x0800, dir == GEN_C2S);
    gen_ipopt ip = {.id = c->ipid[dir]++, .v6_ext = dir == GEN_C2S && c->cli_v6_ext};
    gen_ip(&b, src, dst, 6, &ip);
    gen_tcphdr t = {
        .sport = c->port[dir],
        .dport = c->port[!dir],
        .seq = c->seq[dir],
        .ack = c->seq[!dir],
        .flags = flags,
        .mss = (flags & GEN_SYN) != 0,
    };
    gen_tcp(&b, &t);
    gen_put(&b, data, n);
    gen_emit(c->out, &b);
    /* SYN and FIN each occupy one sequence number. */
    c->seq[dir] += (uint32_t)n + ((flags & GEN_SYN) ? 1u : 0u) + ((flags & GEN_FIN) ? 1u : 0u);
}

void gen_tcp_open(gen_conv *c)
{
    gen_tcp_send(c, GEN_C2S, GEN_SYN, NULL, 0);
    gen_tcp_send(c, GEN_S2C, GEN_SYN | GEN_ACK, NULL, 0);
    gen_tcp_send(c, GEN_C2S, GEN_ACK, NULL, 0);
}

void gen_tcp_close(gen_conv *c)
{
    gen_tcp_send(c, GEN_C2S, GEN_FIN | GEN_ACK, NULL, 0);
    gen_tcp_send(c, GEN_S2C, GEN_FIN | GEN_ACK, NULL, 0);
    gen_tcp_send(c, GEN_C2S, GEN_ACK, NULL, 0);
}

void gen_tcp_talk(gen_conv *c, int dir, const void *data, size_t n)
{
    gen_tcp_send(c, dir, GEN_PSH | GEN_ACK, data, n);
    gen_tcp_send(c, !dir, GEN_ACK, NULL, 0);
}

void gen_udp_send(gen_out *o, const gen_vlans *v, const gen_host *src, uint16_t sport,
                  const gen_host *dst, uint16_t dport, const void *data, size_t n)
{
    gen_buf b;
    gen_buf_init(&b);
    gen_link(&b, o, v, src->mac, dst->mac, src->v6 ? 0x86dd : 0x0800, true);
    gen_ipopt ip = {.id = (uint16_t)(0x2000u + o->npkts)};
    gen_ip(&b, src, dst, 17, &ip);
    gen_udp(&b, sport, dport);
    gen_put(&b, data, n);
    gen_emit(o, &b);
}
