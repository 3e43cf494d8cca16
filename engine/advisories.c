/* Advisories: each device's inferred vendor, model and firmware matched against the CSAF index
 * (signatures/csaf.c) once the identity is resolved. A match is the weak point
 * known_vulnerable_firmware; it is kept apart from the rule findings (findings.c) because its
 * reason is an advisory, not a rule, and it carries what the rules' findings lack: advisory id,
 * CVEs, score and remediation. The identity evidence shown is the candidate's own, so a reader
 * can see which packets said "this is a 6ES7 211-1BE31-0XB0 on V3.0". */
#include "site_internal.h"

#include "eng/advisories.h"
#include "probe/evidence.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ADV_PER_DEVICE_MAX 64 /* matches kept per device; more are only counted */

struct eng_adv_list {
    size_t n, total;
    const eng_cand_t *id[3]; /* vendor, model, firmware (firmware may be NULL) */
    sig_csaf_match_t m[ADV_PER_DEVICE_MAX];
};

static const sig_out adv_outs[3] = {SIG_OUT_VENDOR, SIG_OUT_MODEL, SIG_OUT_FIRMWARE};
static const char *const adv_out_names[3] = {"vendor", "model", "firmware"};

void eng_site_set_advisories(eng_site_t *s, const sig_csaf_index_t *ix)
{
    s->csaf = ix;
}

void eng_site_advisory_stats(const eng_site_t *s, uint64_t *ns, size_t *devices)
{
    *ns = s->csaf_ns;
    *devices = s->csaf_devices;
}

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void device_match(eng_site_t *s, eng_device_t *d)
{
    struct eng_adv_list *l = calloc(1, sizeof *l);
    if (!l) return;
    d->advisories = l;
    for (int i = 0; i < 3; i++)
        l->id[i] = eng_identity_top(d, adv_outs[i]);
    if (!l->id[0] || !l->id[1]) return; /* nothing to match on: an empty list, not an error */
    uint64_t t0 = now_ns();
    l->total = sig_csaf_match(s->csaf, l->id[0]->value, l->id[1]->value,
                              l->id[2] ? l->id[2]->value : NULL, l->m, ADV_PER_DEVICE_MAX);
    s->csaf_ns += now_ns() - t0;
    s->csaf_devices++;
    l->n = l->total < ADV_PER_DEVICE_MAX ? l->total : ADV_PER_DEVICE_MAX;
}

void eng_advisories_build(eng_site_t *s)
{
    if (!s->csaf) return;
    for (size_t i = 0; i < s->devices.n; i++)
        device_match(s, s->devices.v[i]);
}

void eng_advisories_free(eng_device_t *d)
{
    free(d->advisories);
    d->advisories = NULL;
}

bool eng_advisories_any(const eng_device_t *d)
{
    return d->advisories && d->advisories->n;
}

/* The strongest evidence item behind an identity value. */
static const eng_why_t *best_why(const eng_cand_t *c)
{
    const eng_why_t *b = NULL;
    for (size_t i = 0; c && i < c->why.n; i++)
        if (c->why.v[i].ev && (!b || c->why.v[i].weight > b->weight)) b = &c->why.v[i];
    return b;
}

static void json_identity(ssf_json_t *j, const struct eng_adv_list *l)
{
    ssf_json_obj_begin(j, "identity");
    for (int i = 0; i < 3; i++)
        ssf_json_str(j, adv_out_names[i], l->id[i] ? l->id[i]->value : NULL);
    ssf_json_obj_end(j);
    ssf_json_arr_begin(j, "evidence");
    for (int i = 0; i < 3; i++) {
        const eng_why_t *w = best_why(l->id[i]);
        if (!w) continue;
        ssf_json_obj_begin(j, NULL);
        ssf_json_str(j, "identity", adv_out_names[i]);
        ssf_json_str(j, "field", w->field);
        ssf_json_str(j, "value", w->value);
        ssf_json_str(j, "source", w->ev->source);
        ssf_json_u64(j, "frame", w->ev->frame);
        ssf_json_obj_end(j);
    }
    ssf_json_arr_end(j);
}

static void json_match(ssf_json_t *j, const sig_weak_kind_t *k, const sig_csaf_match_t *m)
{
    ssf_json_obj_begin(j, NULL);
    ssf_json_str(j, "kind", "known_vulnerable_firmware");
    ssf_json_str(j, "severity", k ? k->severity : NULL);
    ssf_json_str(j, "advisory", m->id);
    ssf_json_str(j, "title", m->title);
    ssf_json_str(j, "file", m->file);
    ssf_json_str(j, "product", m->product);
    ssf_json_str(j, "versions", m->versions);
    ssf_json_str(j, "matched_on", m->matched_on);
    ssf_json_str_list(j, "cves", m->cves);
    if (m->score >= 0) {
        ssf_json_dbl(j, "cvss_v3", m->score, 1);
    } else {
        ssf_json_str(j, "cvss_v3", NULL);
    }
    ssf_json_str(j, "remediation", m->remediation);
    ssf_json_str(j, "remediation_url", m->url);
    ssf_json_obj_end(j);
}

void eng_advisories_json(ssf_json_t *j, const eng_device_t *d)
{
    const struct eng_adv_list *l = d->advisories;
    if (!l) return; /* no --advisories: the member is absent, not empty */
    const sig_weak_kind_t *k = sig_weak_kind("known_vulnerable_firmware");
    ssf_json_obj_begin(j, "advisories");
    ssf_json_u64(j, "count", l->total);
    json_identity(j, l);
    ssf_json_arr_begin(j, "matches");
    for (size_t i = 0; i < l->n; i++)
        json_match(j, k, &l->m[i]);
    ssf_json_arr_end(j);
    ssf_json_obj_end(j);
}

void eng_advisories_explain(FILE *f, const eng_device_t *d)
{
    const struct eng_adv_list *l = d->advisories;
    if (!l || !l->n) return;
    fprintf(f, "  finding known_vulnerable_firmware: %zu advisor%s for %s %s%s%s\n", l->total,
            l->total == 1 ? "y" : "ies", l->id[0]->value, l->id[1]->value, l->id[2] ? " " : "",
            l->id[2] ? l->id[2]->value : " (firmware unknown)");
    for (size_t i = 0; i < l->n; i++) {
        const sig_csaf_match_t *m = &l->m[i];
        fprintf(f, "      %s %s: \"%s\" %s (%s)", m->id, m->title, m->product, m->versions,
                m->matched_on);
        if (m->score >= 0) fprintf(f, ", CVSS %.1f", m->score);
        fprintf(f, ", %s\n", m->cves);
        if (m->remediation || m->url)
            fprintf(f, "        fix: %s%s%s\n", m->remediation ? m->remediation : "",
                    m->url && m->remediation ? " " : "", m->url ? m->url : "");
    }
    for (int i = 0; i < 3; i++) {
        const eng_why_t *w = best_why(l->id[i]);
        if (w)
            fprintf(f, "      because %s = \"%s\" (%s, frame %llu)\n", w->field, w->value,
                    w->ev->source, (unsigned long long)w->ev->frame);
    }
}
