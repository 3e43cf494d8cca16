/* The terminal views of a site: the inventory table and the --explain evidence trail. */
#include "site_internal.h"

#include "eng/policy.h"
#include "probe/evidence.h"
#include "ssf/json.h"

#include <ndpi/ndpi_api.h>
#include <stdlib.h>

/* Appends s to buf (of size len) with a separator, keeping buf NUL-terminated. */
static void cat_item(char *buf, size_t len, const char *sep, const char *s)
{
    size_t used = strlen(buf);
    if (used + 4 >= len) return;
    snprintf(buf + used, len - used, "%s%s", used ? sep : "", s);
}

/* "Siemens 95% | 6ES7 211-1BE31-0XB0 95% | V3.0 95%": the chosen vendor, model, firmware and
 * OS, each with its confidence. */
static void device_identity(const eng_device_t *d, char *buf, size_t len)
{
    static const sig_out order[] = {SIG_OUT_VENDOR, SIG_OUT_MODEL, SIG_OUT_FIRMWARE, SIG_OUT_OS};
    char item[SIG_OUT_MAX + 16];
    buf[0] = 0;
    for (size_t i = 0; i < SSF_ARRAY_LEN(order); i++) {
        const eng_cand_t *c = eng_identity_top(d, order[i]);
        if (!c) continue;
        snprintf(item, sizeof item, "%s %u%%", c->value, c->confidence);
        cat_item(buf, len, " | ", item);
    }
}

static void device_type(const eng_device_t *d, char *buf, size_t len)
{
    const eng_cand_t *c = eng_identity_top(d, SIG_OUT_TYPE);
    if (c)
        snprintf(buf, len, "%s %u%%", c->value, c->confidence);
    else
        snprintf(buf, len, "unknown");
}

static void device_serves(const eng_device_t *d, char *buf, size_t len)
{
    char item[64];
    buf[0] = 0;
    for (size_t i = 0; i < d->hosts.n; i++)
        for (size_t k = 0; k < d->hosts.v[i]->served.n; k++) {
            const eng_proto_t *p = &d->hosts.v[i]->served.v[k];
            snprintf(item, sizeof item, "%s/%u", p->name, p->port);
            if (!strstr(buf, item)) cat_item(buf, len, ", ", item);
        }
}

static void device_risks(const eng_device_t *d, char *buf, size_t len)
{
    uint64_t r = 0;
    /* Our findings first, worst first: they are what the operator acts on; nDPI's flow risks
     * follow as supporting detail. */
    eng_findings_kinds(d, buf, len);
    for (size_t i = 0; i < d->hosts.n; i++)
        r |= d->hosts.v[i]->risk_server | d->hosts.v[i]->risk_client;
    for (int b = 1; b < 64; b++)
        if (r & (1ull << b)) cat_item(buf, len, ", ", ndpi_risk2str((ndpi_risk_enum)b));
}

static void device_label(const eng_device_t *d, char *buf, size_t len)
{
    if (d->hosts.n && d->hosts.v[0]->has_ip)
        ssf_addr_str(&d->hosts.v[0]->ip, buf, len);
    else
        snprintf(buf, len, "(no IP)");
    if (d->router) snprintf(buf + strlen(buf), len - strlen(buf), " [router]");
}

/* Fits s into w columns: pads, or cuts with a trailing '~' that marks the cut. */
static void put_col(FILE *f, const char *s, int w)
{
    int n = (int)strlen(s);
    if (n <= w)
        fprintf(f, "%-*s ", w, s);
    else
        fprintf(f, "%.*s~ ", w - 1, s);
}

/* "H4 E3 S4": IoT-SSF human-damage and economic-impact levels and the required strength. */
static void device_ssf(const eng_device_t *d, char *buf, size_t len)
{
    if (!d->place.human)
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "H%u E%u S%u", d->place.human, d->place.economic, d->place.strength);
}

/* "#1 gap 3": where the device stands in the fix-first order (its system's place when it is a
 * member) and how far its own assurance falls short of its requirement. */
static void device_fix(const eng_posture_t *p, char *buf, size_t len)
{
    if (!p)
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "#%u gap %u", p->rank, p->key.gap);
}

/* The devices' postures by device index, so the table keeps its device order. */
static const eng_posture_t **posture_by_device(const eng_site_posture_t *p)
{
    const eng_posture_t **v = calloc(p->n_dev + 1, sizeof *v);
    for (size_t i = 0; v && i < p->n_dev; i++)
        v[p->dev[i].idx] = &p->dev[i];
    return v;
}

static void device_addr(const eng_device_t *d, char *buf, size_t len)
{
    if (d->hosts.n && d->hosts.v[0]->has_ip)
        ssf_addr_str(&d->hosts.v[0]->ip, buf, len);
    else
        snprintf(buf, len, "%s", d->id);
}

/* One line per system under the table: a system is one mark of the map, and the members'
 * rows above show their own numbers, not the system's. */
