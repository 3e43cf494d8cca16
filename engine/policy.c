/* Site policy file parser. One line per entry, "KIND NAME: key value; key value" (the format
 * is in docs/iotssf.md). Every problem is reported with its line, not only the first, so an
 * operator fixes a file in one pass; a file with any problem is refused as a whole, because a
 * half-applied policy would place devices in ways nobody wrote down. */
#include "eng/policy.h"

#include "sig/rules.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define POL_LINE_MAX     1024
#define POL_FILE_MAX     (4u << 20) /* a policy is hand-written; more is a mistake         */
#define POL_SEL_MAX      64         /* selectors per line                                  */
#define POL_DEVICE_SCORE 300        /* a device line beats anything a zone says            */
#define POL_NAMED_SCORE  200        /* a MAC or IP named in a zone beats any subnet        */

typedef struct {
    eng_policy_entry_t *v;
    size_t n, cap;
} pol_vec_t;

struct eng_policy {
    char *file;
    pol_vec_t k[ENG_POL_KIND_COUNT];
};

/* The parse state: where we are and how many problems were found. */
typedef struct {
    eng_policy_t *p;
    const char *file;
    unsigned line;
    unsigned errors;
    eng_policy_diag_fn diag;
    void *ud;
    ssf_err *err;
} pol_ctx_t;

static const char *const kind_names[ENG_POL_KIND_COUNT] = {"zone", "device", "workstation",
                                                           "internet", "system"};

/* The keys each kind accepts, as bits of key_names. */
static const char *const key_names[] = {"subnet", "vlan", "device", "zone", "human", "economic"};
enum { K_SUBNET = 1, K_VLAN = 2, K_DEVICE = 4, K_ZONE = 8, K_HUMAN = 16, K_ECONOMIC = 32 };
static const unsigned kind_keys[ENG_POL_KIND_COUNT] = {
    K_SUBNET | K_VLAN | K_DEVICE | K_HUMAN | K_ECONOMIC,          /* zone        */
    K_HUMAN | K_ECONOMIC,                                         /* device      */
    K_SUBNET | K_DEVICE,                                          /* workstation */
    K_SUBNET | K_DEVICE | K_ZONE,                                 /* internet    */
    K_SUBNET | K_VLAN | K_DEVICE | K_ZONE | K_HUMAN | K_ECONOMIC, /* system      */
};

static bool problem(pol_ctx_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool problem(pol_ctx_t *c, const char *fmt, ...)
{
    ssf_err e = {0};
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ssf_err_set(&e, SSF_EINVAL, c->file, c->line, "%s:%u: %s", c->file, c->line, msg);
    if (!c->errors++ && c->err) *c->err = e;
    if (c->diag) c->diag(c->ud, &e);
    return false;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

static bool name_ok(const char *s)
{
    if (!*s || strlen(s) >= ENG_POL_NAME_MAX) return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("_-.:/", *s)) return false;
    return true;
}

/* "10.20.0.0/16", "2001:db8::/32": the prefix is kept in the 128-bit v4-mapped space so v4 and
 * v6 compare alike. Host bits must be clear: "10.20.1.0/16" is more likely a typo than a wish. */
static bool parse_subnet(const char *text, eng_policy_sel_t *s)
{
    char v[POL_LINE_MAX + 1];
    ssf_strlcpy(v, text, sizeof v);
    char *slash = strchr(v, '/');
    if (!slash) return false;
    *slash = '\0';
    char *end;
    long len = strtol(slash + 1, &end, 10);
    if (slash[1] == '\0' || *end || !ssf_addr_parse(v, &s->addr)) return false;
    bool v4 = ssf_addr_is_v4(&s->addr);
    if (len < 0 || len > (v4 ? 32 : 128)) return false;
    s->prefix = (uint8_t)(v4 ? len + 96 : len);
    for (unsigned bit = s->prefix; bit < 128; bit++)
        if (s->addr.b[bit / 8] & (0x80 >> (bit % 8))) return false;
    s->kind = ENG_SEL_SUBNET;
    return true;
}

static bool parse_device(const char *v, eng_policy_sel_t *s)
{
    if (ssf_mac_parse(v, s->mac)) {
        s->kind = ENG_SEL_MAC;
        return true;
    }
    if (ssf_addr_parse(v, &s->addr)) {
        s->kind = ENG_SEL_IP;
        return true;
    }
    return false;
}

static bool parse_num(const char *v, long min, long max, long *out)
{
    char *end;
    if (!isdigit((unsigned char)*v)) return false;
    long n = strtol(v, &end, 10);
    if (*end || n < min || n > max) return false;
    *out = n;
    return true;
}

static int key_index(const char *k)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(key_names); i++)
        if (!strcmp(k, key_names[i])) return (int)i;
    return -1;
}

