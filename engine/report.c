/* Writers for a finalized site: inventory.json, NDJSON, the terminal table, --explain. */
#include "site_internal.h"

#include "probe/evidence.h"
#include "ssf/json.h"

#include <ndpi/ndpi_api.h>
#include <netinet/in.h>
#include <stdlib.h>

#define INVENTORY_SCHEMA "ssfscan.inventory/2"

typedef struct {
    uint64_t pkts_tx, pkts_rx, bytes_tx, bytes_rx, first_us, last_us, risk_srv, risk_cli;
    uint64_t peers_total;
} dev_totals;

static void device_totals(const eng_device_t *d, dev_totals *t)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < d->hosts.n; i++) {
        const eng_host_t *h = d->hosts.v[i];
        t->pkts_tx += h->pkts_tx, t->pkts_rx += h->pkts_rx;
        t->bytes_tx += h->bytes_tx, t->bytes_rx += h->bytes_rx;
        if (h->first_us && (!t->first_us || h->first_us < t->first_us)) t->first_us = h->first_us;
        if (h->last_us > t->last_us) t->last_us = h->last_us;
        t->risk_srv |= h->risk_server, t->risk_cli |= h->risk_client;
        t->peers_total += h->n_peers_total;
    }
}

/* Flows of the entries equal to p in hosts [from, n) of d; 0 when none. Each host lists an
 * entry once, but a device's hosts (its addresses) often share one. */
static uint64_t proto_flows(const eng_device_t *d, size_t from, size_t n, const eng_proto_t *p,
                            bool served)
{
    uint64_t flows = 0;
    for (size_t i = from; i < n; i++) {
        const eng_host_t *h = d->hosts.v[i];
        const eng_proto_t *v = served ? h->served.v : h->used.v;
        size_t m = served ? h->served.n : h->used.n;
        for (size_t k = 0; k < m; k++)
            if (v[k].l4 == p->l4 && (!served || v[k].port == p->port) &&
                !strcmp(v[k].name, p->name))
                flows += v[k].flows;
    }
    return flows;
}

static void json_protos(ssf_json_t *j, const char *key, const eng_device_t *d, bool served)
{
    ssf_json_arr_begin(j, key);
    for (size_t i = 0; i < d->hosts.n; i++) {
        const eng_host_t *h = d->hosts.v[i];
        const eng_proto_t *v = served ? h->served.v : h->used.v;
        size_t n = served ? h->served.n : h->used.n;
        for (size_t k = 0; k < n; k++) {
            if (proto_flows(d, 0, i, &v[k], served)) continue; /* listed with an earlier host */
            ssf_json_obj_begin(j, NULL);
            ssf_json_str(j, "name", v[k].name);
            ssf_json_str(j, "transport", eng_l4_name(v[k].l4));
            if (served) ssf_json_u64(j, "port", v[k].port);
            ssf_json_u64(j, "flows", proto_flows(d, i, d->hosts.n, &v[k], served));
            ssf_json_obj_end(j);
        }
    }
    ssf_json_arr_end(j);
}

static void json_risks(ssf_json_t *j, const char *key, uint64_t risk)
{
    ssf_json_arr_begin(j, key);
    for (int b = 1; b < 64; b++)
        if (risk & (1ull << b)) ssf_json_str(j, NULL, ndpi_risk2str((ndpi_risk_enum)b));
    ssf_json_arr_end(j);
}

/* The name of the input a piece of evidence came from, or NULL when not known. */
const char *eng_input_name(const eng_report_meta_t *m, uint16_t input)
{
    return m && input < m->n_inputs ? m->inputs[input] : NULL;
}

bool eng_ev_packet(const eng_host_t *h, const eng_ev_t *e, char *buf, size_t len)
{
    char a[SSF_ADDR_STRLEN], b[SSF_ADDR_STRLEN];
    if (!h->has_ip) return false;
    snprintf(buf, len, "%s %s:%u <-> %s:%u", eng_l4_name(e->l4), ssf_addr_str(&h->ip, a, sizeof a),
             e->sport, ssf_addr_str(&e->peer, b, sizeof b), e->dport);
    return true;
}

