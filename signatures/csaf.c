/* CSAF 2.0 advisories (OASIS CSAF 2.0): the product tree's leaves that some vulnerability lists
 * as known_affected become index entries (vendor, product name, version text, model numbers),
 * each carrying its advisory's CVEs, highest CVSS v3 score and first vendor_fix. Matching walks
 * the entries whose folded vendor agrees, so one device costs a pass over one vendor's
 * products, not over every advisory. Only the fields named in docs/advisories.md are read;
 * anything else in a document is ignored, and a document without them is reported, not fatal. */
#define _DEFAULT_SOURCE
#include "sig/csaf.h"

#include <ctype.h>
#include <dirent.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CSAF_KEY_MAX   128
#define CSAF_CVES_MAX  1024 /* CVE list kept per product; longer lists end in "..."       */
#define CSAF_FILE_MAX  (64u << 20)
#define CSAF_VER_PARTS 8

typedef struct {
    char *id, *title, *file;
} csaf_adv;

typedef struct {
    size_t adv;
    char *pid;
    char vkey[CSAF_KEY_MAX]; /* folded vendor                                         */
    char *vendor, *product, *versions;
    char *lname;  /* product name lower-cased, for word matching                            */
    char *models; /* model numbers, skus and parenthesised order numbers, '\n' separated */
    char *cves;
    double score;
    char *remediation, *url;
    bool affected;
} csaf_prod;

/* The products of one folded vendor, in load order (so advisory by advisory). */
typedef struct {
    char key[CSAF_KEY_MAX];
    size_t *idx;
    size_t n, cap;
} csaf_bucket;

/* A word of a product name, or the first characters of one of its order numbers, hashed. */
typedef struct {
    uint64_t h;
    size_t prod;
} csaf_tok;

struct sig_csaf_index {
    csaf_tok *tok; /* sorted by h; built once loading is over (tok_prods products)    */
    size_t n_tok, cap_tok, tok_prods;
    csaf_bucket *vend;
    size_t n_vend, cap_vend;
    csaf_adv *adv;
    size_t n_adv, cap_adv;
    csaf_prod *prod;
    size_t n_prod, cap_prod;
};

static bool grow(void **v, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap) return true;
    size_t nc = *cap ? *cap * 2 : 64;
    void *p = realloc(*v, nc * elem);
    if (!p) return false;
    *v = p;
    *cap = nc;
    return true;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* ---- folding ----------------------------------------------------------------------------- */

static const char *const legal_suffixes[] = {
    "ag", "inc", "gmbh", "co",  "kg",      "ltd",     "llc",         "corp", "sa",
    "se", "ab",  "bv",   "spa", "company", "limited", "corporation", "plc"};

static bool is_suffix(const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof legal_suffixes / sizeof *legal_suffixes; i++)
        if (strlen(legal_suffixes[i]) == n && !strncmp(legal_suffixes[i], w, n)) return true;
    return false;
}

/* Lower-case words separated by single spaces, legal suffixes dropped. */
static void vendor_key(const char *s, char *out, size_t len)
{
    size_t o = 0;
    out[0] = 0;
    while (s && *s && o + 1 < len) {
        while (*s && !isalnum((unsigned char)*s))
            s++;
        char w[64];
        size_t n = 0;
        while (*s && isalnum((unsigned char)*s)) {
            if (n + 1 < sizeof w) w[n++] = (char)tolower((unsigned char)*s);
            s++;
        }
        if (!n || is_suffix(w, n)) continue;
        if (o && o + 1 < len) out[o++] = ' ';
        for (size_t i = 0; i < n && o + 1 < len; i++)
            out[o++] = w[i];
        out[o] = 0;
    }
}

/* a equals b or is b's first words ("schneider" ~ "schneider electric"). */
static bool key_prefix(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n && !strncmp(a, b, n) && (b[n] == 0 || b[n] == ' ');
}

static bool vkey_eq(const char *a, const char *b)
{
    return key_prefix(a, b) || key_prefix(b, a);
}

bool sig_csaf_vendor_eq(const char *a, const char *b)
{
    char ka[CSAF_KEY_MAX], kb[CSAF_KEY_MAX];
    vendor_key(a, ka, sizeof ka);
    vendor_key(b, kb, sizeof kb);
    return vkey_eq(ka, kb);
}

/* Order numbers without spaces, lower case. */
static void model_key(const char *s, char *out, size_t len)
{
    size_t o = 0;
    for (; s && *s && o + 1 < len; s++)
        if (!isspace((unsigned char)*s)) out[o++] = (char)tolower((unsigned char)*s);
    out[o] = 0;
}

/* Both already folded. */
static bool model_eq_folded(const char *p, const char *m)
{
    size_t n = strlen(p);
    if (!n || !m[0]) return false;
    /* Trailing wildcards: "6es7211-1*" and Siemens' "6es7211-1be31-0xx0"-style x's at the end. */
    bool wild = false;
    while (n && (p[n - 1] == '*' || p[n - 1] == 'x' || p[n - 1] == '?')) {
        wild = true;
        n--;
    }
    if (!wild) return !strcmp(p, m);
    size_t tail = strlen(p) - n; /* x's stand for one character each; '*' for any */
    if (strncmp(p, m, n)) return false;
    if (memchr(p + n, '*', tail)) return true;
    return strlen(m) == strlen(p);
}

bool sig_csaf_model_eq(const char *pattern, const char *model)
{
    char p[CSAF_KEY_MAX], m[CSAF_KEY_MAX];
    model_key(pattern, p, sizeof p);
    model_key(model, m, sizeof m);
    return model_eq_folded(p, m);
}

