/* Identity evidence: offers the first payloads of each flow direction to the extractors in
 * probe/evidence.h, reassembling TLS handshakes that span TCP segments in a fixed pool of
 * buffers. A direction stops being inspected once every extractor that could apply is done
 * or its budget of payloads has passed; a plant protocol's direction is then watched instead:
 * a state change (a write, a PLC stop) still reaches the extractor whenever it comes. */
#include "worker_internal.h"

#include <netinet/in.h>
#include <stdio.h>

/* Keeps a slow path's register saves out of its caller's fast path. */
#define WK_NOINLINE __attribute__((noinline))

typedef ssf_rc (*wk_extractor)(const uint8_t *p, size_t n, probe_ev_buf_t *out);
typedef bool (*wk_watch)(const uint8_t *p, size_t n);

/* issue 4: failed logins. A brute-force run is many attempts, in one session and across many,
 * and every refusal a server sends reads the same ("ftp 530"): the dedup cache of
 * wk_emit_evidence would let one through per server. So refusals are counted here, per worker,
 * by (server, client, protocol) in a small direct-mapped table (w->auth), and cross to the
 * engine as one stable item, "ftp 530 from 10.0.0.9", whose observation count is the refusals
 * since the last report: at 1..10, 20, 50, 100, 200 ... attempts, then once more for what is
 * left when a flow of the pair ends or another pair takes the slot. A handful of observations
 * however long the run; the engine adds them up into one item (engine/bruteforce.c). A
 * collision hands the slot over after reporting what it held: nothing is lost, the new
 * pair's count starts afresh. A server's lockout replies (auth.lockout, "ftp 421 from ...") are
 * counted the same way, in a slot of their own. Nothing is allocated here. */
enum {
    /* Every count up to this one is sent, then 20, 50, 100 ...: the pace of a short run is
     * visible where the engine's thresholds are (5 per client, 10 per server). */
    WK_AUTH_EVERY = 10,
};