static void json_evidence_item(ssf_json_t *j, const eng_report_meta_t *m, const eng_host_t *h,
                               const eng_ev_t *e)
{
    char flow[160];
    ssf_json_obj_begin(j, NULL);
    ssf_json_str(j, "field", probe_ev_field_name((probe_ev_field)e->field));
    ssf_json_str(j, "value", e->value);
    ssf_json_str(j, "source", e->source);
    ssf_json_u64(j, "count", e->count);
    ssf_json_time(j, "first_seen", e->first_us);
    ssf_json_time(j, "last_seen", e->last_us);
    ssf_json_str(j, "input", eng_input_name(m, e->input));
    ssf_json_u64(j, "frame", e->frame);
    if (eng_ev_packet(h, e, flow, sizeof flow)) ssf_json_str(j, "packet", flow);
    ssf_json_obj_end(j);
}

/* True if an earlier host of d (before host hi, item ki) already has this field and value:
 * a device merged from a MAC host and its MAC-less twin reports each fact once. */
static bool ev_seen_before(const eng_device_t *d, size_t hi, size_t ki)
{
    const eng_ev_t *e = &d->hosts.v[hi]->ev.v[ki];
    for (size_t i = 0; i <= hi; i++) {
        size_t n = i == hi ? ki : d->hosts.v[i]->ev.n;
        for (size_t k = 0; k < n; k++) {
            const eng_ev_t *o = &d->hosts.v[i]->ev.v[k];
            if (o->field == e->field && !strcmp(o->value, e->value)) return true;
        }
    }
    return false;
}

static bool ip_seen_before(const eng_device_t *d, size_t hi)
{
    for (size_t i = 0; i < hi; i++)
        if (d->hosts.v[i]->has_ip &&
            !memcmp(&d->hosts.v[i]->ip, &d->hosts.v[hi]->ip, sizeof(ssf_addr)))
            return true;
    return false;
}

/* Every evidence value by field: the raw facts the identity is inferred from. */
static void json_attributes(ssf_json_t *j, const eng_device_t *d)
{
    ssf_json_obj_begin(j, "attributes");
    for (int f = 1; f < PROBE_EVF_COUNT; f++) {
        bool open = false;
        for (size_t i = 0; i < d->hosts.n; i++) {
            const eng_host_t *h = d->hosts.v[i];
            for (size_t k = 0; k < h->ev.n; k++) {
                if (h->ev.v[k].field != f || ev_seen_before(d, i, k)) continue;
                if (!open) ssf_json_arr_begin(j, probe_ev_field_name((probe_ev_field)f));
                open = true;
                ssf_json_str(j, NULL, h->ev.v[k].value);
            }
        }
        if (open) ssf_json_arr_end(j);
    }
    ssf_json_obj_end(j);
}

#define JSON_WHY_MAX  8 /* reasons listed per candidate; the rest are counted */
#define JSON_ALTS_MAX 8 /* alternatives listed per output                    */

static void json_why(ssf_json_t *j, const eng_report_meta_t *m, const eng_why_t *w)
{
    char at[96];
    ssf_json_obj_begin(j, NULL);
    ssf_json_str(j, "rule", w->rule ? sig_rule_id(w->rule) : NULL);
    if (w->rule) {
        snprintf(at, sizeof at, "%s:%u", sig_rule_file(w->rule), sig_rule_line(w->rule));
        ssf_json_str(j, "rule_at", at);
    }
    ssf_json_u64(j, "weight", w->weight);
    ssf_json_str(j, "field", w->field);
    ssf_json_str(j, "value", w->value);
    if (w->ev) {
        ssf_json_str(j, "source", w->ev->source);
        ssf_json_str(j, "input", eng_input_name(m, w->ev->input));
        ssf_json_u64(j, "frame", w->ev->frame);
    }
    ssf_json_obj_end(j);
}

static void json_cand(ssf_json_t *j, const eng_report_meta_t *m, const eng_cand_t *c)
{
    ssf_json_str(j, "value", c->value);
    ssf_json_u64(j, "confidence", c->confidence);
    if (c->n_aka) {
        ssf_json_arr_begin(j, "also_named");
        for (unsigned i = 0; i < c->n_aka; i++)
            ssf_json_str(j, NULL, c->aka[i]);
        ssf_json_arr_end(j);
    }
    ssf_json_arr_begin(j, "evidence");
    for (size_t i = 0; i < c->why.n && i < JSON_WHY_MAX; i++)
        json_why(j, m, &c->why.v[i]);
    ssf_json_arr_end(j);
    if (c->why.n > JSON_WHY_MAX) ssf_json_u64(j, "evidence_total", c->why.n);
}