/* ---- versions ---------------------------------------------------------------------------- */

/* "V3.2.17", "4.x": components into v (-1 for a wildcard); 0 when no version starts at s. */
static int ver_parse(const char *s, long v[CSAF_VER_PARTS], const char **end)
{
    while (*s == ' ')
        s++;
    if ((*s == 'V' || *s == 'v') && isdigit((unsigned char)s[1])) s++;
    if (!isdigit((unsigned char)*s)) return 0;
    int n = 0;
    while (n < CSAF_VER_PARTS) {
        if (isdigit((unsigned char)*s)) {
            char *e;
            v[n++] = strtol(s, &e, 10);
            s = e;
        } else if (*s == 'x' || *s == 'X' || *s == '*') {
            v[n++] = -1;
            s++;
        } else {
            break;
        }
        if (*s != '.' ||
            !(isdigit((unsigned char)s[1]) || s[1] == 'x' || s[1] == 'X' || s[1] == '*'))
            break;
        s++;
    }
    if (end) *end = s;
    return n;
}

/* <0, 0, >0; missing components are 0, a wildcard equals anything. */
static int ver_cmp(const long *a, int na, const long *b, int nb)
{
    int n = na > nb ? na : nb;
    for (int i = 0; i < n; i++) {
        long x = i < na ? a[i] : 0, y = i < nb ? b[i] : 0;
        if (x < 0 || y < 0) return 0;
        if (x != y) return x < y ? -1 : 1;
    }
    return 0;
}

/* fw OP (version at s); -1 when no version follows. */
static int ver_test(const long *fw, int nf, const char *op, const char *s)
{
    long v[CSAF_VER_PARTS];
    int n = ver_parse(s, v, NULL);
    if (!n) return -1;
    int c = ver_cmp(fw, nf, v, n);
    if (!strcmp(op, "<")) return c < 0;
    if (!strcmp(op, "<=")) return c <= 0;
    if (!strcmp(op, ">")) return c > 0;
    if (!strcmp(op, ">=")) return c >= 0;
    if (!strcmp(op, "!=")) return c != 0;
    return c == 0;
}

static const char *op_at(const char *s)
{
    static const char *const ops[] = {"<=", ">=", "!=", "<", ">", "="};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (!strncmp(s, ops[i], strlen(ops[i]))) return ops[i];
    return NULL;
}

/* vers:SCHEME/c1|c2...: comparators must all hold; bare "=" versions are alternatives. */
static int vers_in(const char *r, const long *fw, int nf)
{
    const char *p = strchr(r, '/');
    if (!p) return -1;
    p++;
    bool any_eq = false, eq_hit = false, cmp_ok = true, any_cmp = false;
    while (*p) {
        size_t n = strcspn(p, "|");
        char c[96];
        snprintf(c, sizeof c, "%.*s", (int)(n < sizeof c ? n : sizeof c - 1), p);
        const char *q = c;
        while (*q == ' ')
            q++;
        if (*q == '*') return 1;
        const char *op = op_at(q);
        int t = ver_test(fw, nf, op ? op : "=", op ? q + strlen(op) : q);
        if (t < 0) return -1;
        if (!op || !strcmp(op, "=")) {
            any_eq = true;
            eq_hit |= t;
        } else {
            any_cmp = true;
            cmp_ok &= t;
        }
        p += n + (p[n] == '|');
    }
    if (any_eq && eq_hit) return 1;
    return any_cmp ? cmp_ok : 0;
}

