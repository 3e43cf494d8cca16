/* Weak points (findings): evidence values in, findings out.
 *
 * The values identity matches (every evidence item of a device and the pseudo-fields
 * service.served and service.used) and nDPI's flow risk names (risk.as_server, as_client) are
 * matched against the signature set; each rule with a `finding KIND` output that matches
 * raises KIND on the device (or, for an `on peer` rule, on the other end of the packet). A device
 * has at most one finding per kind: further matches add their evidence to it, so the count is the
 * number of distinct (field, value) items that show the weak point. Severity and provisions come
 * from the kinds table (signatures/data/weak_points.tsv), never from the rule, so one kind reads
 * the same wherever it is raised. Values are the probes' evidence values, which already mask
 * secrets: nothing here sees a password, so nothing here can print one. */
#include "site_internal.h"

#include "probe/evidence.h"

#include <stdio.h>
#include <stdlib.h>

#define FINDING_EV_JSON_MAX 8 /* evidence items listed per finding; the rest are counted */

typedef struct {
    sig_scratch_t *scratch;
    const eng_site_t *s;
    eng_device_t *d;
} fx_ctx;

static eng_finding_t *finding_of(eng_device_t *d, const sig_weak_kind_t *k)
{
    for (size_t i = 0; i < d->findings.n; i++)
        if (d->findings.v[i].kind == k) return &d->findings.v[i];
    return NULL;
}

/* d's finding of kind k, raised now if d has none yet. */
static eng_finding_t *finding_get(eng_device_t *d, const sig_weak_kind_t *k)
{
    eng_finding_t *f = finding_of(d, k);
    if (f) return f;
    if (!ENG_VEC_PUSH(d->findings, f)) return NULL;
    f->kind = k;
    return f;
}

static bool fev_known(const eng_finding_t *f, const char *field, const char *value)
{
    for (size_t i = 0; i < f->ev.n; i++)
        if (!strcmp(f->ev.v[i].field, field) && !strcmp(f->ev.v[i].value, value)) return true;
    return false;
}

/* A new item of d's finding of kind k, or NULL when it is known already or memory ran out. The
 * caller fills in who raised it. */
static eng_fev_t *fev_new(eng_device_t *d, const sig_weak_kind_t *k, const char *field,
                          const char *value, const eng_host_t *h, const eng_ev_t *ev)
{
    eng_finding_t *f = finding_get(d, k);
    if (!f || fev_known(f, field, value)) return NULL;
    eng_fev_t *e;
    if (!ENG_VEC_PUSH(f->ev, e)) return NULL;
    e->host = h;
    e->ev = ev;
    e->field = field;
    ssf_strlcpy(e->value, value, sizeof e->value);
    /* A pseudo-field has no sighting of its own: the host's whole span stands for it. */
    uint64_t first = ev ? ev->first_us : h->first_us, last = ev ? ev->last_us : h->last_us;
    if (first && (!f->first_us || first < f->first_us)) f->first_us = first;
    if (last > f->last_us) f->last_us = last;
    return e;
}

static void finding_add(fx_ctx *x, const sig_match_t *m, const char *field, const char *value,
                        const eng_host_t *h, const eng_ev_t *ev)
{
    const sig_weak_kind_t *k = sig_weak_kind(m->out[SIG_OUT_FINDING]);
    if (!k) return; /* the parser refuses unknown kinds; this only guards the table */
    eng_device_t *d = x->d;
    const eng_device_t *via = NULL;
    /* A request names its sender, but the weak point is the receiver's: the peer of the
     * packet (of its first sighting, the one evidence keeps) gets the finding. */
    if (sig_rule_on_peer(m->rule)) {
        if (!ev || !(d = eng_device_of_ip(x->s, &ev->peer)) || d == x->d) return;
        via = x->d;
    }
    eng_fev_t *e = fev_new(d, k, field, value, h, ev);
    if (!e) return;
    e->rule = m->rule;
    e->via = via;
    eng_finding_t *f = finding_of(d, k);
    if (!f->rule && !f->check) f->rule = m->rule;
}

bool eng_finding_raise(eng_device_t *d, const eng_check_hit_t *hit)
{
    const sig_weak_kind_t *k = sig_weak_kind(hit->kind);
    if (!k || !hit->check || !hit->field || !hit->value || !hit->host) return false;
    eng_ev_t *own = NULL;
    if (hit->ev && !(own = malloc(sizeof *own))) return false;
    if (own) *own = *hit->ev;
    eng_fev_t *e = fev_new(d, k, hit->field, hit->value, hit->host, own);
    if (!e) {
        free(own);
        return finding_of(d, k) != NULL; /* known already is not a failure */
    }
    e->check = hit->check;
    e->owned = own;
    e->via = hit->via;
    if (hit->policy) ssf_strlcpy(e->policy, hit->policy, sizeof e->policy);
    eng_finding_t *f = finding_of(d, k);
    if (!f->rule && !f->check) f->check = hit->check;
    return true;
}