/* Each output: the chosen value with its confidence and reasons, then the candidates it beat
 * (conflicts are kept, not overwritten). A device type nothing supports is "unknown". */
static void json_identity(ssf_json_t *j, const eng_device_t *d, const eng_report_meta_t *m)
{
    ssf_json_obj_begin(j, "identity");
    for (int o = 0; o < SIG_OUT_IDENTITY; o++) {
        const char *key = o == SIG_OUT_TYPE ? "device_type" : sig_out_name((sig_out)o);
        size_t n = d->ident.c[o].n;
        if (!n && o != SIG_OUT_TYPE) {
            ssf_json_str(j, key, NULL);
            continue;
        }
        ssf_json_obj_begin(j, key);
        if (!n) {
            ssf_json_str(j, "value", "unknown");
            ssf_json_u64(j, "confidence", 0);
            ssf_json_arr_begin(j, "evidence");
            ssf_json_arr_end(j);
        } else {
            json_cand(j, m, &d->ident.c[o].v[0]);
        }
        ssf_json_arr_begin(j, "alternatives");
        for (size_t i = 1; i < n && i <= JSON_ALTS_MAX; i++) {
            ssf_json_obj_begin(j, NULL);
            json_cand(j, m, &d->ident.c[o].v[i]);
            ssf_json_obj_end(j);
        }
        ssf_json_arr_end(j);
        ssf_json_obj_end(j);
    }
    ssf_json_obj_end(j);
}

static void json_addresses(ssf_json_t *j, const eng_device_t *d)
{
    char buf[SSF_ADDR_STRLEN];
    ssf_json_arr_begin(j, "ips");
    for (size_t i = 0; i < d->hosts.n; i++)
        if (d->hosts.v[i]->has_ip && !ip_seen_before(d, i))
            ssf_json_str(j, NULL, ssf_addr_str(&d->hosts.v[i]->ip, buf, sizeof buf));
    ssf_json_arr_end(j);
    ssf_json_arr_begin(j, "vlans");
    for (size_t i = 0; i < d->hosts.n; i++)
        for (unsigned k = 0; k < d->hosts.v[i]->n_vlans; k++)
            ssf_json_u64(j, NULL, d->hosts.v[i]->vlans[k]);
    ssf_json_arr_end(j);
}

/* True when a host before host i of d lists peer a. */
static bool peer_listed_before(const eng_device_t *d, size_t i, const ssf_addr *a)
{
    for (size_t h = 0; h < i; h++)
        for (size_t k = 0; k < d->hosts.v[h]->peers.n; k++)
            if (!memcmp(&d->hosts.v[h]->peers.v[k], a, sizeof *a)) return true;
    return false;
}

/* total sums the hosts' peer counts; a peer shared by several hosts is listed and counted
 * once (peers beyond a host's ENG_PEERS_MAX cannot be compared and stay counted). */
static void json_peers(ssf_json_t *j, const eng_device_t *d, uint64_t total)
{
    char buf[SSF_ADDR_STRLEN];
    ssf_json_arr_begin(j, "peers");
    for (size_t i = 0; i < d->hosts.n; i++)
        for (size_t k = 0; k < d->hosts.v[i]->peers.n; k++) {
            const ssf_addr *a = &d->hosts.v[i]->peers.v[k];
            if (peer_listed_before(d, i, a)) {
                total--;
                continue;
            }
            ssf_json_str(j, NULL, ssf_addr_str(a, buf, sizeof buf));
        }
    ssf_json_arr_end(j);
    ssf_json_u64(j, "peers_total", total);
}