static bool has(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

/* "prior to 2.1", "before V3": the text after the words, or NULL. */
static const char *upper_bound_word(const char *p)
{
    static const char *const words[] = {"prior to", "before", "earlier than", "lower than"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (!strncmp(p, words[i], strlen(words[i]))) return p + strlen(words[i]);
    return NULL;
}

/* Free text: "All versions < V3.2.17", "< V4.1.1 Patch04", "V3.0 and later", "versions prior to
 * 2.1", "V4.x", "All versions". Every bound found must hold. */
static int text_in(const char *r, const long *fw, int nf)
{
    char l[256];
    size_t i = 0;
    for (; r[i] && i + 1 < sizeof l; i++)
        l[i] = (char)tolower((unsigned char)r[i]);
    l[i] = 0;
    /* Bounds on something else than the firmware ("Function State (FS) < 11") are unreadable. */
    if (has(l, "function state") || has(l, "(fs)") || has(l, "hardware")) return -1;
    int bounds = 0, ok = 1;
    for (const char *p = l; *p; p++) {
        const char *op = op_at(p);
        const char *after = NULL;
        if (op) {
            after = p + strlen(op);
        } else if ((after = upper_bound_word(p))) {
            op = "<";
        }
        if (!op) continue;
        int t = ver_test(fw, nf, op, after);
        if (t < 0) continue;
        bounds++;
        ok &= t;
        p = after;
        if (!*p) break;
    }
    if (has(l, "and later") || has(l, "or later") || has(l, "and newer") || has(l, "and above") ||
        has(l, "or higher") || has(l, "and higher")) {
        const char *v = l;
        while (*v && !ver_parse(v, (long[CSAF_VER_PARTS]){0}, NULL))
            v++;
        int t = *v ? ver_test(fw, nf, ">=", v) : -1;
        if (t >= 0) {
            bounds++;
            ok &= t;
        }
    }
    if (bounds) return ok;
    if (has(l, "all versions") || !strcmp(l, "*")) return 1;
    /* A bare version ("V4.x", "3.0"): equality, with x as a wildcard. */
    for (const char *v = l; *v; v++)
        if ((v == l || !isalnum((unsigned char)v[-1])) &&
            ver_parse(v, (long[CSAF_VER_PARTS]){0}, NULL))
            return ver_test(fw, nf, "=", v);
    return -1;
}

int sig_csaf_version_in(const char *range, const char *version)
{
    if (!range || !*range) return 1; /* a product listed without a version: all of them */
    while (*range == ' ')
        range++;
    if (!strncmp(range, "vers:all/", 9)) return 1;
    long fw[CSAF_VER_PARTS];
    int nf = version ? ver_parse(version, fw, NULL) : 0;
    if (!nf) {
        char l[64];
        snprintf(l, sizeof l, "%s", range);
        for (char *c = l; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        return (!strcmp(l, "all versions") || !strcmp(l, "*")) ? 1 : -1;
    }
    if (!strncmp(range, "vers:", 5)) return vers_in(range, fw, nf);
    return text_in(range, fw, nf);
}

/* ---- documents --------------------------------------------------------------------------- */

static const char *jstr(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
        return NULL;
    return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static json_object *jget(json_object *o, const char *key, json_type t)
{
    json_object *v;
    if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
        return NULL;
    return json_object_is_type(v, t) ? v : NULL;
}

typedef struct {
    sig_csaf_index_t *ix;
    size_t adv, first;
} walk_ctx;

static void model_key(const char *s, char *out, size_t len);

/* Stored folded (model_key), so matching compares without re-folding. */
static bool models_add(char **models, const char *raw)
{
    char s[CSAF_KEY_MAX];
    model_key(raw, s, sizeof s);
    if (!*s) return true;
    size_t n = *models ? strlen(*models) : 0;
    char *p = realloc(*models, n + strlen(s) + 2);
    if (!p) return false;
    if (n) p[n++] = '\n';
    strcpy(p + n, s);
    *models = p;
    return true;
}

/* Order numbers written in the name: "S7-1200 CPU 1217C (6ES7217-1AG40-0XB0)". */
static bool models_from_name(char **models, const char *name)
{
    for (const char *p = strchr(name, '('); p; p = strchr(p + 1, '(')) {
        size_t n = strcspn(p + 1, ")");
        char tok[64];
        if (n < 6 || n >= sizeof tok || p[1 + n] != ')') continue;
        snprintf(tok, sizeof tok, "%.*s", (int)n, p + 1);
        if ((tok[0] == 'V' || tok[0] == 'v') && isdigit((unsigned char)tok[1]))
            continue; /* "(V5.2.1)": a version, not an order number */
        /* Order numbers mix digits and capitals and have no lower-case words. */
        bool digit = false, lower = false;
        for (char *c = tok; *c; c++)
            digit |= isdigit((unsigned char)*c), lower |= islower((unsigned char)*c);
        if (digit && !lower && !models_add(models, tok)) return false;
    }
    return true;
}

static bool helper_models(char **models, json_object *helper)
{
    static const char *const keys[] = {"model_numbers", "skus"};
    for (size_t k = 0; k < 2; k++) {
        json_object *a = jget(helper, keys[k], json_type_array);
        for (size_t i = 0; a && i < json_object_array_length(a); i++) {
            json_object *e = json_object_array_get_idx(a, i);
            if (json_object_is_type(e, json_type_string) &&
                !models_add(models, json_object_get_string(e)))
                return false;
        }
    }
    return true;
}

static bool leaf_add(walk_ctx *w, const char *vendor, const char *name, const char *versions,
                     json_object *product)
{
    const char *pid = jstr(product, "product_id");
    if (!pid || !vendor) return true;
    if (!name) name = jstr(product, "name");
    if (!name) return true;
    sig_csaf_index_t *ix = w->ix;
    if (!grow((void **)&ix->prod, &ix->cap_prod, ix->n_prod, sizeof *ix->prod)) return false;
    csaf_prod *p = &ix->prod[ix->n_prod];
    memset(p, 0, sizeof *p);
    p->adv = w->adv;
    p->score = -1;
    vendor_key(vendor, p->vkey, sizeof p->vkey);
    p->pid = strdup(pid);
    p->vendor = strdup(vendor);
    p->product = strdup(name);
    p->versions = strdup(versions ? versions : "");
    p->lname = strdup(name);
    ix->n_prod++;
    if (!p->pid || !p->vendor || !p->product || !p->versions || !p->lname) return false;
    for (char *c = p->lname; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    if (!models_from_name(&p->models, name)) return false;
    return helper_models(&p->models,
                         jget(product, "product_identification_helper", json_type_object));
}

#define WALK_DEPTH_MAX 16

/* vendor -> product_family/product_name -> product_version(_range) -> product. */
static bool walk(walk_ctx *w, json_object *branches, const char *vendor, const char *name,
                 const char *versions, int depth)
{
    if (depth > WALK_DEPTH_MAX) return true;
    for (size_t i = 0; i < json_object_array_length(branches); i++) {
        json_object *b = json_object_array_get_idx(branches, i);
        const char *cat = jstr(b, "category"), *bn = jstr(b, "name");
        const char *v = vendor, *n = name, *r = versions;
        if (cat && bn) {
            if (!strcmp(cat, "vendor"))
                v = bn;
            else if (!strcmp(cat, "product_name"))
                n = bn;
            else if (!strncmp(cat, "product_version", 15))
                r = bn;
        }
        json_object *prod = jget(b, "product", json_type_object);
        if (prod && !leaf_add(w, v, n, r, prod)) return false;
        json_object *sub = jget(b, "branches", json_type_array);
        if (sub && !walk(w, sub, v, n, r, depth + 1)) return false;
    }
    return true;
}

static csaf_prod *prod_find(walk_ctx *w, const char *pid)
{
    for (size_t i = w->first; i < w->ix->n_prod; i++)
        if (!strcmp(w->ix->prod[i].pid, pid)) return &w->ix->prod[i];
    return NULL;
}

static bool cves_add(csaf_prod *p, const char *cve)
{
    size_t n = p->cves ? strlen(p->cves) : 0;
    if (n >= CSAF_CVES_MAX) return true;
    if (p->cves && strstr(p->cves, cve)) return true;
    char *q = realloc(p->cves, n + strlen(cve) + 3);
    if (!q) return false;
    sprintf(q + n, "%s%s", n ? ", " : "", cve);
    p->cves = q;
    return true;
}

static double vuln_score(json_object *v)
{
    double best = -1;
    json_object *sc = jget(v, "scores", json_type_array);
    for (size_t i = 0; sc && i < json_object_array_length(sc); i++) {
        json_object *c = jget(json_object_array_get_idx(sc, i), "cvss_v3", json_type_object), *b;
        if (c && json_object_object_get_ex(c, "baseScore", &b) &&
            (json_object_is_type(b, json_type_double) || json_object_is_type(b, json_type_int))) {
            double d = json_object_get_double(b);
            if (d > best) best = d;
        }
    }
    return best;
}

static bool fix_for(json_object *v, csaf_prod *p)
{
    if (p->remediation || p->url) return true;
    json_object *rs = jget(v, "remediations", json_type_array);
    for (size_t i = 0; rs && i < json_object_array_length(rs); i++) {
        json_object *r = json_object_array_get_idx(rs, i);
        const char *cat = jstr(r, "category");
        if (!cat || strcmp(cat, "vendor_fix")) continue;
        json_object *ids = jget(r, "product_ids", json_type_array);
        bool mine = !ids;
        for (size_t k = 0; ids && k < json_object_array_length(ids) && !mine; k++) {
            const char *id = json_object_get_string(json_object_array_get_idx(ids, k));
            mine = id && !strcmp(id, p->pid);
        }
        if (!mine) continue;
        p->remediation = dup_or_null(jstr(r, "details"));
        p->url = dup_or_null(jstr(r, "url"));
        return (p->remediation || !jstr(r, "details")) && (p->url || !jstr(r, "url"));
    }
    return true;
}

static bool vuln_apply(walk_ctx *w, json_object *v)
{
    static const char *const affected[] = {"known_affected", "first_affected", "last_affected"};
    json_object *st = jget(v, "product_status", json_type_object);
    const char *cve = jstr(v, "cve");
    double score = vuln_score(v);
    for (size_t a = 0; st && a < 3; a++) {
        json_object *ids = jget(st, affected[a], json_type_array);
        for (size_t i = 0; ids && i < json_object_array_length(ids); i++) {
            const char *id = json_object_get_string(json_object_array_get_idx(ids, i));
            csaf_prod *p = id ? prod_find(w, id) : NULL;
            if (!p) continue;
            p->affected = true;
            if (score > p->score) p->score = score;
            if (cve && !cves_add(p, cve)) return false;
            if (!fix_for(v, p)) return false;
        }
    }
    return true;
}

static void prod_clear(csaf_prod *p)
{
    free(p->pid);
    free(p->vendor);
    free(p->product);
    free(p->versions);
    free(p->lname);
    free(p->models);
    free(p->cves);
    free(p->remediation);
    free(p->url);
}

/* Drops the document's products no vulnerability lists as affected (fixed, not affected). */
static void keep_affected(walk_ctx *w)
{
    size_t o = w->first;
    for (size_t i = w->first; i < w->ix->n_prod; i++) {
        if (w->ix->prod[i].affected)
            w->ix->prod[o++] = w->ix->prod[i];
        else
            prod_clear(&w->ix->prod[i]);
    }
    w->ix->n_prod = o;
}

static void rollback(walk_ctx *w)
{
    for (size_t i = w->first; i < w->ix->n_prod; i++)
        prod_clear(&w->ix->prod[i]);
    w->ix->n_prod = w->first;
}

static bool bucket_add(sig_csaf_index_t *ix, size_t i)
{
    const char *k = ix->prod[i].vkey;
    csaf_bucket *b = NULL;
    for (size_t v = 0; v < ix->n_vend && !b; v++)
        if (!strcmp(ix->vend[v].key, k)) b = &ix->vend[v];
    if (!b) {
        if (!grow((void **)&ix->vend, &ix->cap_vend, ix->n_vend, sizeof *ix->vend)) return false;
        b = &ix->vend[ix->n_vend++];
        memset(b, 0, sizeof *b);
        snprintf(b->key, sizeof b->key, "%s", k);
    }
    if (!grow((void **)&b->idx, &b->cap, b->n, sizeof *b->idx)) return false;
    b->idx[b->n++] = i;
    return true;
}

static ssf_rc doc_add(sig_csaf_index_t *ix, const char *name, json_object *doc, const char **reason)
{
    json_object *d = jget(doc, "document", json_type_object);
    json_object *tree = jget(doc, "product_tree", json_type_object);
    json_object *vulns = jget(doc, "vulnerabilities", json_type_array);
    const char *id = jstr(jget(d, "tracking", json_type_object), "id");
    if (!d || !id) return *reason = "no document.tracking.id: not a CSAF document", SSF_EINVAL;
    if (!tree) return *reason = "no product_tree", SSF_EINVAL;
    if (!vulns) return *reason = "no vulnerabilities", SSF_EINVAL;
    if (!grow((void **)&ix->adv, &ix->cap_adv, ix->n_adv, sizeof *ix->adv))
        return *reason = "out of memory", SSF_ENOMEM;
    csaf_adv *a = &ix->adv[ix->n_adv];
    a->id = strdup(id);
    a->title = strdup(jstr(d, "title") ? jstr(d, "title") : "");
    a->file = strdup(name ? name : "");
    walk_ctx w = {.ix = ix, .adv = ix->n_adv, .first = ix->n_prod};
    bool ok = a->id && a->title && a->file;
    json_object *br = jget(tree, "branches", json_type_array);
    if (ok && br) ok = walk(&w, br, NULL, NULL, NULL, 0);
    for (size_t i = 0; ok && i < json_object_array_length(vulns); i++)
        ok = vuln_apply(&w, json_object_array_get_idx(vulns, i));
    if (!ok) {
        rollback(&w);
        free(a->id), free(a->title), free(a->file);
        return *reason = "out of memory", SSF_ENOMEM;
    }
    keep_affected(&w);
    ix->n_adv++;
    for (size_t i = w.first; i < ix->n_prod; i++)
        if (!bucket_add(ix, i)) return *reason = "out of memory", SSF_ENOMEM;
    return SSF_OK;
}

ssf_rc sig_csaf_index_add(sig_csaf_index_t *ix, const char *name, const char *buf, size_t len,
                          const char **reason)
{
    const char *dummy;
    if (!reason) reason = &dummy;
    if (len > INT32_MAX) return *reason = "too large", SSF_EINVAL;
    json_tokener *tok = json_tokener_new_ex(64);
    if (!tok) return *reason = "out of memory", SSF_ENOMEM;
    json_object *doc = json_tokener_parse_ex(tok, buf, (int)len);
    enum json_tokener_error e = json_tokener_get_error(tok);
    json_tokener_free(tok);
    if (!doc || e != json_tokener_success) {
        json_object_put(doc);
        return *reason = "not valid JSON", SSF_EINVAL;
    }
    ssf_rc rc = doc_add(ix, name, doc, reason);
    json_object_put(doc);
    return rc;
}

sig_csaf_index_t *sig_csaf_index_empty(void)
{
    return calloc(1, sizeof(sig_csaf_index_t));
}

static char *slurp(const char *path, size_t *len, const char **reason)
{
    FILE *f = fopen(path, "rb");
    if (!f) return *reason = "cannot open", NULL;
    struct stat st;
    char *buf = NULL;
    if (fstat(fileno(f), &st) || st.st_size < 0 || (size_t)st.st_size > CSAF_FILE_MAX) {
        *reason = "cannot size, or larger than 64 MB";
    } else if (!(buf = malloc((size_t)st.st_size + 1))) {
        *reason = "out of memory";
    } else if (fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        *reason = "read error";
        free(buf);
        buf = NULL;
    } else {
        *len = (size_t)st.st_size;
    }
    fclose(f);
    return buf;
}

#define DIR_DEPTH_MAX 8

static ssf_rc load_dir(sig_csaf_index_t *ix, const char *dir, int depth, sig_csaf_diag_fn diag,
                       void *ud)
{
    if (depth > DIR_DEPTH_MAX) return SSF_OK;
    struct dirent **ents;
    int n = scandir(dir, &ents, NULL, alphasort); /* sorted: output order is stable */
    if (n < 0) return SSF_EIO;
    ssf_rc rc = SSF_OK;
    for (int i = 0; i < n; i++) {
        const char *nm = ents[i]->d_name;
        char path[4096];
        struct stat st;
        size_t l = strlen(nm);
        if (nm[0] == '.' || rc == SSF_ENOMEM) goto next;
        snprintf(path, sizeof path, "%s/%s", dir, nm);
        if (stat(path, &st)) goto next;
        if (S_ISDIR(st.st_mode)) {
            if (load_dir(ix, path, depth + 1, diag, ud) == SSF_ENOMEM) rc = SSF_ENOMEM;
        } else if (l > 5 && !strcmp(nm + l - 5, ".json")) {
            const char *why = NULL;
            size_t len = 0;
            char *buf = slurp(path, &len, &why);
            ssf_rc r = buf ? sig_csaf_index_add(ix, path, buf, len, &why) : SSF_EIO;
            free(buf);
            if (r == SSF_ENOMEM) rc = r;
            if (r != SSF_OK && diag) diag(ud, path, why);
        }
    next:
        free(ents[i]);
    }
    free(ents);
    return rc;
}

/* ---- token index ------------------------------------------------------------------------- */

#define CSAF_SQUARE     "\xe2\x96\xa1" /* U+25A1, a variant code in a type template */
#define CSAF_TOK_PREFIX 7 /* order numbers are looked up by their first characters          */

static uint64_t tok_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h | 1; /* 0 is the bucket of order numbers too short or too wild to key */
}

static bool tok_sep(char c)
{
    return c == ' ' || c == '(' || c == ')' || c == ',' || c == '/' || c == ':' || c == ';' ||
           c == '\t' || c == '\n' || c == '"';
}

static bool tok_push(sig_csaf_index_t *ix, uint64_t h, size_t prod)
{
    if (!grow((void **)&ix->tok, &ix->cap_tok, ix->n_tok, sizeof *ix->tok)) return false;
    ix->tok[ix->n_tok++] = (csaf_tok){h, prod};
    return true;
}

/* The key an order number is found by: its first characters, or 0 when a wildcard or its end
 * comes first. */
static uint64_t model_tok(const char *mk, size_t n)
{
    if (n < CSAF_TOK_PREFIX) return 0;
    for (size_t i = 0; i < CSAF_TOK_PREFIX; i++)
        if (mk[i] == '*' || mk[i] == '?') return 0;
    return tok_hash(mk, CSAF_TOK_PREFIX);
}

static bool tokens_of(sig_csaf_index_t *ix, size_t i)
{
    const csaf_prod *p = &ix->prod[i];
    const char *q = p->models ? p->models : p->lname;
    while (*q) {
        size_t n = p->models ? strcspn(q, "\n") : 0;
        if (!p->models)
            while (q[n] && !tok_sep(q[n]))
                n++;
        if (n && !tok_push(ix, p->models ? model_tok(q, n) : tok_hash(q, n), i)) return false;
        /* A template is found by its series, the part before the dash ("cp1l"), which is
         * the key a model written SERIES-VARIANT is looked up by. */
        size_t dash = n ? strcspn(q, "-") : 0;
        if (!p->models && dash && dash < n && strstr(p->lname, CSAF_SQUARE) &&
            !tok_push(ix, tok_hash(q, dash), i))
            return false;
        q += n + (q[n] != 0);
    }
    return true;
}

static int tok_cmp(const void *a, const void *b)
{
    const csaf_tok *x = a, *y = b;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    return x->prod < y->prod ? -1 : x->prod > y->prod;
}

static bool tokens_build(sig_csaf_index_t *ix)
{
    ix->n_tok = 0;
    for (size_t i = 0; i < ix->n_prod; i++)
        if (!tokens_of(ix, i)) return false;
    if (ix->n_tok) qsort(ix->tok, ix->n_tok, sizeof *ix->tok, tok_cmp);
    ix->tok_prods = ix->n_prod;
    return true;
}

ssf_rc sig_csaf_index_finish(sig_csaf_index_t *ix)
{
    return tokens_build(ix) ? SSF_OK : SSF_ENOMEM;
}

sig_csaf_index_t *sig_csaf_index_new(const char *dir, sig_csaf_diag_fn diag, void *ud, ssf_err *err)
{
    sig_csaf_index_t *ix = sig_csaf_index_empty();
    if (!ix) {
        ssf_err_set(err, SSF_ENOMEM, __FILE__, __LINE__, "out of memory");
        return NULL;
    }
    ssf_rc rc = load_dir(ix, dir, 0, diag, ud);
    if (rc == SSF_OK && !tokens_build(ix)) rc = SSF_ENOMEM;
    if (rc != SSF_OK) {
        ssf_err_set(err, rc, __FILE__, __LINE__, "%s: %s", dir,
                    rc == SSF_EIO ? "cannot read the directory" : "out of memory");
        sig_csaf_index_free(&ix);
    }
    return ix;
}

void sig_csaf_index_free(sig_csaf_index_t **ixp)
{
    sig_csaf_index_t *ix = ixp ? *ixp : NULL;
    if (!ix) return;
    for (size_t i = 0; i < ix->n_prod; i++)
        prod_clear(&ix->prod[i]);
    for (size_t i = 0; i < ix->n_adv; i++)
        free(ix->adv[i].id), free(ix->adv[i].title), free(ix->adv[i].file);
    for (size_t i = 0; i < ix->n_vend; i++)
        free(ix->vend[i].idx);
    free(ix->vend);
    free(ix->tok);
    free(ix->prod);
    free(ix->adv);
    free(ix);
    *ixp = NULL;
}

size_t sig_csaf_index_advisories(const sig_csaf_index_t *ix)
{
    return ix ? ix->n_adv : 0;
}

size_t sig_csaf_index_products(const sig_csaf_index_t *ix)
{
    return ix ? ix->n_prod : 0;
}

/* ---- matching ---------------------------------------------------------------------------- */

/* Siemens order numbers name the family in their first digits; advisories mostly name only the
 * family ("SIMATIC S7-1200 CPU family"). SIPLUS (6AG1) parts share their base part's family.
 * A family match needs a CPU product there, since modules (CPs, switches) of the same family
 * are other devices. Saia-Burgess answers S-Bus "read PCD type" with codes like D2M48 (a
 * PCD2.M48x); its advisories name the PCD line, controllers only. */
typedef struct {
    const char *vendor; /* folded vendor the prefix belongs to, NULL for any */
    const char *prefix, *family;
    bool cpu; /* the product's name must say "cpu" too */
} order_family;

static const order_family order_families[] = {
    {NULL, "6es721", "s7-1200", true},     {NULL, "6ag121", "s7-1200", true},
    {NULL, "6es751", "s7-1500", true},     {NULL, "6ag151", "s7-1500", true},
    {NULL, "6es731", "s7-300", true},      {NULL, "6ag131", "s7-300", true},
    {NULL, "6es741", "s7-400", true},      {NULL, "6ag141", "s7-400", true},
    {NULL, "6es720", "s7-200", true},      {"saia burgess", "d1m", "pcd", false},
    {"saia burgess", "d2m", "pcd", false}, {"saia burgess", "d3m", "pcd", false},
};

static const order_family *model_family(const char *vk, const char *model_k)
{
    for (size_t i = 0; i < sizeof order_families / sizeof *order_families; i++) {
        const order_family *f = &order_families[i];
        if ((!f->vendor || key_prefix(f->vendor, vk)) &&
            !strncmp(model_k, f->prefix, strlen(f->prefix)))
            return f;
    }
    return NULL;
}

/* Brands whose advisories their owner publishes under its own name, naming the brand in the
 * product ("Honeywell" / "Saia Burgess PG5 PCD"). */
static const struct {
    const char *brand, *owner;
} brand_owners[] = {{"saia burgess", "honeywell"}};

/* The device's vendor is a brand the product's vendor owns and names. */
static bool owner_names_brand(const char *vk, const char *pvk, const char *pname)
{
    for (size_t i = 0; i < sizeof brand_owners / sizeof *brand_owners; i++) {
        if (!key_prefix(brand_owners[i].brand, vk) || !vkey_eq(brand_owners[i].owner, pvk))
            continue;
        if (!pname) return true; /* a bucket of the owner's products: look inside */
        char nk[CSAF_KEY_MAX];
        vendor_key(pname, nk, sizeof nk);
        size_t n = strlen(brand_owners[i].brand);
        for (const char *q = strstr(nk, brand_owners[i].brand); q;
             q = strstr(q + 1, brand_owners[i].brand))
            if ((q == nk || q[-1] == ' ') && (q[n] == 0 || q[n] == ' ')) return true;
    }
    return false;
}

/* needle occurs in hay as whole words (both lower case). */
static bool has_word(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        if ((p == hay || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[n]))
            return true;
    return false;
}

/* A version written in the product name ("... CPU family V4.x", "... version 4", "... < V4.x")
 * narrows the product too; 1 when the name has none. */
static int name_version_in(const char *lname, const char *firmware)
{
    for (const char *p = lname; *p; p++) {
        if (*p == '(') break; /* parenthesised: order numbers, "incl. SIPLUS variants" */
        bool at = (p[0] == 'v' && isdigit((unsigned char)p[1]) && p > lname && p[-1] == ' ') ||
                  !strncmp(p, "version ", 8) || ((*p == '<' || *p == '>') && p[1] == ' ');
        if (!at) continue;
        char r[64];
        size_t n = strcspn(p, "(");
        snprintf(r, sizeof r, "%.*s", (int)(n < sizeof r ? n : sizeof r - 1), p);
        if (!strncmp(r, "version ", 8)) memmove(r, r + 8, strlen(r + 8) + 1);
        return sig_csaf_version_in(r, firmware);
    }
    return 1;
}

static bool models_match(const char *models, const char *mk)
{
    for (const char *p = models; p && *p;) {
        size_t n = strcspn(p, "\n");
        char m[CSAF_KEY_MAX];
        snprintf(m, sizeof m, "%.*s", (int)(n < sizeof m ? n : sizeof m - 1), p);
        if (model_eq_folded(m, mk)) return true;
        p += n + (p[n] == '\n');
    }
    return false;
}

/* Omron writes its type designations as templates, one white square (U+25A1, CSAF_SQUARE) per
 * variant code: "CP1L-EL20D [] - []" is CP1L-EL20DR-D, CP1L-EL20DT1-D and so on. A square
 * stands for one or two letters or digits (output "T1", point count "30"). */
static bool square_glob(const char *pat, const char *m)
{
    for (; *pat; pat++, m++) {
        if (!strncmp(pat, CSAF_SQUARE, 3)) {
            for (int k = 1; k <= 2 && isalnum((unsigned char)m[k - 1]); k++)
                if (square_glob(pat + 3, m + k)) return true;
            return false;
        }
        if (*pat != *m) return false;
    }
    return !*m;
}

/* The device's folded model against the template that starts at any word of the name and runs
 * to its end or to a parenthesis, spaces dropped. */
static bool template_match(const char *lname, const char *mk)
{
    if (!strstr(lname, CSAF_SQUARE)) return false;
    for (const char *w = lname; *w && *w != '('; w++) {
        if (w != lname && w[-1] != ' ') continue;
        char t[CSAF_KEY_MAX];
        size_t o = 0;
        for (const char *c = w; *c && *c != '(' && o + 1 < sizeof t; c++)
            if (*c != ' ') t[o++] = *c;
        t[o] = 0;
        if (square_glob(t, mk)) return true;
    }
    return false;
}

/* How the product names the device, or NULL. A product that lists order numbers is only
 * matched by them. */
static const char *product_match(const csaf_prod *p, const char *ml, const char *mk,
                                 const order_family *family, const char *series)
{
    if (p->models) return models_match(p->models, mk) ? "model number" : NULL;
    if (strlen(mk) >= 3 && has_word(p->lname, ml)) return "product name";
    /* A template names its variants exactly: not by its series or family word. */
    if (strstr(p->lname, CSAF_SQUARE)) return template_match(p->lname, mk) ? "type template" : NULL;
    if (family && has_word(p->lname, family->family) && (!family->cpu || has_word(p->lname, "cpu")))
        return "family";
    if (series && has_word(p->lname, series)) return "series";
    return NULL;
}

/* The series a model belongs to, when the model is written SERIES-VARIANT and the series looks
 * like a type designation (letters and digits): "CP1L-EL20DR-D" is a CP1L, which is how
 * advisories name it ("SYSMAC CP1L"). Empty when the model does not look so. */
static void model_series(const char *ml, char *out, size_t len)
{
    size_t n = strcspn(ml, "-");
    bool alpha = false, digit = false, other = false;
    for (size_t i = 0; i < n; i++)
        alpha |= isalpha((unsigned char)ml[i]), digit |= isdigit((unsigned char)ml[i]),
            other |= !isalnum((unsigned char)ml[i]);
    out[0] = 0;
    if (ml[n] == '-' && n >= 3 && n < len && alpha && digit && !other)
        snprintf(out, len, "%.*s", (int)n, ml);
}

static void fill(const sig_csaf_index_t *ix, const csaf_prod *p, const char *how,
                 sig_csaf_match_t *m)
{
    const csaf_adv *a = &ix->adv[p->adv];
    *m = (sig_csaf_match_t){.id = a->id,
                            .title = a->title,
                            .file = a->file,
                            .vendor = p->vendor,
                            .product = p->product,
                            .versions = p->versions,
                            .matched_on = how,
                            .cves = p->cves ? p->cves : "",
                            .score = p->score,
                            .remediation = p->remediation,
                            .url = p->url};
}

/* Two vendor spellings ("Siemens", "Siemens AG") may both match: report an advisory once. */
static bool seen(const sig_csaf_index_t *ix, const sig_csaf_match_t *out, size_t n, size_t adv)
{
    for (size_t i = 0; i < n; i++)
        if (out[i].id == ix->adv[adv].id) return true;
    return false;
}

typedef struct {
    const char *vk, *mk, *ml, *series, *firmware;
    const order_family *family;
    sig_csaf_match_t *out;
    size_t max, n, last_adv;
} match_ctx;

static void try_prod(const sig_csaf_index_t *ix, match_ctx *c, size_t i)
{
    const csaf_prod *p = &ix->prod[i];
    /* Products are stored advisory by advisory: one match per advisory is enough. */
    if (p->adv == c->last_adv) return;
    if (!vkey_eq(c->vk, p->vkey) && !owner_names_brand(c->vk, p->vkey, p->product)) return;
    const char *how = product_match(p, c->ml, c->mk, c->family, c->series);
    if (!how || sig_csaf_version_in(p->versions, c->firmware) != 1 ||
        name_version_in(p->lname, c->firmware) != 1)
        return;
    c->last_adv = p->adv;
    if (seen(ix, c->out, c->n < c->max ? c->n : c->max, p->adv)) return;
    if (c->n < c->max) fill(ix, p, how, &c->out[c->n]);
    c->n++;
}

#define CSAF_CAND_MAX 4096

static size_t cand_add(const sig_csaf_index_t *ix, uint64_t h, size_t *cand, size_t n)
{
    size_t lo = 0, hi = ix->n_tok;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->tok[mid].h < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < ix->n_tok && ix->tok[lo].h == h && n < CSAF_CAND_MAX; lo++)
        cand[n++] = ix->tok[lo].prod;
    return n;
}

static int size_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* The products that could name the device: those with its model's first word, its family
 * word, or an order number starting like it. Checked in load order, like the full pass. */
static bool match_by_tokens(const sig_csaf_index_t *ix, match_ctx *c)
{
    size_t cand[CSAF_CAND_MAX], n = 0, w = 0;
    while (c->ml[w] && !tok_sep(c->ml[w]))
        w++;
    if (w) n = cand_add(ix, tok_hash(c->ml, w), cand, n);
    if (c->family)
        n = cand_add(ix, tok_hash(c->family->family, strlen(c->family->family)), cand, n);
    if (c->series) n = cand_add(ix, tok_hash(c->series, strlen(c->series)), cand, n);
    n = cand_add(ix, model_tok(c->mk, strlen(c->mk)), cand, n);
    n = cand_add(ix, 0, cand, n);
    if (n >= CSAF_CAND_MAX) return false;
    qsort(cand, n, sizeof *cand, size_cmp);
    for (size_t i = 0; i < n; i++)
        if (!i || cand[i] != cand[i - 1]) try_prod(ix, c, cand[i]);
    return true;
}

size_t sig_csaf_match(const sig_csaf_index_t *ix, const char *vendor, const char *model,
                      const char *firmware, sig_csaf_match_t *out, size_t max)
{
    if (!ix || !vendor || !model) return 0;
    char vk[CSAF_KEY_MAX], mk[CSAF_KEY_MAX], ml[CSAF_KEY_MAX];
    vendor_key(vendor, vk, sizeof vk);
    model_key(model, mk, sizeof mk);
    if (!vk[0] || !mk[0]) return 0;
    size_t k = 0;
    for (; model[k] && k + 1 < sizeof ml; k++)
        ml[k] = (char)tolower((unsigned char)model[k]);
    ml[k] = 0;
    char series[CSAF_KEY_MAX];
    const order_family *family = model_family(vk, mk);
    model_series(ml, series, sizeof series);
    match_ctx c = {.vk = vk,
                   .mk = mk,
                   .ml = ml,
                   .series = family || !series[0] ? NULL : series,
                   .firmware = firmware,
                   .family = family,
                   .out = out,
                   .max = max,
                   .last_adv = (size_t)-1};
    if (ix->tok_prods == ix->n_prod && ix->n_prod && match_by_tokens(ix, &c)) return c.n;
    /* No token index (documents added one by one) or too many candidates: every product of
     * the vendor. */
    c.n = 0;
    c.last_adv = (size_t)-1;
    for (size_t v = 0; v < ix->n_vend; v++) {
        const csaf_bucket *b = &ix->vend[v];
        if (!vkey_eq(vk, b->key) && !owner_names_brand(vk, b->key, NULL)) continue;
        c.last_adv = (size_t)-1;
        for (size_t i = 0; i < b->n; i++)
            try_prod(ix, &c, b->idx[i]);
    }
    return c.n;
}
