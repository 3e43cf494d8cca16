/* rules_hs.c - compiling a rule set into one Hyperscan database per field, and matching values
 * against it. Hyperscan decides which rules match; PCRE2 runs only for those rules that need
 * capture groups for their $N outputs. Matching allocates nothing: the hit array, Hyperscan
 * scratch and PCRE2 match data all live in the caller's sig_scratch_t. */
#include "rules_internal.h"

#include <stdlib.h>

/* Hyperscan's message for a pattern that can match an empty buffer; ours says why it matters. */
static const char sig_hs_empty_msg[] = "Pattern matches empty buffer";

static void sig_report_hs(const sig_set_t *s, const sig_rule_t *r, const char *msg,
                          sig_diag_fn diag, void *ud)
{
    (void)s;
    if (!strncmp(msg, sig_hs_empty_msg, sizeof sig_hs_empty_msg - 1))
        sig_diagf(diag, ud, r->path, r->match_line,
                  "pattern can match the empty string, so it would match every value");
    else
        sig_diagf(diag, ud, r->path, r->match_line, "pattern rejected by Hyperscan: %s", msg);
}

/* What a field's database is built from: each expression's id, flags and text, and the
 * Hyperscan version. A prebuilt database is used only when this matches exactly. */
static uint64_t sig_db_hash(const char *const *exprs, const unsigned *flags, const unsigned *ids,
                            size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    const char *v = hs_version();
    for (const char *p = v; *p; p++)
        h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
    for (size_t i = 0; i < n; i++) {
        unsigned w[2] = {ids[i], flags[i]};
        for (size_t k = 0; k < sizeof w; k++)
            h = (h ^ ((const uint8_t *)w)[k]) * 0x100000001b3ull;
        for (const char *p = exprs[i];; p++) {
            h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
            if (!*p) break;
        }
    }
    return h;
}

/* Loads the database built at build time for this field and content (sig_prebuilt.h), so
 * the built-in rules cost no Hyperscan compile at start-up. False when there is none, it was
 * built from other rules (user rules on the field), or this CPU cannot run it. */
static bool sig_prebuilt_load(const char *field, uint64_t hash, hs_database_t **db)
{
    for (size_t i = 0; i < sig_prebuilt_n; i++) {
        const sig_prebuilt_t *p = &sig_prebuilt[i];
        if (p->hash != hash || strcmp(p->field, field)) continue;
        return hs_deserialize_database((const char *)p->db, p->len, db) == HS_SUCCESS;
    }
    return false;
}

/* Builds field f's database from its good rules. A pattern Hyperscan rejects fails the whole
 * compile; we name it, drop its rule (from every field: it is marked bad) and compile again,
 * so each bad pattern is reported once and the rest of the field still works. */
