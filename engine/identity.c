/* Identity inference: evidence values in, vendor / model / firmware / OS / device type out.
 *
 * Every evidence value of a device, its MAC's registry name and the services it serves and uses
 * are matched against the signature set. Each output a matching rule sets becomes a vote for a
 * candidate value, carrying the rule's weight and the evidence it matched. Votes for the same
 * value (after folding case, punctuation and corporate suffixes) are combined as independent
 * signals, noisy-OR over distinct rules, so one rule matching ten values counts once and two
 * different rules that agree count more than either. Every candidate is kept with its reasons:
 * the best one is the answer, the others are the conflicts an operator can inspect. */
#include "site_internal.h"

#include "probe/evidence.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The weight of a MAC registry name that no rule claims: the NIC maker is often not the
 * device maker (a VMware guest, an Intel card in a PC-based HMI). */
#define ID_REGISTRY_WEIGHT 10
/* The weight of "it routes for many addresses" towards the router type. */
#define ID_ROUTER_WEIGHT 40

static const char *const corp_suffixes[] = {
    "inc",  "incorporated", "corp", "corporation", "co",  "company",   "ltd",  "limited", "llc",
    "gmbh", "ag",           "sa",   "kg",          "plc", "bv",        "nv",   "oy",      "ab",
    "as",   "srl",          "spa",  "pty",         "kk",  "corporate", "sas",  "se",      "mbh",
    "ug",   "lp",           "llp",  "pte",         "sdn", "bhd",       "cokg",
};

static bool is_suffix(const char *w, size_t n)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(corp_suffixes); i++)
        if (strlen(corp_suffixes[i]) == n && !strncmp(corp_suffixes[i], w, n)) return true;
    return false;
}

/* Folds a value into words of lowercase letters and digits separated by one space. Vendors
 * also lose trailing corporate suffixes, so "Siemens AG" and "SIEMENS" group together. */
static void fold_key(const char *v, bool vendor, char *key, size_t cap)
{
    size_t n = 0;
    size_t word_start[32], nw = 0;
    for (const char *p = v; *p && n + 2 < cap;) {
        while (*p && !isalnum((unsigned char)*p))
            p++;
        if (!*p) break;
        if (n) key[n++] = ' ';
        if (nw < SSF_ARRAY_LEN(word_start)) word_start[nw++] = n;
        while (isalnum((unsigned char)*p) && n + 1 < cap)
            key[n++] = (char)tolower((unsigned char)*p++);
    }
    key[n] = '\0';
    while (vendor && nw > 1 && is_suffix(key + word_start[nw - 1], n - word_start[nw - 1])) {
        n = word_start[--nw] - 1;
        key[n] = '\0';
    }
}

static eng_cand_t *cand_find(eng_identity_t *id, sig_out o, const char *key)
{
    for (size_t i = 0; i < id->c[o].n; i++)
        if (!strcmp(id->c[o].v[i].key, key)) return &id->c[o].v[i];
    return NULL;
}

static void cand_aka(eng_cand_t *c, const char *value)
{
    if (!strcmp(c->value, value)) return;
    for (unsigned i = 0; i < c->n_aka; i++)
        if (!strcmp(c->aka[i], value)) return;
    if (c->n_aka < ENG_AKA_MAX) ssf_strlcpy(c->aka[c->n_aka++], value, sizeof c->aka[0]);
}

/* Adds one vote and returns its candidate (NULL if the value was refused or memory ran out).
 * The spelling shown is the one the strongest single vote used. */
static eng_cand_t *vote(eng_identity_t *id, sig_out o, const char *value, const eng_why_t *why)
{
    char key[SIG_OUT_MAX];
    fold_key(value, o == SIG_OUT_VENDOR, key, sizeof key);
    if (!key[0]) return NULL;
    if (o == SIG_OUT_TYPE && !sig_device_type_valid(value)) return NULL;
    eng_cand_t *c = cand_find(id, o, key);
    if (!c) {
        if (!ENG_VEC_PUSH(id->c[o], c)) return NULL;
        ssf_strlcpy(c->key, key, sizeof c->key);
        ssf_strlcpy(c->value, value, sizeof c->value);
    }
    eng_why_t *w;
    if (!ENG_VEC_PUSH(c->why, w)) return c;
    *w = *why;
    if (why->weight > c->best) {
        if (c->best) cand_aka(c, c->value);
        ssf_strlcpy(c->value, value, sizeof c->value);
        c->best = why->weight;
    } else {
        cand_aka(c, value);
    }
    return c;
}

typedef struct {
    eng_site_t *s;
    sig_scratch_t *scratch;
    eng_device_t *d;
} id_ctx;

/* Matches one value and votes for every output of every rule that matched. Returns whether
 * some rule set a vendor. */
static bool claim(id_ctx *x, const char *field, const char *value, const eng_host_t *h,
                  const eng_ev_t *ev)
{
    sig_match_t m[SIG_MATCH_MAX];
    if (!x->s->sigs || !x->scratch) return false;
    size_t n = sig_set_match(x->s->sigs, x->scratch, field, value, strlen(value), m, SIG_MATCH_MAX);
    bool vendor = false;
    for (size_t i = 0; i < n; i++) {
        eng_why_t why = {.rule = m[i].rule,
                         .host = h,
                         .ev = ev,
                         .field = field,
                         .weight = sig_rule_weight(m[i].rule)};
        ssf_strlcpy(why.value, value, sizeof why.value);
        /* Outputs from SIG_OUT_FINDING on are weak points, not identity votes: findings.c
         * reads them from its own pass over the same values. */
        for (int o = 0; o < SIG_OUT_IDENTITY; o++) {
            if (!m[i].out[o][0]) continue;
            eng_cand_t *c = vote(&x->d->ident, (sig_out)o, m[i].out[o], &why);
            vendor |= o == SIG_OUT_VENDOR;
            /* The registry's own spelling stays findable under the name a rule gave it. */
            if (c && o == SIG_OUT_VENDOR && !strcmp(field, "mac.vendor")) cand_aka(c, value);
        }
    }
    return vendor;
}

