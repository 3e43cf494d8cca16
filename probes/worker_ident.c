/* Identity evidence: offers the first payloads of each flow direction to the extractors in
 * probe/evidence.h, reassembling TLS handshakes that span TCP segments in a fixed pool of
 * buffers. A direction stops being inspected once every extractor that could apply is done
 * or WK_IDENT_MAX_PAYLOADS payloads have passed. */
#include "worker_internal.h"

#include <netinet/in.h>

typedef ssf_rc (*wk_extractor)(const uint8_t *p, size_t n, probe_ev_buf_t *out);

static void ident_emit_all(probe_worker_t *w, const probe_pkt_t *pkt, const probe_ev_buf_t *buf,
                           const char *source)
{
    for (size_t i = 0; i < buf->n; i++)
        wk_emit_evidence(w, pkt, &buf->items[i], source);
}

static ssf_rc ident_run(probe_worker_t *w, const probe_pkt_t *pkt, wk_extractor fn,
                        const uint8_t *p, size_t n, const char *source)
{
    probe_ev_buf_t buf;
    buf.n = buf.dropped = 0;
    ssf_rc rc = fn(p, n, &buf);
    w->st.ident_packets++;
    ident_emit_all(w, pkt, &buf, source);
    return rc;
}

static bool ident_is_http(const uint8_t *p, size_t n)
{
    static const char *const starts[] = {"GET ",     "POST ",  "HEAD ",  "PUT ",     "DELETE ",
                                         "OPTIONS ", "PATCH ", "TRACE ", "CONNECT ", "HTTP/1."};
    for (size_t i = 0; i < SSF_ARRAY_LEN(starts); i++) {
        size_t k = strlen(starts[i]);
        if (n >= k && memcmp(p, starts[i], k) == 0) return true;
    }
    return false;
}

static void tls_release_side(probe_worker_t *w, wk_flow_t *wf, int side)
{
    if (wf->tls_slot[side] < 0) return;
    w->tls_free[w->n_tls_free++] = wf->tls_slot[side];
    wf->tls_slot[side] = -1;
    wf->tls_len[side] = 0;
}

void wk_ident_release(probe_worker_t *w, probe_flow_t *f)
{
    wk_flow_t *wf = wk_flow(f);
    tls_release_side(w, wf, 0);
    tls_release_side(w, wf, 1);
}

/* Starts buffering a TLS stream whose first segment did not hold the whole handshake. */
static void tls_start(probe_worker_t *w, wk_flow_t *wf, int side, const probe_pkt_t *pkt)
{
    if (w->n_tls_free == 0 || pkt->payload_len > WK_TLS_BUF) {
        w->st.tls_reasm_nobuf++;
        wf->ident_off[side] |= WK_ID_TLS;
        return;
    }
    int16_t slot = w->tls_free[--w->n_tls_free];
    wf->tls_slot[side] = slot;
    memcpy(w->tls_bufs + (size_t)slot * WK_TLS_BUF, pkt->payload, pkt->payload_len);
    wf->tls_len[side] = pkt->payload_len;
    wf->tls_next_seq[side] = pkt->tcp_seq + pkt->payload_len;
}

/* Appends a segment to a buffered TLS stream and parses the stream so far. */
static void tls_continue(probe_worker_t *w, wk_flow_t *wf, int side, const probe_pkt_t *pkt)
{
    if (pkt->tcp_seq != wf->tls_next_seq[side]) {
        /* Retransmissions of what we have are harmless; a gap ends reassembly. */
        if ((int32_t)(pkt->tcp_seq - wf->tls_next_seq[side]) < 0) return;
        w->st.tls_reasm_gap++;
        goto out_done;
    }
    uint8_t *buf = w->tls_bufs + (size_t)wf->tls_slot[side] * WK_TLS_BUF;
    size_t room = WK_TLS_BUF - wf->tls_len[side];
    size_t take = pkt->payload_len < room ? pkt->payload_len : room;
    memcpy(buf + wf->tls_len[side], pkt->payload, take);
    wf->tls_len[side] += (uint32_t)take;
    wf->tls_next_seq[side] += pkt->payload_len;
    ssf_rc rc = ident_run(w, pkt, probe_ev_tls, buf, wf->tls_len[side], "tls");
    if (rc == SSF_ETRUNC && wf->tls_len[side] < WK_TLS_BUF) return;
out_done:
    tls_release_side(w, wf, side);
    wf->ident_off[side] |= WK_ID_TLS;
}

static void ident_tcp(probe_worker_t *w, wk_flow_t *wf, int side, const probe_pkt_t *pkt)
{
    const uint8_t *p = pkt->payload;
    size_t n = pkt->payload_len;
    if (wf->tls_slot[side] >= 0) {
        tls_continue(w, wf, side, pkt);
        return;
    }
    if (!(wf->ident_off[side] & WK_ID_TLS) && n >= 6 && p[0] == 0x16 && p[1] == 3) {
        if (ident_run(w, pkt, probe_ev_tls, p, n, "tls") == SSF_ETRUNC)
            tls_start(w, wf, side, pkt);
        else
            wf->ident_off[side] |= WK_ID_TLS;
        return;
    }
    if (!(wf->ident_off[side] & WK_ID_SSH) && n >= 4 && memcmp(p, "SSH-", 4) == 0) {
        ident_run(w, pkt, probe_ev_ssh, p, n, "ssh");
        wf->ident_off[side] |= WK_ID_SSH;
        return;
    }
    if (ident_is_http(p, n)) ident_run(w, pkt, probe_ev_http, p, n, "http");
}