static ssf_rc sig_compile_field(sig_set_t *s, size_t f, sig_diag_fn diag, void *ud,
                                bool *had_errors)
{
    sig_fielddb_t *d = &s->dbs[f];
    size_t n = 0;
    for (size_t i = 0; i < s->n_rules; i++)
        for (size_t k = 0; k < s->rules[i]->n_fields; k++)
            n += s->rules[i]->fields[k] == f;
    if (!n) return SSF_OK;
    const char **exprs = calloc(n, sizeof *exprs);
    unsigned *flags = calloc(n, sizeof *flags);
    unsigned *ids = calloc(n, sizeof *ids);
    ssf_rc rc = SSF_ENOMEM;
    if (!exprs || !flags || !ids || !(d->rules = calloc(n, sizeof *d->rules))) goto out_free;
    for (;;) {
        size_t m = 0;
        for (size_t i = 0; i < s->n_rules; i++) {
            const sig_rule_t *r = s->rules[i];
            bool in = false;
            for (size_t k = 0; k < r->n_fields; k++)
                in |= r->fields[k] == f;
            if (!in || r->bad) continue;
            exprs[m] = r->pattern;
            flags[m] = r->hs_flags | HS_FLAG_SINGLEMATCH;
            ids[m] = (unsigned)i;
            d->rules[m++] = (uint32_t)i;
        }
        d->n = m;
        if (!m) break;
        d->hash = sig_db_hash(exprs, flags, ids, m);
        if (sig_prebuilt_load(s->fields[f], d->hash, &d->db)) break;
        hs_compile_error_t *ce = NULL;
        hs_error_t e =
            hs_compile_multi(exprs, flags, ids, (unsigned)m, HS_MODE_BLOCK, NULL, &d->db, &ce);
        if (e == HS_SUCCESS) break;
        if (!ce || ce->expression < 0 || (size_t)ce->expression >= m) {
            sig_diagf(diag, ud, s->rules[d->rules[0]]->path, 0,
                      "Hyperscan could not compile the rules of field %s: %s", s->fields[f],
                      ce ? ce->message : "unknown error");
            hs_free_compile_error(ce);
            *had_errors = true;
            rc = SSF_EINVAL;
            goto out_free;
        }
        sig_rule_t *bad = s->rules[d->rules[ce->expression]];
        sig_report_hs(s, bad, ce->message, diag, ud);
        hs_free_compile_error(ce);
        bad->bad = true;
        *had_errors = true;
    }
    if (d->n > s->max_field_rules) s->max_field_rules = d->n;
    if (d->db && hs_alloc_scratch(d->db, &s->proto) != HS_SUCCESS) goto out_free;
    rc = SSF_OK;
out_free:
    free(exprs);
    free(flags);
    free(ids);
    return rc;
}

ssf_rc sig_set_compile(sig_set_t *s, sig_diag_fn diag, void *ud)
{
    if (!s || s->compiled) return SSF_EINVAL;
    if (s->n_fields && !(s->dbs = calloc(s->n_fields, sizeof *s->dbs))) return SSF_ENOMEM;
    bool errors = false;
    for (size_t f = 0; f < s->n_fields; f++) {
        ssf_rc rc = sig_compile_field(s, f, diag, ud, &errors);
        if (rc == SSF_ENOMEM) return rc;
    }
    for (size_t i = 0; i < s->n_rules; i++)
        if (s->rules[i]->n_caps > s->max_caps) s->max_caps = s->rules[i]->n_caps;
    s->compiled = true;
    return errors ? SSF_EINVAL : SSF_OK;
}

/* ---- scratch ---------------------------------------------------------------------------- */

sig_scratch_t *sig_scratch_new(const sig_set_t *s)
{
    if (!s || !s->compiled) return NULL;
    sig_scratch_t *sc = calloc(1, sizeof *sc);
    if (!sc) return NULL;
    sc->set = s;
    if (s->proto && hs_clone_scratch(s->proto, &sc->hs) != HS_SUCCESS) goto out_free;
    if (!(sc->md = pcre2_match_data_create(s->max_caps + 1, NULL))) goto out_free_hs;
    if (!(sc->mctx = pcre2_match_context_create(NULL))) goto out_free_md;
    pcre2_set_match_limit(sc->mctx, SIG_PCRE2_MATCH_LIMIT);
    sc->cap_hits = s->max_field_rules ? s->max_field_rules : 1;
    if (!(sc->hits = calloc(sc->cap_hits, sizeof *sc->hits))) goto out_free_mctx;
    return sc;
out_free_mctx:
    pcre2_match_context_free(sc->mctx);
out_free_md:
    pcre2_match_data_free(sc->md);
out_free_hs:
    hs_free_scratch(sc->hs);
out_free:
    free(sc);
    return NULL;
}

void sig_scratch_free(sig_scratch_t **sp)
{
    if (!sp || !*sp) return;
    sig_scratch_t *sc = *sp;
    hs_free_scratch(sc->hs);
    pcre2_match_data_free(sc->md);
    pcre2_match_context_free(sc->mctx);
    free(sc->hits);
    free(sc);
    *sp = NULL;
}

/* ---- matching --------------------------------------------------------------------------- */