static bool add_sel(pol_ctx_t *c, eng_policy_entry_t *e, const eng_policy_sel_t *s)
{
    if (e->n_sel >= POL_SEL_MAX) {
        problem(c, "more than 64 selectors on one line");
        return false;
    }
    eng_policy_sel_t *v = realloc((void *)e->sel, (e->n_sel + 1) * sizeof *v);
    if (!v) {
        problem(c, "out of memory");
        return false;
    }
    v[e->n_sel++] = *s;
    e->sel = v;
    return true;
}

static bool set_level(pol_ctx_t *c, uint8_t *slot, const char *key, const char *v)
{
    long n;
    if (*slot) return problem(c, "'%s' given twice", key);
    if (!parse_num(v, 1, 4, &n)) return problem(c, "level must be 1..4, not '%s'", v);
    *slot = (uint8_t)n;
    return true;
}

/* One "key value" item of an entry. */
static bool parse_item(pol_ctx_t *c, eng_policy_entry_t *e, char *item)
{
    char *v = item;
    while (*v && !isspace((unsigned char)*v))
        v++;
    if (*v) *v++ = '\0';
    v = trim(v);
    int k = key_index(item);
    if (k < 0 || !(kind_keys[e->kind] & (1u << k)))
        return problem(c, "unknown key '%s' here", item);
    if (!*v) return problem(c, "'%s' needs a value", item);
    eng_policy_sel_t s = {0};
    long n;
    switch (1u << k) {
    case K_SUBNET:
        if (!parse_subnet(v, &s))
            return problem(c, "bad subnet '%s' (want ADDR/LEN with the host bits clear)", v);
        break;
    case K_VLAN:
        if (!parse_num(v, 1, 4094, &n)) return problem(c, "bad VLAN '%s' (want 1..4094)", v);
        s.kind = ENG_SEL_VLAN;
        s.vlan = (uint16_t)n;
        break;
    case K_DEVICE:
        if (!parse_device(v, &s)) return problem(c, "bad device '%s' (want a MAC or an IP)", v);
        break;
    case K_ZONE:
        if (!name_ok(v)) return problem(c, "bad zone name '%s'", v);
        s.kind = ENG_SEL_ZONE;
        ssf_strlcpy(s.zone, v, sizeof s.zone);
        break;
    case K_HUMAN:
        return set_level(c, &e->human, item, v);
    default:
        return set_level(c, &e->economic, item, v);
    }
    return add_sel(c, e, &s);
}

static bool kind_parse(const char *w, eng_pol_kind *k)
{
    for (int i = 0; i < ENG_POL_KIND_COUNT; i++)
        if (!strcmp(w, kind_names[i])) {
            *k = (eng_pol_kind)i;
            return true;
        }
    return false;
}

static const eng_policy_entry_t *find(const eng_policy_t *p, eng_pol_kind k, const char *name)
{
    for (size_t i = 0; i < p->k[k].n; i++)
        if (!strcmp(p->k[k].v[i].name, name)) return &p->k[k].v[i];
    return NULL;
}

/* What an entry must say to mean anything, and names used once per kind. */
static bool check_entry(pol_ctx_t *c, eng_policy_entry_t *e)
{
    if (find(c->p, e->kind, e->name)) return problem(c, "'%s' is already defined above", e->name);
    if (e->kind == ENG_POL_DEVICE && !e->human && !e->economic)
        return problem(c, "device '%s' sets neither human nor economic", e->name);
    if (e->kind != ENG_POL_DEVICE && !e->n_sel)
        return problem(c, "'%s' names no subnet, vlan, device or zone", e->name);
    return true;
}