/* Protocols recognised by their well-known port rather than their first bytes. Plant
 * protocols tell who a device is in replies an engineering tool may ask for well into a long
 * polling connection, so their flows are inspected for WK_PORT_MAX_PAYLOADS payloads per side;
 * each extractor rejects an uninteresting PDU within a few header checks. */
typedef struct {
    uint8_t l4;    /* IPPROTO_TCP or IPPROTO_UDP                     */
    uint16_t port; /* either end of the flow                         */
    wk_extractor fn;
    const char *source; /* evidence source name                           */
    bool unlimited;     /* every payload: DHCP clients without an address
                           all share one flow (0.0.0.0:68 -> broadcast)    */
} wk_port_extractor;

static const wk_port_extractor port_extractors[] = {
    {IPPROTO_UDP, 67, probe_ev_dhcp, "dhcp", true},
    {IPPROTO_UDP, 68, probe_ev_dhcp, "dhcp", true},
    {IPPROTO_TCP, 502, probe_ev_modbus, "modbus", false},
    {IPPROTO_TCP, 102, probe_ev_s7, "s7comm", false},
    {IPPROTO_TCP, 44818, probe_ev_enip, "enip", false},
    {IPPROTO_UDP, 44818, probe_ev_enip, "enip", false},
    {IPPROTO_UDP, 47808, probe_ev_bacnet, "bacnet", true},
    {IPPROTO_UDP, 161, probe_ev_snmp, "snmp", false},
    {IPPROTO_UDP, 162, probe_ev_snmp, "snmp", false},
    {IPPROTO_UDP, 514, probe_ev_syslog, "syslog", false},
    {IPPROTO_UDP, 137, probe_ev_netbios, "netbios", true},
    {IPPROTO_UDP, 5353, probe_ev_mdns, "mdns", true},
    {IPPROTO_UDP, 1900, probe_ev_ssdp, "ssdp", true},
    /* @d1-ports */
    {IPPROTO_UDP, 9600, probe_ev_fins, "fins", false},
    {IPPROTO_TCP, 9600, probe_ev_fins, "fins", false},
    {IPPROTO_UDP, 5050, probe_ev_sbus, "sbus", false},
    {IPPROTO_TCP, 48898, probe_ev_ads, "ads", false},
    /* HART-IP servers answer on 5094; some gateways move the session to 5095. */
    {IPPROTO_UDP, 5094, probe_ev_hart, "hart", false},
    {IPPROTO_TCP, 5094, probe_ev_hart, "hart", false},
    {IPPROTO_UDP, 5095, probe_ev_hart, "hart", false},
    {IPPROTO_TCP, 5095, probe_ev_hart, "hart", false},
    {IPPROTO_UDP, 34964, probe_ev_pnio, "profinet", false},
    /* @d2-ports */
    /* @d3-ports */
    /* @d4-ports */
};

static const wk_port_extractor *ident_by_port(const probe_pkt_t *pkt)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(port_extractors); i++) {
        const wk_port_extractor *e = &port_extractors[i];
        if (e->l4 == pkt->l4_proto && (e->port == pkt->sport || e->port == pkt->dport)) return e;
    }
    return NULL;
}

void wk_ident_packet(probe_worker_t *w, probe_flow_t *f, const probe_pkt_t *pkt, uint8_t dir)
{
    wk_flow_t *wf = wk_flow(f);
    bool tcp = pkt->l4_proto == IPPROTO_TCP;
    const wk_port_extractor *pe = ident_by_port(pkt);
    if (!pe && !tcp) {
        wf->ident_off[0] = wf->ident_off[1] = WK_ID_ALL;
        return;
    }
    if (pkt->payload_len == 0) return;
    /* d1: a FINS reply is only the identity of the port's owner; forged replies sent to a
     * server (fuzzers do this) are not. */
    if (pe && pe->fn == probe_ev_fins && pkt->sport != pe->port) return;
    if (pe)
        ident_run(w, pkt, pe->fn, pkt->payload, pkt->payload_len, pe->source);
    else
        ident_tcp(w, wf, dir, pkt);
    if (pe && pe->unlimited) return;
    unsigned budget = pe ? WK_PORT_MAX_PAYLOADS : WK_IDENT_MAX_PAYLOADS;
    if (++wf->ident_payloads[dir] >= budget && wf->tls_slot[dir] < 0)
        wf->ident_off[dir] = WK_ID_ALL;
}

/* Link-layer discovery frames carry no IP: their evidence is about the sender's MAC. They are
 * rare (one every 30 to 60 s per neighbour) and the dedup cache drops repeats, so every one is
 * offered to its extractor. */
void wk_ident_l2(probe_worker_t *w, const probe_pkt_t *pkt)
{
    static const uint8_t cdp_mac[6] = {0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc};
    if (!pkt->has_mac || pkt->payload_len == 0) return;
    if (pkt->ethertype == 0x88cc)
        ident_run(w, pkt, probe_ev_lldp, pkt->payload, pkt->payload_len, "lldp");
    else if (pkt->ethertype < 0x0600 && memcmp(pkt->dst_mac, cdp_mac, 6) == 0)
        ident_run(w, pkt, probe_ev_cdp, pkt->payload, pkt->payload_len, "cdp");
    /* d1: PROFINET DCP Identify responses and Hellos. Cyclic real-time frames share the
     * ethertype and are many, but the extractor drops them after reading the frame id. */
    else if (pkt->ethertype == 0x8892)
        ident_run(w, pkt, probe_ev_profinet, pkt->payload, pkt->payload_len, "profinet");
}