static int sig_on_hit(unsigned int id, unsigned long long from, unsigned long long to,
                      unsigned int flags, void *ctx)
{
    (void)from, (void)to, (void)flags;
    sig_scratch_t *sc = ctx;
    /* Single-match mode reports each id once, so the array (sized for the largest field)
     * cannot overflow; the check is for safety only. */
    if (sc->n_hits < sc->cap_hits) sc->hits[sc->n_hits++] = id;
    return 0;
}

/* Fills sc->hits with the good rules of field f that match value, in load order. */
static size_t sig_scan(const sig_set_t *s, sig_scratch_t *sc, size_t f, const char *value,
                       size_t len)
{
    sc->n_hits = 0;
    const sig_fielddb_t *d = &s->dbs[f];
    if (!d->db || !sc->hs || len > UINT32_MAX) return 0;
    if (hs_scan(d->db, value, (unsigned)len, 0, sc->hs, sig_on_hit, sc) != HS_SUCCESS) return 0;
    size_t n = 0;
    for (size_t i = 0; i < sc->n_hits; i++) /* drop rules rejected in another field */
        if (!s->rules[sc->hits[i]]->bad) sc->hits[n++] = sc->hits[i];
    for (size_t i = 1; i < n; i++) { /* insertion sort: hits are few */
        uint32_t v = sc->hits[i];
        size_t j = i;
        for (; j && sc->hits[j - 1] > v; j--)
            sc->hits[j] = sc->hits[j - 1];
        sc->hits[j] = v;
    }
    return sc->n_hits = n;
}

static void sig_append(char *dst, size_t cap, size_t *n, const char *src, size_t len)
{
    if (*n + 1 >= cap) return;
    if (len > cap - 1 - *n) len = cap - 1 - *n;
    memcpy(dst + *n, src, len);
    *n += len;
}

