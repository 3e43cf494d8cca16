/* Posture: the assurance a device's findings show against the strength its IoT-SSF placement
 * requires, and the site's "fix first" order (docs/risk-schema.md, "Posture").
 *
 * Assurance is read from the findings only, because they are the one thing passive
 * observation can show against a requirement: a critical weak point means the device meets
 * at most the weakest level, and a device with none is given the benefit of the doubt (4), but
 * flagged "no evidence" when it showed nothing to inspect.
 *
 * A policy system (docs/iotssf.md, "Systems") is one mark of the map, so it is also one entry
 * of the fix-first order, ranked with the devices that belong to no system; its members keep
 * their own placement and posture and take the system's rank. */
#include "site_internal.h"

#include "eng/placement.h"
#include "eng/risk.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

unsigned eng_assurance(int worst)
{
    if (worst < 1) return ENG_IOTSSF_LEVELS;
    if (worst > ENG_IOTSSF_LEVELS) worst = ENG_IOTSSF_LEVELS;
    return (unsigned)(ENG_IOTSSF_LEVELS + 1 - worst);
}

unsigned eng_gap(unsigned required, unsigned assurance)
{
    return required > assurance ? required - assurance : 0;
}

static int cmp_desc(unsigned a, unsigned b)
{
    return a < b ? 1 : a > b ? -1 : 0;
}

int eng_posture_cmp(const eng_posture_key_t *a, const eng_posture_key_t *b)
{
    int c = cmp_desc(a->gap, b->gap);
    if (!c) c = cmp_desc(a->required, b->required);
    if (!c) c = cmp_desc((unsigned)a->worst, (unsigned)b->worst);
    if (!c) c = strcmp(a->id ? a->id : "", b->id ? b->id : "");
    return c;
}

static bool device_inspected(const eng_device_t *d)
{
    for (size_t i = 0; i < d->hosts.n; i++)
        if (d->hosts.v[i]->ev.n || d->hosts.v[i]->served.n) return true;
    return false;
}

static void posture_of(const eng_device_t *d, eng_posture_t *p)
{
    int worst = 0;
    for (size_t i = 0; i < d->findings.n; i++) {
        int r = sig_severity_rank(d->findings.v[i].kind->severity);
        if (r > worst) worst = r;
    }
    /* An advisory match is the weak point known_vulnerable_firmware, kept in its own object
     * (advisories.c) for its CVEs and fix, but it lowers the assurance like any finding. */
    const sig_weak_kind_t *kvf = sig_weak_kind("known_vulnerable_firmware");
    if (kvf && eng_advisories_any(d) && sig_severity_rank(kvf->severity) > worst)
        worst = sig_severity_rank(kvf->severity);
    p->d = d;
    p->assurance = eng_assurance(worst);
    p->no_evidence = !d->findings.n && !eng_advisories_any(d) && !device_inspected(d);
    p->key.required = d->place.human ? d->place.strength : 0;
    p->key.gap = eng_gap(p->key.required, p->assurance);
    p->key.worst = worst;
    p->key.id = d->id;
}

static void sev_count(const eng_device_t *d, unsigned n_sev[5])
{
    for (size_t i = 0; i < d->findings.n; i++) {
        int r = sig_severity_rank(d->findings.v[i].kind->severity);
        if (r >= 1 && r <= 4) n_sev[r]++;
    }
    const sig_weak_kind_t *kvf = sig_weak_kind("known_vulnerable_firmware");
    int r = kvf ? sig_severity_rank(kvf->severity) : 0;
    if (eng_advisories_any(d) && r >= 1 && r <= 4) n_sev[r]++;
}

/* The system of policy entry e over the devices' postures: placed as one, and as assured as
 * its weakest member, because an attacker needs only one way in. */
static void sys_posture_of(const eng_site_t *s, const eng_policy_entry_t *e,
                           const eng_posture_t *dev, size_t n_dev, eng_sys_posture_t *sp)
{
    sp->e = e;
    snprintf(sp->id, sizeof sp->id, "system:%s", e->name);
    eng_system_place(s, e, &sp->place);
    sp->no_evidence = true;
    for (size_t i = 0; i < n_dev; i++) {
        if (dev[i].d->system != e) continue;
        if (!sp->n_members++ || dev[i].assurance < sp->assurance) sp->assurance = dev[i].assurance;
        if (dev[i].key.worst > sp->key.worst) sp->key.worst = dev[i].key.worst;
        sp->no_evidence = sp->no_evidence && dev[i].no_evidence;
        sev_count(dev[i].d, sp->n_sev);
    }
    if (!sp->n_members) sp->no_evidence = false;
    sp->key.required = sp->place.human ? sp->place.strength : 0;
    sp->key.gap = sp->n_members ? eng_gap(sp->key.required, sp->assurance) : 0;
    sp->key.id = sp->id;
}