static void write_systems(const eng_site_t *s, const eng_site_posture_t *p, FILE *f)
{
    char addr[SSF_ADDR_STRLEN + 64], fix[32];
    if (!p->n_sys) return;
    fprintf(f, "\nSYSTEMS (policy %s; each placed as one)\n", eng_policy_file(s->policy));
    for (size_t i = 0; i < p->n_sys; i++) {
        const eng_sys_posture_t *sp = &p->sys[i];
        if (sp->rank)
            snprintf(fix, sizeof fix, "#%u gap %u", sp->rank, sp->key.gap);
        else
            snprintf(fix, sizeof fix, "-");
        fprintf(f, "%-9s %s (line %u): ", fix, sp->e->name, sp->e->line);
        if (sp->place.human)
            fprintf(f, "H%u E%u S%u", sp->place.human, sp->place.economic, sp->place.strength);
        else
            fprintf(f, "unplaced");
        if (!sp->n_members) {
            fprintf(f, ", no device seen\n");
            continue;
        }
        fprintf(f, ", assurance %u, %zu member%s:", sp->assurance, sp->n_members,
                sp->n_members == 1 ? "" : "s");
        for (size_t k = 0; k < p->n_dev; k++)
            if (p->dev[k].sys == sp) {
                device_addr(p->dev[k].d, addr, sizeof addr);
                fprintf(f, " %s", addr);
            }
        fputc('\n', f);
    }
}

static int widest(int w, const char *s, int max)
{
    int n = (int)strlen(s);
    return n > w ? (n < max ? n : max) : w;
}

/* Short columns shrink to their longest value (not under the heading), so a site whose
 * devices name nothing or sit in no system gives the room to identity and weak points. The
 * device column instead widens for labels that need it (an IPv6 address, a router mark): it is
 * the column an operator searches by, so it is never cut; 15 keeps IPv4 tables as they were. */
static void fit_columns(const eng_site_t *s, const eng_posture_t **pd, int *w_dev, int *w_name,
                        int *w_sys, int *w_fix)
{
    int dev = 15, name = 4, sys = 6, fix = 3;
    char buf[64];
    for (size_t i = 0; i < s->devices.n; i++) {
        const eng_device_t *d = s->devices.v[i];
        const eng_ev_t *ev = eng_device_name(d);
        device_label(d, buf, sizeof buf);
        dev = widest(dev, buf, *w_dev);
        name = widest(name, ev ? ev->value : "-", *w_name);
        if (d->system) sys = widest(sys, d->system->name, *w_sys);
        device_fix(pd[i], buf, sizeof buf);
        fix = widest(fix, buf, 12);
    }
    *w_dev = dev;
    *w_name = name;
    if (*w_sys) *w_sys = sys;
    *w_fix = fix;
}

ssf_rc eng_site_write_table(const eng_site_t *s, FILE *f, int width)
{
    eng_site_posture_t *p = eng_site_posture_new(s);
    const eng_posture_t **pd = p ? posture_by_device(p) : NULL;
    if (!pd) {
        eng_site_posture_free(&p);
        return SSF_ENOMEM;
    }
    bool systems = false;
    for (size_t i = 0; i < s->devices.n; i++)
        systems = systems || s->devices.v[i]->system;
    if (width <= 0) width = 200;
    int w_dev = 48, w_mac = 17, w_name = 14, w_type = 27, w_ssf = 8, w_fix = 9, w_srv = 16;
    int w_sys = systems ? 12 : 0;
    fit_columns(s, pd, &w_dev, &w_name, &w_sys, &w_fix);
    int rest = width - w_dev - w_mac - w_name - w_type - w_ssf - w_fix - w_srv - 9 -
               (systems ? w_sys + 1 : 0);
    /* What is left goes to identity and weak points, a little more to identity. */
    if (rest < 50) rest = 50;
    int w_id = rest * 55 / 100, w_weak = rest - w_id;
    char label[64], mac[SSF_MAC_STRLEN], id[512], type[SIG_OUT_MAX + 16], ssf[32], fix[32],
        srv[256], weak[512];
    put_col(f, "DEVICE", w_dev), put_col(f, "MAC", w_mac), put_col(f, "NAME", w_name);
    if (systems) put_col(f, "SYSTEM", w_sys);
    put_col(f, "IDENTITY", w_id), put_col(f, "TYPE", w_type), put_col(f, "IOT-SSF", w_ssf);
    put_col(f, "FIX", w_fix), put_col(f, "SERVES", w_srv), fprintf(f, "WEAK POINTS (nDPI RISKS)\n");
    for (size_t i = 0; i < s->devices.n; i++) {
        const eng_device_t *d = s->devices.v[i];
        const eng_ev_t *name = eng_device_name(d);
        device_label(d, label, sizeof label);
        device_identity(d, id, sizeof id);
        device_type(d, type, sizeof type);
        device_ssf(d, ssf, sizeof ssf);
        device_fix(pd[i], fix, sizeof fix);
        device_serves(d, srv, sizeof srv);
        device_risks(d, weak, sizeof weak);
        put_col(f, label, w_dev);
        put_col(f, d->has_mac ? ssf_mac_str(d->mac, mac, sizeof mac) : "-", w_mac);
        put_col(f, name ? name->value : "-", w_name);
        if (systems) put_col(f, d->system ? d->system->name : "-", w_sys);
        put_col(f, id[0] ? id : "-", w_id);
        put_col(f, type, w_type);
        put_col(f, ssf, w_ssf);
        put_col(f, fix, w_fix);
        put_col(f, srv[0] ? srv : "-", w_srv);
        fprintf(f, "%.*s\n", w_weak, weak[0] ? weak : "-");
    }
    write_systems(s, p, f);
    free(pd);
    eng_site_posture_free(&p);
    return ferror(f) ? SSF_EIO : SSF_OK;
}