static void json_device(ssf_json_t *j, const eng_site_t *s, const eng_device_t *d,
                        const eng_report_meta_t *m)
{
    char mac[SSF_MAC_STRLEN];
    dev_totals t;
    device_totals(d, &t);
    ssf_json_str(j, "id", d->id);
    ssf_json_str(j, "mac", d->has_mac ? ssf_mac_str(d->mac, mac, sizeof mac) : NULL);
    ssf_json_str(j, "mac_vendor", eng_device_vendor(s, d));
    const eng_ev_t *name = eng_device_name(d);
    ssf_json_str(j, "name", name ? name->value : NULL);
    ssf_json_bool(j, "router", d->router);
    ssf_json_bool(j, "behind_router", d->via_router);
    ssf_json_bool(j, "local", d->local);
    json_addresses(j, d);
    json_identity(j, d, m);
    /* @placement-json */
    eng_placement_json(j, s, d);
    /* @findings-json */
    eng_findings_json(j, d, m);
    json_attributes(j, d);
    ssf_json_obj_begin(j, "protocols");
    json_protos(j, "served", d, true);
    json_protos(j, "used", d, false);
    ssf_json_obj_end(j);
    json_peers(j, d, t.peers_total);
    ssf_json_obj_begin(j, "traffic");
    ssf_json_u64(j, "packets_sent", t.pkts_tx);
    ssf_json_u64(j, "packets_received", t.pkts_rx);
    ssf_json_u64(j, "bytes_sent", t.bytes_tx);
    ssf_json_u64(j, "bytes_received", t.bytes_rx);
    ssf_json_obj_end(j);
    ssf_json_time(j, "first_seen", t.first_us);
    ssf_json_time(j, "last_seen", t.last_us);
    ssf_json_obj_begin(j, "risks");
    json_risks(j, "as_server", t.risk_srv);
    json_risks(j, "as_client", t.risk_cli);
    ssf_json_obj_end(j);
    ssf_json_arr_begin(j, "evidence");
    for (size_t i = 0; i < d->hosts.n; i++)
        for (size_t k = 0; k < d->hosts.v[i]->ev.n; k++)
            json_evidence_item(j, m, d->hosts.v[i], &d->hosts.v[i]->ev.v[k]);
    ssf_json_arr_end(j);
}

static void json_meta(ssf_json_t *j, const eng_site_t *s, const eng_report_meta_t *m)
{
    ssf_json_str(j, "site", s->name);
    ssf_json_str(j, "generator", "ssfscan " SSF_VERSION);
    ssf_json_arr_begin(j, "inputs");
    for (size_t i = 0; m && i < m->n_inputs; i++)
        ssf_json_str(j, NULL, m->inputs[i]);
    ssf_json_arr_end(j);
    ssf_json_obj_begin(j, "totals");
    ssf_json_u64(j, "packets", m ? m->packets : 0);
    ssf_json_u64(j, "flows", s->st.flows);
    ssf_json_u64(j, "devices", s->devices.n);
    ssf_json_u64(j, "evidence", s->st.evidence);
    ssf_json_obj_end(j);
}

ssf_rc eng_site_write_json(const eng_site_t *s, FILE *f, const eng_report_meta_t *meta)
{
    ssf_json_t j;
    ssf_json_init(&j, f, true);
    ssf_json_obj_begin(&j, NULL);
    ssf_json_str(&j, "schema", INVENTORY_SCHEMA);
    json_meta(&j, s, meta);
    ssf_json_arr_begin(&j, "devices");
    for (size_t i = 0; i < s->devices.n; i++) {
        ssf_json_obj_begin(&j, NULL);
        json_device(&j, s, s->devices.v[i], meta);
        ssf_json_obj_end(&j);
    }
    ssf_json_arr_end(&j);
    ssf_json_obj_end(&j);
    fputc('\n', f);
    return ferror(f) ? SSF_EIO : SSF_OK;
}

ssf_rc eng_site_write_ndjson(const eng_site_t *s, FILE *f, const eng_report_meta_t *meta)
{
    ssf_json_t j;
    for (size_t i = 0; i < s->devices.n; i++) {
        ssf_json_init(&j, f, false);
        ssf_json_obj_begin(&j, NULL);
        ssf_json_str(&j, "type", "device");
        ssf_json_str(&j, "schema", INVENTORY_SCHEMA);
        ssf_json_str(&j, "site", s->name);
        json_device(&j, s, s->devices.v[i], meta);
        ssf_json_obj_end(&j);
        fputc('\n', f);
    }
    ssf_json_init(&j, f, false);
    ssf_json_obj_begin(&j, NULL);
    ssf_json_str(&j, "type", "summary");
    ssf_json_str(&j, "schema", INVENTORY_SCHEMA);
    json_meta(&j, s, meta);
    ssf_json_obj_end(&j);
    fputc('\n', f);
    return ferror(f) ? SSF_EIO : SSF_OK;
}