static void match_value(fx_ctx *x, const char *field, const char *value, const eng_host_t *h,
                        const eng_ev_t *ev)
{
    sig_match_t m[SIG_MATCH_MAX];
    size_t n = sig_set_match(x->s->sigs, x->scratch, field, value, strlen(value), m, SIG_MATCH_MAX);
    for (size_t i = 0; i < n; i++)
        if (m[i].out[SIG_OUT_FINDING][0]) finding_add(x, &m[i], field, value, h, ev);
}

static void match_host_value(void *ud, const eng_host_t *h, const char *field, const char *value,
                             const eng_ev_t *ev)
{
    match_value(ud, field, value, h, ev);
}

/* Worst first; equal severities in the kinds table's order, so output is stable. */
static int finding_cmp(const void *a, const void *b)
{
    const eng_finding_t *x = a, *y = b;
    int rx = sig_severity_rank(x->kind->severity), ry = sig_severity_rank(y->kind->severity);
    if (rx != ry) return rx > ry ? -1 : 1;
    return x->kind < y->kind ? -1 : x->kind > y->kind;
}

static void device_findings(fx_ctx *x)
{
    for (size_t i = 0; i < x->d->hosts.n; i++)
        eng_host_values(x->d->hosts.v[i], match_host_value, x);
}

static void rule_findings(eng_site_t *s)
{
    if (!s->sigs) return;
    fx_ctx x = {.s = s, .scratch = sig_scratch_new(s->sigs)};
    if (!x.scratch) return;
    for (size_t i = 0; i < s->devices.n; i++) {
        x.d = s->devices.v[i];
        device_findings(&x);
    }
    sig_scratch_free(&x.scratch);
}

void eng_findings_build(eng_site_t *s)
{
    rule_findings(s);
    /* @checks: engine checks (eng_finding_raise) run here, after the rules they may read. */
    eng_exposure_checks(s);
    eng_bruteforce_check(s);
    /* Sorted only now: an `on peer` rule may add to a device already visited. */
    for (size_t i = 0; i < s->devices.n; i++) {
        eng_device_t *d = s->devices.v[i];
        if (d->findings.n > 1)
            qsort(d->findings.v, d->findings.n, sizeof *d->findings.v, finding_cmp);
    }
}

void eng_findings_free(eng_device_t *d)
{
    eng_advisories_free(d); /* advisories hook: its findings live and die with these */
    for (size_t i = 0; i < d->findings.n; i++) {
        for (size_t k = 0; k < d->findings.v[i].ev.n; k++)
            free(d->findings.v[i].ev.v[k].owned);
        free(d->findings.v[i].ev.v);
    }
    free(d->findings.v);
    memset(&d->findings, 0, sizeof d->findings);
}

void eng_findings_kinds(const eng_device_t *d, char *buf, size_t len)
{
    size_t used = 0;
    if (len) buf[0] = 0;
    for (size_t i = 0; i < d->findings.n && used + 1 < len; i++) {
        int n =
            snprintf(buf + used, len - used, "%s%s", used ? ", " : "", d->findings.v[i].kind->kind);
        if (n < 0 || (size_t)n >= len - used) break;
        used += (size_t)n;
    }
    /* advisories hook: a matched advisory is a finding in the RISKS column too. */
    if (eng_advisories_any(d) && used + 1 < len)
        snprintf(buf + used, len - used, "%sknown_vulnerable_firmware", used ? ", " : "");
}

/* "FILE:LINE" of a rule; false (and "") for a check's item, which has no rule. */
static bool rule_at(const sig_rule_t *r, char *buf, size_t len)
{
    if (!r) {
        if (len) buf[0] = 0;
        return false;
    }
    snprintf(buf, len, "%s:%u", sig_rule_file(r), sig_rule_line(r));
    return true;
}

