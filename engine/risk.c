/* risk.json (schema ssfscan.risk/1, docs/risk-schema.md) and the findings NDJSON stream: the
 * site's policy systems and devices in fix-first order with their placement, posture and
 * findings. */
#include "site_internal.h"

#include "eng/placement.h"
#include "eng/risk.h"
#include "ssf/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>

static uint64_t now_us(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
}

static void json_axes(ssf_json_t *j, const eng_iotssf_t *t)
{
    static const char *const names[ENG_AXIS_COUNT] = {"human", "economic"};
    ssf_json_obj_begin(j, "axes");
    for (int a = 0; a < ENG_AXIS_COUNT; a++) {
        ssf_json_arr_begin(j, names[a]);
        for (unsigned lv = 1; t && lv <= ENG_IOTSSF_LEVELS; lv++) {
            ssf_json_obj_begin(j, NULL);
            ssf_json_u64(j, "level", lv);
            ssf_json_str(j, "name", eng_iotssf_level_name(t, (eng_axis)a, lv));
            ssf_json_str(j, "meaning", eng_iotssf_level_meaning(t, (eng_axis)a, lv));
            ssf_json_obj_end(j);
        }
        ssf_json_arr_end(j);
    }
    ssf_json_obj_end(j);
    ssf_json_arr_begin(j, "categories");
    for (unsigned h = 1; t && h <= ENG_IOTSSF_LEVELS; h++)
        for (unsigned e = 1; e <= ENG_IOTSSF_LEVELS; e++) {
            const eng_iotssf_cell_t *c = eng_iotssf_cell(t, h, e);
            ssf_json_obj_begin(j, NULL);
            ssf_json_u64(j, "human", h);
            ssf_json_u64(j, "economic", e);
            ssf_json_str(j, "category", c ? c->category : NULL);
            ssf_json_u64(j, "strength", c ? c->strength : 0);
            ssf_json_obj_end(j);
        }
    ssf_json_arr_end(j);
}

static bool ip_before(const eng_device_t *d, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (d->hosts.v[k]->has_ip &&
            !memcmp(&d->hosts.v[k]->ip, &d->hosts.v[i]->ip, sizeof(ssf_addr)))
            return true;
    return false;
}

static void json_ips(ssf_json_t *j, const eng_device_t *d)
{
    char buf[SSF_ADDR_STRLEN];
    ssf_json_arr_begin(j, "ips");
    for (size_t i = 0; i < d->hosts.n; i++)
        if (d->hosts.v[i]->has_ip && !ip_before(d, i))
            ssf_json_str(j, NULL, ssf_addr_str(&d->hosts.v[i]->ip, buf, sizeof buf));
    ssf_json_arr_end(j);
}

/* The chosen value of each identity output with its confidence; null when none. */
static void json_ident_summary(ssf_json_t *j, const eng_device_t *d)
{
    ssf_json_obj_begin(j, "identity");
    for (int o = 0; o < SIG_OUT_IDENTITY; o++) {
        const char *key = o == SIG_OUT_TYPE ? "device_type" : sig_out_name((sig_out)o);
        const eng_cand_t *c = eng_identity_top(d, (sig_out)o);
        if (!c) {
            ssf_json_str(j, key, NULL);
            continue;
        }
        ssf_json_obj_begin(j, key);
        ssf_json_str(j, "value", c->value);
        ssf_json_u64(j, "confidence", c->confidence);
        ssf_json_obj_end(j);
    }
    ssf_json_obj_end(j);
}

static const char *severity_name(int rank)
{
    static const char *const n[] = {NULL, "low", "medium", "high", "critical"};
    return rank >= 1 && rank <= 4 ? n[rank] : NULL;
}

static void json_head(ssf_json_t *j, const eng_site_t *s, const eng_device_t *d)
{
    char mac[SSF_MAC_STRLEN];
    ssf_json_str(j, "id", d->id);
    json_ips(j, d);
    ssf_json_str(j, "mac", d->has_mac ? ssf_mac_str(d->mac, mac, sizeof mac) : NULL);
    ssf_json_str(j, "mac_vendor", eng_device_vendor(s, d));
    const eng_ev_t *name = eng_device_name(d);
    ssf_json_str(j, "name", name ? name->value : NULL);
}

static void json_risk_device(ssf_json_t *j, const eng_site_t *s, const eng_posture_t *p,
                             const eng_report_meta_t *m)
{
    ssf_json_obj_begin(j, NULL);
    json_head(j, s, p->d);
    json_ident_summary(j, p->d);
    eng_placement_json(j, s, p->d);
    ssf_json_u64(j, "required_strength", p->key.required);
    ssf_json_u64(j, "assurance", p->assurance);
    ssf_json_bool(j, "no_evidence", p->no_evidence);
    ssf_json_str(j, "worst_severity", severity_name(p->key.worst));
    ssf_json_u64(j, "gap", p->key.gap);
    ssf_json_u64(j, "rank", p->rank);
    eng_findings_json(j, p->d, m);
    ssf_json_obj_end(j);
}