static bool push_entry(pol_ctx_t *c, const eng_policy_entry_t *e)
{
    pol_vec_t *v = &c->p->k[e->kind];
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        eng_policy_entry_t *nv = realloc(v->v, cap * sizeof *nv);
        if (!nv) return false;
        v->v = nv;
        v->cap = cap;
    }
    v->v[v->n++] = *e;
    return true;
}

/* Splits "KIND NAME: items" and parses the items. The separator is the first ':' followed by
 * a blank or the end, since MACs and IPv6 addresses in NAME hold colons of their own. */
static bool parse_line(pol_ctx_t *c, char *s)
{
    char *sep = s;
    while ((sep = strchr(sep, ':')) && sep[1] && !isspace((unsigned char)sep[1]))
        sep++;
    if (!sep) return problem(c, "expected 'KIND NAME: key value; ...'");
    *sep = '\0';
    char *head = trim(s), *name = head;
    while (*name && !isspace((unsigned char)*name))
        name++;
    if (*name) *name++ = '\0';
    name = trim(name);
    eng_policy_entry_t e = {.line = c->line};
    if (!kind_parse(head, &e.kind))
        return problem(c, "unknown entry '%s' (zone, device, workstation, internet, system)", head);
    if (!name_ok(name)) return problem(c, "bad or missing name '%s'", name);
    ssf_strlcpy(e.name, name, sizeof e.name);
    eng_policy_sel_t self = {0};
    if (e.kind == ENG_POL_DEVICE) {
        if (!parse_device(name, &self)) return problem(c, "device '%s' is not a MAC or IP", name);
        if (!add_sel(c, &e, &self)) return false;
    }
    unsigned before = c->errors;
    for (char *item = sep + 1, *next; item; item = next) {
        if ((next = strchr(item, ';'))) *next++ = '\0';
        item = trim(item);
        if (*item) parse_item(c, &e, item);
    }
    if (c->errors == before) check_entry(c, &e);
    if (c->errors != before || !push_entry(c, &e)) {
        if (c->errors == before) problem(c, "out of memory");
        free((void *)e.sel);
        return false;
    }
    return true;
}

/* Zone references may point forward, so they are checked once every line is read. */
static void check_zone_refs(pol_ctx_t *c)
{
    for (int k = 0; k < ENG_POL_KIND_COUNT; k++)
        for (size_t i = 0; i < c->p->k[k].n; i++) {
            const eng_policy_entry_t *e = &c->p->k[k].v[i];
            for (size_t j = 0; j < e->n_sel; j++)
                if (e->sel[j].kind == ENG_SEL_ZONE && !find(c->p, ENG_POL_ZONE, e->sel[j].zone)) {
                    c->line = e->line;
                    problem(c, "no zone named '%s' in this file", e->sel[j].zone);
                }
        }
}

static void parse_text(pol_ctx_t *c, const char *text, size_t len)
{
    char buf[POL_LINE_MAX + 1];
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
        c->line++;
        if (n > POL_LINE_MAX) {
            problem(c, "line longer than 1024 bytes");
        } else if (memchr(text + at, '\0', n)) {
            problem(c, "NUL byte in line");
        } else {
            memcpy(buf, text + at, n);
            buf[n] = '\0';
            char *s = trim(buf);
            if (*s && *s != '#') parse_line(c, s);
        }
        at += n + 1;
    }
    check_zone_refs(c);
}

eng_policy_t *eng_policy_parse(const char *file, const char *text, size_t len,
                               eng_policy_diag_fn diag, void *ud, ssf_err *err)
{
    eng_policy_t *p = calloc(1, sizeof *p);
    if (!p || !(p->file = strdup(file ? file : "policy"))) {
        free(p);
        ssf_err_set(err, SSF_ENOMEM, NULL, 0, "out of memory");
        return NULL;
    }
    pol_ctx_t c = {.p = p, .file = file ? file : "policy", .diag = diag, .ud = ud, .err = err};
    parse_text(&c, text, len);
    if (c.errors) eng_policy_free(&p);
    return p;
}