static bool device_matches(const eng_device_t *d, const char *q)
{
    uint8_t mac[6];
    ssf_addr ip;
    if (ssf_mac_parse(q, mac)) return d->has_mac && !memcmp(d->mac, mac, 6);
    if (!ssf_addr_parse(q, &ip)) return false;
    for (size_t i = 0; i < d->hosts.n; i++)
        if (d->hosts.v[i]->has_ip && !memcmp(&d->hosts.v[i]->ip, &ip, sizeof ip)) return true;
    return false;
}

static void explain_why(FILE *f, const eng_why_t *w, const eng_report_meta_t *m)
{
    if (w->rule)
        fprintf(f, "      because rule %s (%s:%u, weight %u) matched %s = \"%s\"",
                sig_rule_id(w->rule), sig_rule_file(w->rule), sig_rule_line(w->rule), w->weight,
                w->field, w->value);
    else
        fprintf(f, "      because %s = \"%s\" (weight %u, no rule names it otherwise)", w->field,
                w->value, w->weight);
    if (w->ev) {
        const char *in = eng_input_name(m, w->ev->input);
        fprintf(f, ", %s%sframe %llu", in ? in : "", in ? " " : "",
                (unsigned long long)w->ev->frame);
    }
    fputc('\n', f);
}

static void explain_output(FILE *f, const eng_device_t *d, sig_out o, const eng_report_meta_t *m)
{
    const char *name = o == SIG_OUT_TYPE ? "device_type" : sig_out_name(o);
    if (!d->ident.c[o].n) {
        if (o == SIG_OUT_TYPE)
            fprintf(
                f, "  device_type = unknown\n      because no evidence names the kind of device\n");
        return;
    }
    for (size_t i = 0; i < d->ident.c[o].n; i++) {
        const eng_cand_t *c = &d->ident.c[o].v[i];
        if (i)
            fprintf(f, "  %s could also be %s (confidence %u%%)\n", name, c->value, c->confidence);
        else
            fprintf(f, "  %s = %s (confidence %u%%)\n", name, c->value, c->confidence);
        for (size_t k = 0; k < c->why.n; k++)
            explain_why(f, &c->why.v[k], m);
    }
}

static void explain_device(const eng_site_t *s, FILE *f, const eng_device_t *d,
                           const eng_report_meta_t *m)
{
    char mac[SSF_MAC_STRLEN], t[40], peer[SSF_ADDR_STRLEN];
    const char *vendor = eng_device_vendor(s, d);
    fprintf(f, "%s\n", d->id);
    if (d->has_mac)
        fprintf(f, "  mac_vendor = %s\n      because MAC %s is in the IEEE registry (ieee-data)\n",
                vendor ? vendor : "(not registered)", ssf_mac_str(d->mac, mac, sizeof mac));
    for (int o = 0; o < SIG_OUT_IDENTITY; o++)
        explain_output(f, d, (sig_out)o, m);
    /* @placement-explain */
    eng_placement_explain(f, s, d);
    /* @findings-explain */
    eng_findings_explain(f, d, m);
    fprintf(f, "  evidence:\n");
    for (size_t i = 0; i < d->hosts.n; i++)
        for (size_t k = 0; k < d->hosts.v[i]->ev.n; k++) {
            const eng_ev_t *e = &d->hosts.v[i]->ev.v[k];
            const char *in = eng_input_name(m, e->input);
            fprintf(f,
                    "  %s = %s\n      from %s, %s%sframe %llu at %s, peer %s, ports %u->%u, seen "
                    "%llu time%s\n",
                    probe_ev_field_name((probe_ev_field)e->field), e->value, e->source,
                    in ? in : "", in ? " " : "", (unsigned long long)e->frame,
                    ssf_time_iso(e->first_us, t, sizeof t),
                    ssf_addr_str(&e->peer, peer, sizeof peer), e->sport, e->dport,
                    (unsigned long long)e->count, e->count == 1 ? "" : "s");
        }
}

bool eng_site_write_explain(const eng_site_t *s, FILE *f, const char *q, const eng_report_meta_t *m)
{
    bool any = false;
    for (size_t i = 0; i < s->devices.n; i++)
        if (device_matches(s->devices.v[i], q)) {
            explain_device(s, f, s->devices.v[i], m);
            any = true;
        }
    return any;
}