static void json_sys_counts(ssf_json_t *j, const eng_sys_posture_t *sp)
{
    unsigned total = 0;
    ssf_json_obj_begin(j, "finding_counts");
    for (int r = 4; r >= 1; r--) {
        ssf_json_u64(j, severity_name(r), sp->n_sev[r]);
        total += sp->n_sev[r];
    }
    ssf_json_u64(j, "total", total);
    ssf_json_obj_end(j);
}

/* A system without members is listed, so a line that matched nothing is seen, but it has no
 * posture and no rank: null rather than a made-up number. */
static void json_risk_system(ssf_json_t *j, const eng_site_t *s, const eng_site_posture_t *p,
                             const eng_sys_posture_t *sp)
{
    char at[320];
    snprintf(at, sizeof at, "%s:%u", eng_policy_file(s->policy), sp->e->line);
    ssf_json_obj_begin(j, NULL);
    ssf_json_str(j, "name", sp->e->name);
    ssf_json_str(j, "policy", at);
    ssf_json_arr_begin(j, "members");
    for (size_t i = 0; i < p->n_dev; i++)
        if (p->dev[i].sys == sp) ssf_json_str(j, NULL, p->dev[i].d->id);
    ssf_json_arr_end(j);
    eng_system_place_json(j, s, sp->e, &sp->place);
    ssf_json_u64(j, "required_strength", sp->key.required);
    if (sp->n_members)
        ssf_json_u64(j, "assurance", sp->assurance);
    else
        ssf_json_str(j, "assurance", NULL);
    ssf_json_bool(j, "no_evidence", sp->no_evidence);
    ssf_json_str(j, "worst_severity", severity_name(sp->key.worst));
    ssf_json_u64(j, "gap", sp->key.gap);
    if (sp->rank)
        ssf_json_u64(j, "rank", sp->rank);
    else
        ssf_json_str(j, "rank", NULL);
    json_sys_counts(j, sp);
    ssf_json_obj_end(j);
}

ssf_rc eng_site_write_risk(const eng_site_t *s, FILE *f, const eng_report_meta_t *m)
{
    eng_site_posture_t *p = eng_site_posture_new(s);
    if (!p) return SSF_ENOMEM;
    ssf_json_t j;
    ssf_json_init(&j, f, true);
    ssf_json_obj_begin(&j, NULL);
    ssf_json_str(&j, "schema", ENG_RISK_SCHEMA);
    ssf_json_str(&j, "site", s->name);
    ssf_json_str(&j, "generator", "ssfscan " SSF_VERSION);
    ssf_json_time(&j, "time", now_us());
    ssf_json_arr_begin(&j, "inputs");
    for (size_t i = 0; m && i < m->n_inputs; i++)
        ssf_json_str(&j, NULL, m->inputs[i]);
    ssf_json_arr_end(&j);
    json_axes(&j, eng_iotssf_builtin(NULL));
    ssf_json_arr_begin(&j, "systems");
    for (size_t i = 0; i < p->n_sys; i++)
        json_risk_system(&j, s, p, &p->sys[i]);
    ssf_json_arr_end(&j);
    ssf_json_arr_begin(&j, "devices");
    for (size_t i = 0; i < p->n_dev; i++)
        json_risk_device(&j, s, &p->dev[i], m);
    ssf_json_arr_end(&j);
    ssf_json_obj_end(&j);
    fputc('\n', f);
    eng_site_posture_free(&p);
    return ferror(f) ? SSF_EIO : SSF_OK;
}

/* One line per finding of every device, in fix-first order, each carrying the device's head
 * and posture so a line stands on its own in a log pipeline. */
ssf_rc eng_site_write_findings_ndjson(const eng_site_t *s, FILE *f, const eng_report_meta_t *m)
{
    eng_site_posture_t *p = eng_site_posture_new(s);
    if (!p) return SSF_ENOMEM;
    for (size_t i = 0; i < p->n_dev; i++) {
        const eng_device_t *d = p->dev[i].d;
        for (size_t k = 0; k < d->findings.n; k++) {
            /* eng_findings_json writes an array; a one-finding view of the device keeps the
             * one writer of a finding's members. */
            eng_device_t one = *d;
            one.findings.v = &d->findings.v[k];
            one.findings.n = 1;
            ssf_json_t j;
            ssf_json_init(&j, f, false);
            ssf_json_obj_begin(&j, NULL);
            ssf_json_str(&j, "type", "finding");
            ssf_json_str(&j, "schema", ENG_RISK_SCHEMA);
            ssf_json_str(&j, "site", s->name);
            json_head(&j, s, d);
            eng_system_json(&j, d);
            ssf_json_u64(&j, "gap", p->dev[i].key.gap);
            ssf_json_u64(&j, "rank", p->dev[i].rank);
            eng_findings_json(&j, &one, m);
            ssf_json_obj_end(&j);
            fputc('\n', f);
        }
    }
    eng_site_posture_free(&p);
    return ferror(f) ? SSF_EIO : SSF_OK;
}