void sig_expand(const sig_rule_t *r, sig_out o, const char *value, int rc, pcre2_match_data *md,
                char *dst, size_t cap)
{
    dst[0] = 0;
    const char *t = r->out[o];
    if (!t) return;
    if (!r->dollar[o]) {
        ssf_strlcpy(dst, t, cap);
        return;
    }
    size_t n = 0;
    PCRE2_SIZE *ov = rc > 0 ? pcre2_get_ovector_pointer(md) : NULL;
    for (; *t; t++) {
        if (t[0] != '$' || !t[1]) {
            sig_append(dst, cap, &n, t, 1);
            continue;
        }
        t++;
        if (*t == '$') {
            sig_append(dst, cap, &n, "$", 1);
            continue;
        }
        int g = *t - '0';
        /* An unset group (or none at all) expands to nothing: the output is then left out. */
        if (g < 0 || g > 9 || !ov || g >= rc || ov[2 * g] == PCRE2_UNSET) continue;
        sig_append(dst, cap, &n, value + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
    }
    dst[n] = 0;
    size_t b = 0;
    while (dst[b] == ' ' || dst[b] == '\t')
        b++;
    while (n > b && (dst[n - 1] == ' ' || dst[n - 1] == '\t'))
        n--;
    memmove(dst, dst + b, n - b);
    dst[n - b] = 0;
    if (o == SIG_OUT_TYPE && dst[0] && !sig_device_type_valid(dst)) dst[0] = 0;
}

/* Expands every output of r for value; returns the pcre2_match result (0 when not needed). */
static int sig_fill(const sig_rule_t *r, const sig_scratch_t *sc, const char *value, size_t len,
                    sig_match_t *m)
{
    bool need = false;
    for (int o = 0; o < SIG_OUT_COUNT; o++)
        need |= r->dollar[o];
    int rc = 0;
    if (need) rc = pcre2_match(r->re, (PCRE2_SPTR)value, len, 0, 0, sc->md, sc->mctx);
    m->rule = r;
    for (int o = 0; o < SIG_OUT_COUNT; o++)
        sig_expand(r, (sig_out)o, value, rc, sc->md, m->out[o], sizeof m->out[o]);
    return rc;
}

size_t sig_set_match_idx(const sig_set_t *s, sig_scratch_t *scratch, size_t field,
                         const char *value, size_t len, sig_match_t *out, size_t max)
{
    if (!s || !s->compiled || !scratch || scratch->set != s || field >= s->n_fields ||
        (!value && len))
        return 0;
    if (!value) value = "";
    size_t n = sig_scan(s, scratch, field, value, len);
    if (n > max) n = max;
    for (size_t i = 0; i < n; i++)
        sig_fill(s->rules[scratch->hits[i]], scratch, value, len, &out[i]);
    return n;
}

size_t sig_set_match(const sig_set_t *s, sig_scratch_t *scratch, const char *field,
                     const char *value, size_t len, sig_match_t *out, size_t max)
{
    if (!s || !field) return 0;
    int f = sig_set_field_index(s, field, strlen(field));
    return f < 0 ? 0 : sig_set_match_idx(s, scratch, (size_t)f, value, len, out, max);
}

/* ---- examples --------------------------------------------------------------------------- */

static bool sig_check_example(const sig_set_t *s, sig_scratch_t *sc, const sig_rule_t *r,
                              const sig_example_t *ex, sig_diag_fn diag, void *ud)
{
    size_t n = sig_scan(s, sc, r->fields[0], ex->value, ex->len);
    bool hit = false;
    for (size_t i = 0; i < n && !hit; i++)
        hit = sc->hits[i] == r->index;
    if (!hit) {
        sig_diagf(diag, ud, r->path, ex->line, "example \"%.80s\" does not match rule %s",
                  ex->value, r->id);
        return false;
    }
    /* Hyperscan and PCRE2 differ in corners (e.g. $ before a final newline); an example that
     * one matches and the other does not would give outputs that disagree with the test. */
    if (pcre2_match(r->re, (PCRE2_SPTR)ex->value, ex->len, 0, 0, sc->md, sc->mctx) < 0) {
        sig_diagf(diag, ud, r->path, ex->line,
                  "example \"%.80s\": Hyperscan matches rule %s but PCRE2 does not; simplify "
                  "the pattern",
                  ex->value, r->id);
        return false;
    }
    sig_match_t m;
    sig_fill(r, sc, ex->value, ex->len, &m);
    bool ok = true;
    for (size_t j = 0; j < ex->n_expects; j++) {
        const sig_expect_t *e = &ex->expects[j];
        if (!strcmp(m.out[e->key], e->text)) continue;
        sig_diagf(diag, ud, r->path, e->line, "example \"%.80s\" gives %s '%s', expected '%s'",
                  ex->value, sig_out_name(e->key), m.out[e->key], e->text);
        ok = false;
    }
    return ok;
}

ssf_rc sig_set_check_examples(const sig_set_t *s, sig_diag_fn diag, void *ud, size_t *n_checked)
{
    if (n_checked) *n_checked = 0;
    if (!s || !s->compiled) return SSF_EINVAL;
    sig_scratch_t *sc = sig_scratch_new(s);
    if (!sc) return SSF_ENOMEM;
    bool ok = true;
    for (size_t i = 0; i < s->n_rules; i++) {
        const sig_rule_t *r = s->rules[i];
        if (r->bad) continue;
        for (size_t k = 0; k < r->n_examples; k++) {
            ok &= sig_check_example(s, sc, r, &r->examples[k], diag, ud);
            if (n_checked) (*n_checked)++;
        }
    }
    sig_scratch_free(&sc);
    return ok ? SSF_OK : SSF_EINVAL;
}

ssf_rc sig_set_each_db(const sig_set_t *s, sig_db_fn fn, void *ud)
{
    if (!s || !s->compiled) return SSF_EINVAL;
    for (size_t f = 0; f < s->n_fields; f++) {
        const sig_fielddb_t *d = &s->dbs[f];
        char *bytes = NULL;
        size_t len = 0;
        if (!d->db) continue;
        if (hs_serialize_database(d->db, &bytes, &len) != HS_SUCCESS) return SSF_ENOMEM;
        fn(ud, s->fields[f], d->hash, bytes, len);
        free(bytes);
    }
    return SSF_OK;
}