/* One entry of the fix-first order: a system or a device of its own. */
typedef struct {
    const eng_posture_key_t *key;
    unsigned *rank;
} mark_t;

static int mark_qsort(const void *x, const void *y)
{
    const mark_t *a = x, *b = y;
    return eng_posture_cmp(a->key, b->key);
}

/* Devices by rank, then a system's members by their own keys. */
static int dev_qsort(const void *x, const void *y)
{
    const eng_posture_t *a = x, *b = y;
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    return eng_posture_cmp(&a->key, &b->key);
}

/* Systems by rank; the empty ones (rank 0) last, in file order. */
static int sys_qsort(const void *x, const void *y)
{
    const eng_sys_posture_t *a = x, *b = y;
    unsigned ra = a->rank ? a->rank : UINT_MAX, rb = b->rank ? b->rank : UINT_MAX;
    if (ra != rb) return ra < rb ? -1 : 1;
    return a->e->line < b->e->line ? -1 : a->e->line > b->e->line;
}

static void rank_marks(eng_site_posture_t *p, mark_t *m)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n_dev; i++)
        if (!p->dev[i].d->system) m[n++] = (mark_t){&p->dev[i].key, &p->dev[i].rank};
    for (size_t i = 0; i < p->n_sys; i++)
        if (p->sys[i].n_members) m[n++] = (mark_t){&p->sys[i].key, &p->sys[i].rank};
    qsort(m, n, sizeof *m, mark_qsort);
    for (size_t i = 0; i < n; i++)
        *m[i].rank = (unsigned)i + 1;
    p->n_marks = n;
}

/* Each member takes its system's rank; its posture pointer then follows the sorted systems. */
static void link_members(eng_site_posture_t *p)
{
    for (size_t i = 0; i < p->n_dev; i++)
        for (size_t k = 0; p->dev[i].d->system && k < p->n_sys; k++)
            if (p->sys[k].e == p->dev[i].d->system) {
                p->dev[i].sys = &p->sys[k];
                p->dev[i].rank = p->sys[k].rank;
            }
}

eng_site_posture_t *eng_site_posture_new(const eng_site_t *s)
{
    eng_site_posture_t *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    size_t n_sys = s->policy ? eng_policy_count(s->policy, ENG_POL_SYSTEM) : 0;
    p->dev = calloc(s->devices.n + 1, sizeof *p->dev);
    p->sys = calloc(n_sys + 1, sizeof *p->sys);
    mark_t *m = calloc(s->devices.n + n_sys + 1, sizeof *m);
    if (!p->dev || !p->sys || !m) goto out_free;
    p->n_dev = s->devices.n;
    p->n_sys = n_sys;
    for (size_t i = 0; i < p->n_dev; i++) {
        posture_of(s->devices.v[i], &p->dev[i]);
        p->dev[i].idx = i;
    }
    for (size_t i = 0; i < n_sys; i++)
        sys_posture_of(s, eng_policy_entry(s->policy, ENG_POL_SYSTEM, i), p->dev, p->n_dev,
                       &p->sys[i]);
    rank_marks(p, m);
    free(m);
    qsort(p->sys, p->n_sys, sizeof *p->sys, sys_qsort);
    for (size_t i = 0; i < p->n_sys; i++)
        p->sys[i].key.id = p->sys[i].id; /* qsort moved the id the key points at */
    link_members(p);
    qsort(p->dev, p->n_dev, sizeof *p->dev, dev_qsort);
    return p;
out_free:
    free(m);
    eng_site_posture_free(&p);
    return NULL;
}

void eng_site_posture_free(eng_site_posture_t **pp)
{
    if (!pp || !*pp) return;
    free((*pp)->dev);
    free((*pp)->sys);
    free(*pp);
    *pp = NULL;
}