eng_policy_t *eng_policy_load(const char *path, eng_policy_diag_fn diag, void *ud, ssf_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        ssf_err_set(err, SSF_EIO, path, 0, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(POL_FILE_MAX);
    size_t n = buf ? fread(buf, 1, POL_FILE_MAX, f) : 0;
    bool too_big = buf && n == POL_FILE_MAX;
    bool bad = !buf || ferror(f);
    fclose(f);
    eng_policy_t *p = NULL;
    if (bad)
        ssf_err_set(err, SSF_EIO, path, 0, "%s: cannot read", path);
    else if (too_big)
        ssf_err_set(err, SSF_EINVAL, path, 0, "%s: larger than 4 MB", path);
    else
        p = eng_policy_parse(path, buf, n, diag, ud, err);
    free(buf);
    return p;
}

void eng_policy_free(eng_policy_t **pp)
{
    if (!pp || !*pp) return;
    eng_policy_t *p = *pp;
    for (int k = 0; k < ENG_POL_KIND_COUNT; k++) {
        for (size_t i = 0; i < p->k[k].n; i++)
            free((void *)p->k[k].v[i].sel);
        free(p->k[k].v);
    }
    free(p->file);
    free(p);
    *pp = NULL;
}

const char *eng_policy_file(const eng_policy_t *p)
{
    return p->file;
}

size_t eng_policy_count(const eng_policy_t *p, eng_pol_kind k)
{
    return k < ENG_POL_KIND_COUNT ? p->k[k].n : 0;
}

const eng_policy_entry_t *eng_policy_entry(const eng_policy_t *p, eng_pol_kind k, size_t i)
{
    return k < ENG_POL_KIND_COUNT && i < p->k[k].n ? &p->k[k].v[i] : NULL;
}

const eng_policy_entry_t *eng_policy_zone(const eng_policy_t *p, const char *name)
{
    return find(p, ENG_POL_ZONE, name);
}

static bool in_subnet(const eng_policy_sel_t *s, const ssf_addr *a)
{
    unsigned full = s->prefix / 8, rest = s->prefix % 8;
    if (memcmp(s->addr.b, a->b, full)) return false;
    if (!rest) return true;
    uint8_t mask = (uint8_t)(0xff00 >> rest);
    return (s->addr.b[full] & mask) == (a->b[full] & mask);
}

static unsigned sel_score(const eng_policy_t *p, const eng_policy_sel_t *s,
                          const eng_policy_host_t *h, bool device)
{
    switch (s->kind) {
    case ENG_SEL_MAC:
        if (h->mac && !memcmp(h->mac, s->mac, 6))
            return device ? POL_DEVICE_SCORE : POL_NAMED_SCORE;
        return 0;
    case ENG_SEL_IP:
        if (h->ip && !memcmp(h->ip, &s->addr, sizeof s->addr))
            return device ? POL_DEVICE_SCORE : POL_NAMED_SCORE;
        return 0;
    case ENG_SEL_SUBNET:
        return h->ip && in_subnet(s, h->ip) ? 2u + s->prefix : 0;
    case ENG_SEL_VLAN:
        for (size_t i = 0; i < h->n_vlans; i++)
            if (h->vlans[i] == s->vlan) return 1;
        return 0;
    case ENG_SEL_ZONE: {
        /* Zones hold no zone selectors, so this recurses once at most. */
        const eng_policy_entry_t *z = find(p, ENG_POL_ZONE, s->zone);
        return z ? eng_policy_match(p, z, h) : 0;
    }
    }
    return 0;
}

unsigned eng_policy_match(const eng_policy_t *p, const eng_policy_entry_t *e,
                          const eng_policy_host_t *h)
{
    unsigned best = 0;
    for (size_t i = 0; i < e->n_sel; i++) {
        unsigned sc = sel_score(p, &e->sel[i], h, e->kind == ENG_POL_DEVICE);
        if (sc > best) best = sc;
    }
    return best;
}