static void claim_mac(id_ctx *x)
{
    const char *org = eng_device_vendor(x->s, x->d);
    if (!org || claim(x, "mac.vendor", org, NULL, NULL)) return;
    eng_why_t why = {.field = "mac.vendor", .weight = ID_REGISTRY_WEIGHT};
    ssf_strlcpy(why.value, org, sizeof why.value);
    vote(&x->d->ident, SIG_OUT_VENDOR, org, &why);
}

static void claim_value(void *ud, const eng_host_t *h, const char *field, const char *value,
                        const eng_ev_t *ev)
{
    claim(ud, field, value, h, ev);
}

static void claim_topology(id_ctx *x)
{
    if (!x->d->router) return;
    eng_why_t why = {.field = "topology", .weight = ID_ROUTER_WEIGHT};
    snprintf(why.value, sizeof why.value, "its MAC carries the addresses of many hosts");
    vote(&x->d->ident, SIG_OUT_TYPE, "router", &why);
}

/* Noisy-OR over distinct rules: a rule that matched several values counts once, at its
 * weight; the registry fallback and the topology vote count as one source each. */
static void cand_score(eng_cand_t *c)
{
    double miss = 1.0;
    for (size_t i = 0; i < c->why.n; i++) {
        bool dup = false;
        for (size_t k = 0; k < i && !dup; k++)
            dup = c->why.v[k].rule == c->why.v[i].rule &&
                  (c->why.v[i].rule || !strcmp(c->why.v[k].field, c->why.v[i].field));
        if (dup) continue;
        miss *= 1.0 - (c->why.v[i].weight > 100 ? 100 : c->why.v[i].weight) / 100.0;
    }
    c->confidence = (unsigned)lround((1.0 - miss) * 100.0);
}

/* True when the words of short_key are the first words of long_key: "beckhoff" and
 * "beckhoff automation", but not "intel" and "intelligent platforms". */
static bool word_prefix(const char *short_key, const char *long_key)
{
    size_t n = strlen(short_key);
    return n && !strncmp(short_key, long_key, n) && (long_key[n] == ' ' || !long_key[n]);
}

/* Folds one vendor candidate whose name is a word prefix of another's into the shorter one
 * (the registry says "Beckhoff Automation", rules say "Beckhoff"). False when none is left. */
static bool merge_vendor_prefix(eng_identity_t *id)
{
    eng_cand_t *v = id->c[SIG_OUT_VENDOR].v;
    size_t n = id->c[SIG_OUT_VENDOR].n;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < n; k++) {
            eng_cand_t *a = &v[i], *b = &v[k];
            if (i == k || !word_prefix(a->key, b->key) || !strcmp(a->key, b->key)) continue;
            for (size_t w = 0; w < b->why.n; w++) {
                eng_why_t *dst;
                if (ENG_VEC_PUSH(a->why, dst)) *dst = b->why.v[w];
            }
            cand_aka(a, b->value);
            for (unsigned j = 0; j < b->n_aka; j++)
                cand_aka(a, b->aka[j]);
            if (b->best > a->best) a->best = b->best;
            free(b->why.v);
            v[k] = v[--id->c[SIG_OUT_VENDOR].n];
            return true;
        }
    return false;
}

static int cand_cmp(const void *a, const void *b)
{
    const eng_cand_t *x = a, *y = b;
    if (x->confidence != y->confidence) return x->confidence > y->confidence ? -1 : 1;
    if (x->best != y->best) return x->best > y->best ? -1 : 1;
    return strcmp(x->value, y->value);
}

static void resolve(eng_identity_t *id)
{
    while (merge_vendor_prefix(id))
        ;
    for (int o = 0; o < SIG_OUT_COUNT; o++) {
        for (size_t i = 0; i < id->c[o].n; i++)
            cand_score(&id->c[o].v[i]);
        if (id->c[o].n > 1) qsort(id->c[o].v, id->c[o].n, sizeof *id->c[o].v, cand_cmp);
    }
}

static void device_identity(id_ctx *x)
{
    claim_mac(x);
    claim_topology(x);
    for (size_t i = 0; i < x->d->hosts.n; i++)
        eng_host_values(x->d->hosts.v[i], claim_value, x);
    resolve(&x->d->ident);
}

void eng_identity_build(eng_site_t *s)
{
    id_ctx x = {.s = s, .scratch = s->sigs ? sig_scratch_new(s->sigs) : NULL};
    for (size_t i = 0; i < s->devices.n; i++) {
        x.d = s->devices.v[i];
        device_identity(&x);
    }
    sig_scratch_free(&x.scratch);
}

void eng_identity_free(eng_device_t *d)
{
    for (int o = 0; o < SIG_OUT_COUNT; o++) {
        for (size_t i = 0; i < d->ident.c[o].n; i++)
            free(d->ident.c[o].v[i].why.v);
        free(d->ident.c[o].v);
    }
    memset(&d->ident, 0, sizeof d->ident);
}

const eng_cand_t *eng_identity_top(const eng_device_t *d, sig_out o)
{
    return d->ident.c[o].n ? &d->ident.c[o].v[0] : NULL;
}