static uint64_t auth_mix(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

/* Tells the engine the refusals the slot counted and has not reported yet. */
static void auth_flush(probe_worker_t *w, wk_auth_slot *sl)
{
    if (!sl->key || sl->fails == sl->sent) return;
    sl->last.u.ev.count = sl->fails - sl->sent;
    sl->sent = sl->fails;
    wk_emit_obs(w, &sl->last);
}

/* The slot of (server = the reply's sender, client, protocol). A refusal takes it over when it
 * held another pair or a count from a later time (a second pass over a file), reporting what
 * was left first; a success only looks, so that the many logins that work never evict a count.
 * NULL: a success with no count to go with. */
static wk_auth_slot *auth_slot(probe_worker_t *w, const probe_pkt_t *pkt, const char *source,
                               bool lockout, bool take)
{
    uint64_t k = auth_mix(0xcbf29ce484222325ull, &pkt->src_ip, sizeof pkt->src_ip);
    k = auth_mix(k, &pkt->dst_ip, sizeof pkt->dst_ip);
    k = auth_mix(k, source, strlen(source));
    /* A pair's lockouts count apart from its refusals, in a slot of their own. */
    k = (lockout ? auth_mix(k, "!", 1) : k) | 1;
    size_t i = (k >> 20) & (WK_AUTH_SLOTS - 1);
    wk_auth_slot *sl = &w->auth[i];
    bool mine = sl->key == k && pkt->ts_us >= sl->last_us;
    if (!mine && !take) return NULL;
    if (!mine) {
        auth_flush(w, sl);
        sl->key = k, sl->fails = sl->sent = 0;
    }
    sl->last_us = pkt->ts_us;
    if (take && w->ident_flow) w->ident_flow->auth_slot = (uint16_t)(i + 1);
    return sl;
}

static bool auth_milestone(uint32_t n)
{
    if (n <= WK_AUTH_EVERY) return true;
    while (n % 10 == 0)
        n /= 10;
    return n == 1 || n == 2 || n == 5;
}

/* "<value> from <client>" (a refusal) or "<value> after N failures from <client>"; false when
 * it does not fit. */
static bool auth_value(char *out, size_t size, const probe_ev_t *ev, const probe_pkt_t *pkt,
                       bool refused, uint32_t n)
{
    char ip[64];
    ssf_addr_str(&pkt->dst_ip, ip, sizeof ip);
    int k = refused ? snprintf(out, size, "%s from %s", ev->value, ip)
                    : snprintf(out, size, "%s after %u failures from %s", ev->value, n, ip);
    return k > 0 && (size_t)k < size;
}

/* auth.failure and auth.lockout are counted, auth.success is sent once after failures. A
 * lockout first reports the pair's refusals not sent yet: the flow's end flushes only the slot
 * it took last, which is now the lockout's. */
static void auth_item(probe_worker_t *w, const probe_pkt_t *pkt, const probe_ev_t *ev,
                      const char *source)
{
    bool lockout = ev->field == PROBE_EVF_AUTH_LOCKOUT;
    bool counted = ev->field == PROBE_EVF_AUTH_FAILURE || lockout;
    if (lockout) {
        wk_auth_slot *fails = auth_slot(w, pkt, source, false, false);
        if (fails) auth_flush(w, fails);
    }
    wk_auth_slot *sl = auth_slot(w, pkt, source, lockout, counted);
    if (!sl) return;
    probe_ev_t x = *ev;
    if (!counted) {
        if (!sl->fails || !auth_value(x.value, sizeof x.value, ev, pkt, false, sl->fails)) return;
        x.len = (uint16_t)strnlen(x.value, sizeof x.value);
        wk_emit_evidence(w, pkt, &x, source);
        return;
    }
    if (!auth_value(x.value, sizeof x.value, ev, pkt, true, 0)) return;
    if (sl->fails < UINT32_MAX) sl->fails++;
    /* The last refusal's frame and time go with whatever is reported next. */
    wk_evidence_obs(w, pkt, &x, source, &sl->last);
    if (auth_milestone(sl->fails)) auth_flush(w, sl);
}

static void ident_emit_all(probe_worker_t *w, const probe_pkt_t *pkt, const probe_ev_buf_t *buf,
                           const char *source)
{
    for (size_t i = 0; i < buf->n; i++) {
        const probe_ev_t *ev = &buf->items[i];
        if (ev->field == PROBE_EVF_AUTH_FAILURE || ev->field == PROBE_EVF_AUTH_SUCCESS ||
            ev->field == PROBE_EVF_AUTH_LOCKOUT)
            auth_item(w, pkt, ev, source);
        else
            wk_emit_evidence(w, pkt, ev, source);
    }
}

/* Drops the auth.failure / auth.success items of buf: an HTTP 401 that answered a request
 * without credentials is the challenge every login starts with, not a refusal. */
static void ident_drop_auth(probe_ev_buf_t *buf)
{
    size_t k = 0;
    for (size_t i = 0; i < buf->n; i++)
        if (buf->items[i].field != PROBE_EVF_AUTH_FAILURE &&
            buf->items[i].field != PROBE_EVF_AUTH_SUCCESS)
            buf->items[k++] = buf->items[i];
    buf->n = k;
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

/* d3: per-side states kept in ident_off above the WK_ID_ALL bits. Spending a side's budget
 * sets ident_off to WK_ID_ALL, which clears them, so none outlives the budget; only a side
 * then watched is WK_ID_WATCHED instead. */
enum {
    WK_ID_SSH_KEX = 1u << 4,   /* banner seen; the side's next payload should be its KEXINIT */
    WK_ID_HTTP_BODY = 1u << 5, /* the side sent an HTTP response; later payloads may be body */
    WK_ID_HTTP_AUTH = 1u << 6, /* issue 4: the side's last request carried an Authorization */
    /* issue 4, Telnet flows only (they never reach ident_tcp, so bit 6 is free there): */
    WK_ID_TN_LOGIN = 1u << 6, /* the server prompted: its lines now echo what is typed */
    WK_ID_TN_PASS = 1u << 7,  /* it asked for a password: a refusal or the session follows */
    /* A side of a port row with a watch predicate that spent its budget: watched, not off.
     * Compared whole, since bit 7 alone is WK_ID_TN_PASS on Telnet flows; no other state sets
     * all the WK_ID_ALL bits and another. The worker calls us for it because it is not
     * WK_ID_ALL, and it lives in ident_off so that copying a flow's inspection state
     * (ident_off, ident_payloads) copies it too. */
    WK_ID_WATCHED = WK_ID_ALL | 1u << 7,
};

/* d3: RTSP off port 554: "RTSP/1.0 " responses or "METHOD rtsp://" requests. */
static bool ident_is_rtsp(const uint8_t *p, size_t n)
{
    if (n >= 9 && memcmp(p, "RTSP/1.0 ", 9) == 0) return true;
    const uint8_t *sp = memchr(p, ' ', n < 16 ? n : 16);
    return sp && (size_t)(p + n - sp) > 8 && memcmp(sp, " rtsp://", 8) == 0;
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

/* d2: OPC UA servers often listen on ports other than 4840. A message header is three type
 * letters, 'F' (a final chunk: the first message of a connection always is one) and a
 * little-endian size no smaller than the header; 16 MiB bounds what any peer negotiates. */
static bool ident_is_opcua(const uint8_t *p, size_t n)
{
    static const char *const types[] = {"HEL", "ACK", "OPN", "MSG", "CLO", "ERR"};
    if (n < 8 || p[3] != 'F') return false;
    uint32_t size =
        (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
    if (size < 8 || size > (1u << 24)) return false;
    for (size_t i = 0; i < SSF_ARRAY_LEN(types); i++)
        if (memcmp(p, types[i], 3) == 0) return true;
    return false;
}

/* d2: MQTT over TLS (8883) hides CONNECT, but a ClientHello to that port still tells that the
 * receiver is a broker speaking TLS. Handshake type 1 right after the record header. */
static void ident_mqtt_tls(probe_worker_t *w, const probe_pkt_t *pkt)
{
    enum { MQTT_TLS_PORT = 8883, TLS_CLIENT_HELLO = 1 };
    if (pkt->dport != MQTT_TLS_PORT || pkt->payload_len < 6 || pkt->payload[5] != TLS_CLIENT_HELLO)
        return;
    probe_ev_buf_t buf;
    buf.n = buf.dropped = 0;
    probe_ev_add(&buf, PROBE_EVF_MQTT_TRANSPORT, PROBE_EV_DST, "tls", 3);
    ident_emit_all(w, pkt, &buf, "mqtt");
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
    /* A session that ended between milestones leaves refusals unreported. The slot may hold
     * another pair by now: reporting its count early loses nothing either. */
    if (wf->auth_slot) auth_flush(w, &w->auth[wf->auth_slot - 1]);
    wf->auth_slot = 0;
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

/* d3: the banner's side sends its KEXINIT right after, in the same segment or the next one.
 * hassh vs hasshServer follows the TCP roles the worker already knows (the SYN's sender is the
 * client; see wk_client_side), not which banner came first, since servers often speak first
 * and either end may. A KEXINIT that spans segments is lost: we keep no buffer for it. */
static void ident_ssh_kex(probe_worker_t *w, wk_flow_t *wf, int side, bool client,
                          const probe_pkt_t *pkt)
{
    ssf_rc rc = ident_run(w, pkt, client ? probe_ev_hassh : probe_ev_hassh_server, pkt->payload,
                          pkt->payload_len, "ssh");
    bool wait = rc == SSF_ETRUNC && !(wf->ident_off[side] & WK_ID_SSH_KEX);
    wf->ident_off[side] = (uint8_t)((wf->ident_off[side] & ~WK_ID_SSH_KEX) | WK_ID_SSH);
    if (wait && (wf->ident_off[side] & WK_ID_ALL) != WK_ID_ALL)
        wf->ident_off[side] |= WK_ID_SSH_KEX;
}

/* d3: an HTTP response start arms body scanning for the side's later payloads. issue 4: a
 * request notes whether it carried credentials, so that the answer's 401 or 2xx is kept as a
 * refused or taken login only then. */
static void ident_http(probe_worker_t *w, wk_flow_t *wf, int side, const probe_pkt_t *pkt)
{
    const uint8_t *p = pkt->payload;
    size_t n = pkt->payload_len;
    if (ident_is_http(p, n)) {
        probe_ev_buf_t buf;
        buf.n = buf.dropped = 0;
        probe_ev_http_st(p, n, &wf->cred, &buf);
        w->st.ident_packets++;
        bool response = n >= 7 && memcmp(p, "HTTP/1.", 7) == 0;
        if (!response) {
            bool auth = false;
            for (size_t i = 0; i < buf.n; i++)
                auth |= buf.items[i].field == PROBE_EVF_HTTP_AUTHORIZATION;
            bool open = (wf->ident_off[side] & WK_ID_ALL) != WK_ID_ALL;
            wf->ident_off[side] = (uint8_t)((wf->ident_off[side] & ~WK_ID_HTTP_AUTH) |
                                            (auth && open ? WK_ID_HTTP_AUTH : 0));
        } else if (!(wf->ident_off[!side] & WK_ID_HTTP_AUTH)) {
            ident_drop_auth(&buf);
        }
        ident_emit_all(w, pkt, &buf, "http");
        if (response && (wf->ident_off[side] & WK_ID_ALL) != WK_ID_ALL)
            wf->ident_off[side] |= WK_ID_HTTP_BODY;
    } else if (wf->ident_off[side] & WK_ID_HTTP_BODY) {
        ident_run(w, pkt, probe_ev_http_body, p, n, "http");
    }
}

static void ident_tcp(probe_worker_t *w, wk_flow_t *wf, int side, bool client,
                      const probe_pkt_t *pkt)
{
    const uint8_t *p = pkt->payload;
    size_t n = pkt->payload_len;
    if (wf->tls_slot[side] >= 0) {
        tls_continue(w, wf, side, pkt);
        return;
    }
    if (!(wf->ident_off[side] & WK_ID_TLS) && n >= 6 && p[0] == 0x16 && p[1] == 3) {
        ident_mqtt_tls(w, pkt); /* d2 */
        if (ident_run(w, pkt, probe_ev_tls, p, n, "tls") == SSF_ETRUNC)
            tls_start(w, wf, side, pkt);
        else
            wf->ident_off[side] |= WK_ID_TLS;
        return;
    }
    if (wf->ident_off[side] & WK_ID_SSH_KEX) {
        ident_ssh_kex(w, wf, side, client, pkt);
        return;
    }
    if (!(wf->ident_off[side] & WK_ID_SSH) && n >= 4 && memcmp(p, "SSH-", 4) == 0) {
        ident_run(w, pkt, probe_ev_ssh, p, n, "ssh");
        ident_ssh_kex(w, wf, side, client, pkt);
        return;
    }
    if (ident_is_opcua(p, n)) { /* d2 */
        ident_run(w, pkt, probe_ev_opcua, p, n, "opcua");
        return;
    }
    if (ident_is_rtsp(p, n)) {
        ident_run(w, pkt, probe_ev_rtsp, p, n, "rtsp");
        return;
    }
    ident_http(w, wf, side, pkt);
}

/* d3: a Telnet server's output after login is the user's session, not the device's banner.
 * issue 4: once it has prompted, its other lines are the echo of what is typed (a user name)
 * and are never reported; after a password prompt, a refusal ("Login incorrect") is counted
 * and the next prompt awaited, and any other line means the login went through (or the
 * session went on): the side is closed. Returns true for a payload that said nothing at all
 * once prompting began (a keystroke's echo), which is not counted against the side's budget;
 * one whose lines were dropped is, so a session that never asks for a password ends. */
static bool ident_telnet(probe_worker_t *w, wk_flow_t *wf, int side, const probe_pkt_t *pkt)
{
    probe_ev_buf_t buf;
    buf.n = buf.dropped = 0;
    probe_ev_telnet(pkt->payload, pkt->payload_len, &buf);
    w->st.ident_packets++;
    uint8_t st = wf->ident_off[side];
    bool prompted = st & WK_ID_TN_LOGIN, other = false, said = buf.n != 0;
    for (size_t i = 0; i < buf.n; i++) {
        const probe_ev_t *ev = &buf.items[i];
        if (ev->field == PROBE_EVF_TELNET_PROMPT) {
            bool pass = strcasestr(ev->value, "pass") != NULL;
            st = (uint8_t)((st & ~WK_ID_TN_PASS) | WK_ID_TN_LOGIN | (pass ? WK_ID_TN_PASS : 0));
        } else if (ev->field == PROBE_EVF_AUTH_FAILURE) {
            st &= (uint8_t)~WK_ID_TN_PASS;
        } else if (ev->field == PROBE_EVF_TELNET_BANNER && (st & WK_ID_TN_LOGIN)) {
            other |= (st & WK_ID_TN_PASS) != 0;
            buf.items[i].field = PROBE_EVF_NONE; /* typed text, not the device's banner */
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < buf.n; i++)
        if (buf.items[i].field != PROBE_EVF_NONE) buf.items[k++] = buf.items[i];
    buf.n = k;
    ident_emit_all(w, pkt, &buf, "telnet");
    wf->ident_off[side] = other ? WK_ID_ALL : st;
    return prompted && !said;
}

/* Protocols recognised by their well-known port rather than their first bytes. Plant
 * protocols tell who a device is in replies an engineering tool may ask for well into a long
 * polling connection, so their flows are inspected for WK_PORT_MAX_PAYLOADS payloads per side
 * (fewer when they stop teaching: ident_stale); each extractor rejects an uninteresting PDU
 * within a few header checks. After that, a row
 * with a watch predicate keeps the side watched (WK_ID_WATCHED): a write or a PLC stop an
 * engineer sends hours into an HMI's polling connection is still seen. */
enum {
    /* Every payload: DHCP clients without an address all share one flow (0.0.0.0:68 ->
     * broadcast), and discovery protocols announce many devices on one flow. */
    WK_PORT_ALL = 1u << 0,
    /* The extractor's name replaces nDPI 4.2's, which is wrong for this protocol (MMS is not
     * S7comm). */
    WK_PORT_RENAMES = 1u << 1,
    /* Only the port owner's payloads: a FINS "reply" sent to a server is a forgery (fuzzers do
     * this), and a Telnet client's bytes are keystrokes, passwords among them. */
    WK_PORT_SERVER_ONLY = 1u << 2,
};

typedef ssf_rc (*wk_cred_extractor)(const uint8_t *p, size_t n, probe_ev_cred_t *st,
                                    probe_ev_buf_t *out);

typedef struct {
    uint8_t l4;    /* IPPROTO_TCP or IPPROTO_UDP                     */
    uint16_t port; /* either end of the flow                         */
    wk_extractor fn;
    const char *source; /* evidence source name                           */
    uint8_t flags;      /* WK_PORT_*                                      */
    /* Plant protocols: after the budget, a payload reaches fn only when this says it holds a
     * state change (a write, control, program change), so none goes unseen however late it
     * comes; NULL: the side is off after the budget. */
    wk_watch watch;
    /* The same extractor's stateful form, when logins are checked against the default
     * credential table (issue 4): fed the flow's probe_ev_cred_t (USER hash, default tried). */
    wk_cred_extractor cred;
    /* Its form for what the client sends to the port: a request describes the server it is
     * sent to (the write it asks for), so its items are the server's, marked as asked.
     * Without it every HMI that writes a register would carry the PLC's weak point. */
    wk_extractor request;
} wk_port_extractor;

static const wk_port_extractor port_extractors[] = {
    {IPPROTO_UDP, 67, probe_ev_dhcp, "dhcp", WK_PORT_ALL, NULL, NULL, NULL},
    {IPPROTO_UDP, 68, probe_ev_dhcp, "dhcp", WK_PORT_ALL, NULL, NULL, NULL},
    {IPPROTO_TCP, 502, probe_ev_modbus, "modbus", 0, probe_ev_modbus_watch, NULL,
     probe_ev_modbus_request},
    /* MMS flows are not watched (ident_watches): the MMS extractor reads identity only. */
    {IPPROTO_TCP, 102, probe_ev_s7, "s7comm", 0, probe_ev_s7_watch, NULL, NULL},
    {IPPROTO_TCP, 102, probe_ev_mms, "mms", WK_PORT_RENAMES, NULL, NULL,
     NULL}, /* when S7 says no */
    {IPPROTO_TCP, 44818, probe_ev_enip, "enip", 0, probe_ev_enip_watch, NULL, NULL},
    {IPPROTO_UDP, 44818, probe_ev_enip, "enip", 0, probe_ev_enip_watch, NULL, NULL},
    {IPPROTO_UDP, 47808, probe_ev_bacnet, "bacnet", WK_PORT_ALL, NULL, NULL, NULL},
    {IPPROTO_UDP, 161, probe_ev_snmp, "snmp", 0, NULL, NULL, NULL},
    {IPPROTO_UDP, 162, probe_ev_snmp, "snmp", 0, NULL, NULL, NULL},
    {IPPROTO_UDP, 514, probe_ev_syslog, "syslog", 0, NULL, NULL, NULL},
    {IPPROTO_UDP, 137, probe_ev_netbios, "netbios", WK_PORT_ALL, NULL, NULL, NULL},
    {IPPROTO_UDP, 5353, probe_ev_mdns, "mdns", WK_PORT_ALL, NULL, NULL, NULL},
    {IPPROTO_UDP, 1900, probe_ev_ssdp, "ssdp", WK_PORT_ALL, NULL, NULL, NULL},
    {IPPROTO_UDP, 9600, probe_ev_fins, "fins", WK_PORT_SERVER_ONLY, NULL, NULL, NULL},
    {IPPROTO_TCP, 9600, probe_ev_fins, "fins", WK_PORT_SERVER_ONLY, NULL, NULL, NULL},
    {IPPROTO_UDP, 5050, probe_ev_sbus, "sbus", 0, NULL, NULL, NULL},
    {IPPROTO_TCP, 48898, probe_ev_ads, "ads", 0, NULL, NULL, NULL},
    /* HART-IP servers answer on 5094; some gateways move the session to 5095. */
    {IPPROTO_UDP, 5094, probe_ev_hart, "hart-ip", 0, NULL, NULL, NULL},
    {IPPROTO_TCP, 5094, probe_ev_hart, "hart-ip", 0, NULL, NULL, NULL},
    {IPPROTO_UDP, 5095, probe_ev_hart, "hart-ip", 0, NULL, NULL, NULL},
    {IPPROTO_TCP, 5095, probe_ev_hart, "hart-ip", 0, NULL, NULL, NULL},
    {IPPROTO_UDP, 34964, probe_ev_pnio, "profinet", 0, NULL, NULL, NULL},
    {IPPROTO_TCP, 20000, probe_ev_dnp3, "dnp3", 0, probe_ev_dnp3_watch, NULL, NULL},
    {IPPROTO_UDP, 20000, probe_ev_dnp3, "dnp3", 0, probe_ev_dnp3_watch, NULL, NULL},
    {IPPROTO_TCP, 2404, probe_ev_iec104, "iec104", 0, probe_ev_iec104_watch, NULL, NULL},
    {IPPROTO_TCP, 4840, probe_ev_opcua, "opcua", 0, NULL, NULL, NULL},
    {IPPROTO_TCP, 1883, probe_ev_mqtt, "mqtt", 0, NULL, probe_ev_mqtt_st, NULL},
    {IPPROTO_UDP, 5683, probe_ev_coap, "coap", 0, NULL, NULL, NULL},
    {IPPROTO_UDP, 546, probe_ev_dhcpv6, "dhcpv6", 0, NULL, NULL, NULL},
    {IPPROTO_UDP, 547, probe_ev_dhcpv6, "dhcpv6", 0, NULL, NULL, NULL},
    {IPPROTO_TCP, 21, probe_ev_ftp, "ftp", 0, NULL, probe_ev_ftp_st, NULL},
    {IPPROTO_TCP, 23, probe_ev_telnet, "telnet", WK_PORT_SERVER_ONLY, NULL, NULL, NULL},
    {IPPROTO_TCP, 554, probe_ev_rtsp, "rtsp", 0, NULL, NULL, NULL},
    {IPPROTO_UDP, 5060, probe_ev_sip, "sip", 0, NULL, NULL, NULL},
    {IPPROTO_TCP, 5060, probe_ev_sip, "sip", 0, NULL, NULL, NULL},
    {IPPROTO_TCP, 445, probe_ev_smb, "smb", 0, NULL, NULL, NULL},
    {IPPROTO_TCP, 139, probe_ev_smb, "smb", 0, NULL, NULL, NULL},
    {IPPROTO_UDP, 10001, probe_ev_ubnt, "ubnt", 0, NULL, NULL, NULL},
    {IPPROTO_UDP, 6666, probe_ev_tuya, "tuya", 0, NULL, NULL, NULL},
    {IPPROTO_UDP, 6667, probe_ev_tuya, "tuya", 0, NULL, NULL, NULL},
    {IPPROTO_UDP, 2190, probe_ev_tivo, "tivo", 0, NULL, NULL, NULL},
    {IPPROTO_TCP, 2190, probe_ev_tivo, "tivo", 0, NULL, NULL, NULL},
    {IPPROTO_UDP, 3671, probe_ev_knx, "knx", 0, NULL, NULL, NULL},
    {IPPROTO_TCP, 3671, probe_ev_knx, "knx", 0, NULL, NULL, NULL},
    {IPPROTO_TCP, 4712, probe_ev_c37118, "c37118", 0, NULL, NULL, NULL},
    {IPPROTO_UDP, 4712, probe_ev_c37118, "c37118", 0, NULL, NULL, NULL},
    {IPPROTO_UDP, 4713, probe_ev_c37118, "c37118", 0, NULL, NULL, NULL},
    /* probes4: both sides, for the client's login commands (their arguments are never read). */
    {IPPROTO_TCP, 110, probe_ev_pop, "pop3", 0, NULL, probe_ev_pop_st, NULL},
    {IPPROTO_TCP, 143, probe_ev_imap, "imap", 0, NULL, probe_ev_imap_st, NULL},
    /* issue 4: read and write requests; the transfer itself runs on other ports. */
    {IPPROTO_UDP, 69, probe_ev_tftp, "tftp", 0, NULL, NULL, NULL},
};

_Static_assert(SSF_ARRAY_LEN(port_extractors) < 0xff, "port_row holds a row index + 1");

/* The first row for the flow's ports, looked up once per flow: the table has grown to dozens of
 * rows and the packet path should not walk it for every payload. */
static const wk_port_extractor *ident_by_port(wk_flow_t *wf, const probe_pkt_t *pkt)
{
    if (wf->port_row == 0) {
        wf->port_row = 0xff;
        for (size_t i = 0; i < SSF_ARRAY_LEN(port_extractors); i++) {
            const wk_port_extractor *e = &port_extractors[i];
            if (e->l4 == pkt->l4_proto && (e->port == pkt->sport || e->port == pkt->dport)) {
                wf->port_row = (uint8_t)(i + 1);
                break;
            }
        }
    }
    return wf->port_row == 0xff ? NULL : &port_extractors[wf->port_row - 1];
}

static ssf_rc ident_run_port(probe_worker_t *w, wk_flow_t *wf, const probe_pkt_t *pkt,
                             const wk_port_extractor *pe)
{
    if (pe->cred) {
        probe_ev_buf_t buf;
        buf.n = buf.dropped = 0;
        ssf_rc rc = pe->cred(pkt->payload, pkt->payload_len, &wf->cred, &buf);
        w->st.ident_packets++;
        ident_emit_all(w, pkt, &buf, pe->source);
        return rc;
    }
    bool to_server = pkt->dport == pe->port && pkt->sport != pe->port;
    wk_extractor fn = pe->request && to_server ? pe->request : pe->fn;
    return ident_run(w, pkt, fn, pkt->payload, pkt->payload_len, pe->source);
}

/* Runs the extractors of the payload's port, from pe on, until one recognises its protocol,
 * which then names the flow where nDPI cannot (or, for WK_PORT_RENAMES rows, names it wrongly). */
static void ident_ports(probe_worker_t *w, wk_flow_t *wf, const wk_port_extractor *pe,
                        const probe_pkt_t *pkt)
{
    const wk_port_extractor *end = port_extractors + SSF_ARRAY_LEN(port_extractors);
    for (; pe < end; pe++) {
        if (pe->l4 != pkt->l4_proto || (pe->port != pkt->sport && pe->port != pkt->dport)) continue;
        if (ident_run_port(w, wf, pkt, pe) != SSF_OK) continue;
        if (pe->fn == probe_ev_tftp) wk_expect_tftp(w, pkt); /* the transfer's own flow */
        bool renames = pe->flags & WK_PORT_RENAMES;
        if (!wf->own_proto || renames) wf->own_proto = pe->source;
        wf->own_renames |= renames;
        return;
    }
}

/* Is a side that spent its budget watched? Only when its row has a predicate and the row's own
 * extractor recognised the flow: MMS on S7's port 102, or bytes no extractor took for their
 * port's protocol, have no state change the predicate could find. */
static bool ident_watches(const wk_flow_t *wf, const wk_port_extractor *pe)
{
    return pe && pe->watch && wf->own_proto && strcmp(wf->own_proto, pe->source) == 0;
}

/* A plant flow's side has nothing left to teach once WK_PORT_STALE_MAX payloads in a row sent
 * nothing the dedup cache had not seen: a polling connection repeats the same reads, and every
 * restart of one (a new TCP connection on the same ports) would otherwise pay the whole budget
 * again for the same items. It is then watched early, and its state changes still reach the
 * extractor. Rows without a watch predicate, logins among them (each refusal counts), keep the
 * full budget. */
static bool ident_stale(wk_flow_t *wf, uint8_t dir, bool taught)
{
    if (taught) {
        wf->ident_stale[dir] = 0;
        return false;
    }
    return ++wf->ident_stale[dir] >= WK_PORT_STALE_MAX;
}

static void ident_packet(probe_worker_t *w, probe_flow_t *f, const probe_pkt_t *pkt, uint8_t dir)
{
    wk_flow_t *wf = wk_flow(f);
    uint64_t taught = w->st.evidence; /* observations sent so far */
    bool tcp = pkt->l4_proto == IPPROTO_TCP;
    const wk_port_extractor *pe = ident_by_port(wf, pkt);
    if (!pe && !tcp) {
        wf->ident_off[0] = wf->ident_off[1] = WK_ID_ALL;
        return;
    }
    if (pkt->payload_len == 0) return;
    if (pe && (pe->flags & WK_PORT_SERVER_ONLY) && pkt->sport != pe->port) {
        wf->ident_off[dir] = WK_ID_ALL;
        return;
    }
    /* The Telnet server's side is read until ident_telnet closes it. */
    if (pe && pe->fn == probe_ev_telnet && wf->ident_off[dir] == WK_ID_ALL) return;
    /* d3: SSH's HASSH needs to know which end is the client. */
    bool client = f->client_dir != PROBE_FLOW_DIR_UNKNOWN ? dir == f->client_dir : pkt->dport == 22;
    if (pe && pe->fn == probe_ev_telnet) {
        if (ident_telnet(w, wf, dir, pkt)) return;
    } else if (pe)
        ident_ports(w, wf, pe, pkt);
    else
        ident_tcp(w, wf, dir, client, pkt);
    if (pe && (pe->flags & WK_PORT_ALL)) return;
    unsigned budget = pe ? WK_PORT_MAX_PAYLOADS : WK_IDENT_MAX_PAYLOADS;
    bool watches = ident_watches(wf, pe);
    if (watches && ident_stale(wf, dir, w->st.evidence != taught)) budget = 0;
    if (++wf->ident_payloads[dir] >= budget && wf->tls_slot[dir] < 0)
        wf->ident_off[dir] = watches ? WK_ID_WATCHED : WK_ID_ALL;
}

/* The budget's path: every extractor that may apply. It and the watched path are out of line,
 * so that neither pays for the registers the other saves. */
static WK_NOINLINE void ident_budget(probe_worker_t *w, probe_flow_t *f, const probe_pkt_t *pkt,
                                     uint8_t dir)
{
    w->ident_flow = wk_flow(f); /* where a refusal's count slot is remembered */
    ident_packet(w, f, pkt, dir);
    w->ident_flow = NULL;
}

/* A state change on a watched side: the extractors run as within the budget, and the dedup
 * cache drops what they report again. */
static WK_NOINLINE void ident_watched(probe_worker_t *w, wk_flow_t *wf, const wk_port_extractor *pe,
                                      const probe_pkt_t *pkt)
{
    w->ident_flow = wf;
    ident_ports(w, wf, pe, pkt);
    w->ident_flow = NULL;
}

/* A watched side (WK_ID_WATCHED): its row's predicate reads a few header bytes of each
 * payload. This is the whole per-packet cost of a plant flow with nothing left to teach. */
static WK_NOINLINE void ident_watch(probe_worker_t *w, wk_flow_t *wf, const probe_pkt_t *pkt)
{
    if (!pkt->payload_len) return;
    /* port_row is checked, not trusted: a flow that inherits ident_off (a resumed
     * conversation) may not have inherited port_row with it, and then looks it up. */
    unsigned row = wf->port_row - 1u;
    const wk_port_extractor *pe =
        row < SSF_ARRAY_LEN(port_extractors) ? &port_extractors[row] : ident_by_port(wf, pkt);
    if (pe && pe->watch && SSF_UNLIKELY(pe->watch(pkt->payload, pkt->payload_len)))
        ident_watched(w, wf, pe, pkt);
}

void wk_ident_packet(probe_worker_t *w, probe_flow_t *f, const probe_pkt_t *pkt, uint8_t dir)
{
    wk_flow_t *wf = wk_flow(f);
    if (wf->ident_off[dir] == WK_ID_WATCHED)
        ident_watch(w, wf, pkt);
    else
        ident_budget(w, f, pkt, dir);
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
