/* Data flows that a control exchange announces.
 *
 * A TFTP client asks port 69 (RFC 1350), and the server answers from a port of its own to the
 * client's port: the transfer is a second UDP flow that neither end's port names. Left alone,
 * the server's first DATA packet would make it the client, and the requester would look like a
 * server of "Unknown" on its own ephemeral port. So a read or write request leaves an
 * expectation, as a connection tracker's helper does, and the flow that then opens between the
 * two hosts on the requester's port takes the requester as its client and the protocol's
 * name. A fixed ring of slots, oldest overwritten: nothing is allocated, and an expectation
 * that nobody meets only costs a slot until it expires.
 *
 * The expectation lives in the worker that read the request. With several workers the
 * transfer's flow, a different 5-tuple, would hash to any of them, so the reader keeps it with
 * the request's worker (probes/pipeline.c, pl_expected). */
#include "worker_internal.h"

#include <netinet/in.h>

/* A server answers within its retransmission timeout (seconds); a minute covers a slow one. */
#define WK_EXPECT_US (60ull * 1000000)

static uint16_t wk_pkt_vlan(const probe_pkt_t *pkt)
{
    return pkt->n_vlan ? pkt->vlan[0] : 0;
}

void wk_expect_tftp(probe_worker_t *w, const probe_pkt_t *pkt)
{
    if (pkt->l4_proto != IPPROTO_UDP || pkt->dport != 69) return;
    if (!probe_ev_tftp_opens(pkt->payload, pkt->payload_len)) return;
    wk_expect_t *e = &w->expect[w->expect_next++ % WK_EXPECT_SLOTS];
    e->client = pkt->src_ip;
    e->server = pkt->dst_ip;
    e->client_port = pkt->sport;
    e->vlan = wk_pkt_vlan(pkt);
    e->until_us = pkt->ts_us + WK_EXPECT_US;
    e->proto = "TFTP";
    if (e->until_us > w->expect_until_us) w->expect_until_us = e->until_us;
}

static bool wk_expect_match(const wk_expect_t *e, const probe_pkt_t *pkt, bool *from_client)
{
    if (!e->until_us || pkt->ts_us > e->until_us || e->vlan != wk_pkt_vlan(pkt)) return false;
    bool c2s = !memcmp(&pkt->src_ip, &e->client, sizeof e->client) &&
               !memcmp(&pkt->dst_ip, &e->server, sizeof e->server) && pkt->sport == e->client_port;
    bool s2c = !memcmp(&pkt->src_ip, &e->server, sizeof e->server) &&
               !memcmp(&pkt->dst_ip, &e->client, sizeof e->client) && pkt->dport == e->client_port;
    *from_client = c2s;
    return c2s || s2c;
}

void wk_expect_take(probe_worker_t *w, probe_flow_t *f, const probe_pkt_t *pkt, uint8_t dir)
{
    /* Most new flows come when no expectation is live: one compare. */
    if (pkt->l4_proto != IPPROTO_UDP || pkt->ts_us > w->expect_until_us) return;
    for (unsigned i = 0; i < WK_EXPECT_SLOTS; i++) {
        wk_expect_t *e = &w->expect[i];
        bool from_client;
        if (!wk_expect_match(e, pkt, &from_client)) continue;
        f->client_dir = from_client ? dir : (uint8_t)!dir;
        wk_flow(f)->own_proto = e->proto;
        e->until_us = 0; /* one transfer per request */
        return;
    }
}
