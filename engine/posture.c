/* Posture: the assurance a device's findings show against the strength its IoT-SSF placement
 * requires, and the site's "fix first" order (docs/risk-schema.md, "Posture").
 *
 * Assurance is read from the findings only, because they are the one thing passive
 * observation can show against a requirement: a critical weak point means the device meets
 * at most the weakest level, and a device with none is given the benefit of the doubt (4), but
 * flagged "no evidence" when it showed nothing to inspect. */
#include "site_internal.h"

#include "eng/placement.h"
#include "eng/risk.h"

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

static int posture_qsort(const void *x, const void *y)
{
    const eng_posture_t *a = x, *b = y;
    return eng_posture_cmp(&a->key, &b->key);
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

eng_posture_t *eng_posture_build(const eng_site_t *s)
{
    eng_posture_t *v = calloc(s->devices.n ? s->devices.n : 1, sizeof *v);
    if (!v) return NULL;
    for (size_t i = 0; i < s->devices.n; i++)
        posture_of(s->devices.v[i], &v[i]);
    qsort(v, s->devices.n, sizeof *v, posture_qsort);
    for (size_t i = 0; i < s->devices.n; i++)
        v[i].rank = (unsigned)i + 1;
    return v;
}