static void json_fev(ssf_json_t *j, const eng_report_meta_t *m, const eng_fev_t *e)
{
    char flow[160];
    ssf_json_obj_begin(j, NULL);
    ssf_json_str(j, "field", e->field);
    ssf_json_str(j, "value", e->value);
    ssf_json_str(j, "rule", e->rule ? sig_rule_id(e->rule) : NULL);
    if (e->check) ssf_json_str(j, "check", e->check);
    if (e->policy[0]) ssf_json_str(j, "policy", e->policy);
    if (e->via) ssf_json_str(j, "seen_on", e->via->id);
    ssf_json_str(j, "source", e->ev ? e->ev->source : NULL);
    /* Frame 0: no one packet of a file (a live capture, or a check's record of a whole flow). */
    bool framed = e->ev && e->ev->frame;
    ssf_json_str(j, "input", framed ? eng_input_name(m, e->ev->input) : NULL);
    if (framed) {
        ssf_json_u64(j, "frame", e->ev->frame);
    } else {
        ssf_json_str(j, "frame", NULL);
    }
    if (e->ev && eng_ev_packet(e->host, e->ev, flow, sizeof flow)) {
        ssf_json_str(j, "packet", flow);
    } else {
        ssf_json_str(j, "packet", NULL);
    }
    ssf_json_obj_end(j);
}

static void json_finding(ssf_json_t *j, const eng_report_meta_t *m, const eng_finding_t *f)
{
    char at[96];
    ssf_json_obj_begin(j, NULL);
    ssf_json_str(j, "kind", f->kind->kind);
    ssf_json_str(j, "severity", f->kind->severity);
    ssf_json_str_list(j, "provisions", f->kind->provisions);
    ssf_json_str(j, "jcstar", strcmp(f->kind->jcstar, "-") ? f->kind->jcstar : NULL);
    ssf_json_str(j, "rule", f->rule ? sig_rule_id(f->rule) : NULL);
    ssf_json_str(j, "rule_at", rule_at(f->rule, at, sizeof at) ? at : NULL);
    if (f->check) ssf_json_str(j, "check", f->check);
    ssf_json_u64(j, "count", f->ev.n);
    if (f->first_us) {
        ssf_json_time(j, "first_seen", f->first_us);
        ssf_json_time(j, "last_seen", f->last_us);
    } else {
        ssf_json_str(j, "first_seen", NULL);
        ssf_json_str(j, "last_seen", NULL);
    }
    ssf_json_arr_begin(j, "evidence");
    for (size_t i = 0; i < f->ev.n && i < FINDING_EV_JSON_MAX; i++)
        json_fev(j, m, &f->ev.v[i]);
    ssf_json_arr_end(j);
    ssf_json_obj_end(j);
}

void eng_findings_json(ssf_json_t *j, const eng_device_t *d, const eng_report_meta_t *m)
{
    ssf_json_arr_begin(j, "findings");
    for (size_t i = 0; i < d->findings.n; i++)
        json_finding(j, m, &d->findings.v[i]);
    ssf_json_arr_end(j);
    eng_advisories_json(j, d); /* advisories hook: the "advisories" member, with --advisories */
}

void eng_findings_explain(FILE *f, const eng_device_t *d, const eng_report_meta_t *m)
{
    char at[96];
    for (size_t i = 0; i < d->findings.n; i++) {
        const eng_finding_t *x = &d->findings.v[i];
        fprintf(f, "  finding %s (%s; ETSI EN 303 645 %s", x->kind->kind, x->kind->severity,
                x->kind->provisions);
        if (strcmp(x->kind->jcstar, "-")) fprintf(f, "; JC-STAR %s", x->kind->jcstar);
        fprintf(f, "): %s, %zu item%s\n", x->kind->desc, x->ev.n, x->ev.n == 1 ? "" : "s");
        for (size_t k = 0; k < x->ev.n; k++) {
            const eng_fev_t *e = &x->ev.v[k];
            if (rule_at(e->rule, at, sizeof at))
                fprintf(f, "      because rule %s (%s) matched %s = \"%s\"", sig_rule_id(e->rule),
                        at, e->field, e->value);
            else
                fprintf(f, "      because check %s found %s = \"%s\"", e->check, e->field,
                        e->value);
            if (e->policy[0]) fprintf(f, " (policy %s)", e->policy);
            if (e->via) fprintf(f, " of %s", e->via->id);
            if (e->ev && e->ev->frame) {
                const char *in = eng_input_name(m, e->ev->input);
                fprintf(f, ", %s%sframe %llu", in ? in : "", in ? " " : "",
                        (unsigned long long)e->ev->frame);
            }
            fputc('\n', f);
        }
    }
    if (d->internet_allowed[0])
        fprintf(f, "  internet: %llu flow%s with public addresses, allowed by policy %s\n",
                (unsigned long long)d->internet_allowed_flows,
                d->internet_allowed_flows == 1 ? "" : "s", d->internet_allowed);
    eng_advisories_explain(f, d); /* advisories hook */
}
