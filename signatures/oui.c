/* oui.c - MAC vendor registry. The IEEE text lists are parsed once into three sorted key arrays
 * (36-, 28- and 24-bit prefixes) searched most specific first; vendor names are interned into
 * one arena so the ~47k blocks share ~30k strings. */
#include "sig/oui.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Levels in lookup order: most specific first. */
enum { LVL_36, LVL_28, LVL_24, LVL_N };
static const unsigned lvl_bits[LVL_N] = {36, 28, 24};

typedef struct {
    uint64_t *keys;  /* sorted, unique: the block's top lvl_bits bits of the MAC */
    uint32_t *names; /* arena offset of each key's vendor, parallel to keys      */
    size_t n;        /* number of keys                                          */
} oui_level;

struct sig_oui {
    oui_level lvl[LVL_N]; /* indexed by LVL_*                               */
    char *arena;          /* every distinct vendor name once, NUL-terminated */
    sig_oui_stats_t st;   /* load counters                                  */
};

/* One IEEE file and the block size its entries have. */
typedef struct {
    const char *name; /* file name inside the ieee-data directory */
    int lvl;          /* LVL_* of every block it lists            */
    bool required;    /* oui.txt is; the others are optional      */
} oui_file;

static const oui_file oui_files[] = {
    {"oui.txt", LVL_24, true},
    {"mam.txt", LVL_28, false},
    {"oui36.txt", LVL_36, false},
    {"iab.txt", LVL_36, false},
};

/* Load-time only: a block before sorting. seq keeps the file order so duplicates resolve to
 * the first listing whatever qsort does. */
typedef struct {
    uint64_t key;  /* prefix, as in oui_level.keys */
    uint32_t name; /* arena offset                 */
    uint32_t seq;  /* order of appearance          */
} raw_entry;

typedef struct {
    raw_entry *v;
    size_t n, cap;
} raw_vec;

typedef struct {
    sig_oui_t *o;
    raw_vec raw[LVL_N];
    size_t arena_len, arena_cap; /* bytes used / allocated in o->arena              */
    uint32_t *intern;            /* open addressing: arena offset + 1, 0 means empty */
    size_t intern_n, intern_cap; /* used / allocated slots, cap a power of two       */
    uint32_t seq;                /* next raw_entry.seq                               */
} oui_loader;

/* Per-file parse state: a "(base 16)" range line belongs to the "(hex)" line just above it. */
typedef struct {
    const oui_file *f;
    bool have_parent;
    uint32_t parent; /* 24-bit prefix from the last good "(hex)" line */
    unsigned lineno; /* 1-based                                       */
} oui_parse;

typedef struct {
    const char *p, *end;
} span;

typedef enum { TAG_NONE, TAG_HEX, TAG_B16 } line_tag;

/* ---- text helpers ---------------------------------------------------------------------- */

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

static bool parse_hex(const char *s, size_t n, uint32_t *out)
{
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int d = hex_digit(s[i]);
        if (d < 0) return false;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return true;
}

/* "00-0E-8C" -> 0x000E8C */
static bool parse_oui24(span t, uint32_t *out)
{
    uint32_t a, b, c;
    if (t.end - t.p != 8 || t.p[2] != '-' || t.p[5] != '-') return false;
    if (!parse_hex(t.p, 2, &a) || !parse_hex(t.p + 3, 2, &b) || !parse_hex(t.p + 6, 2, &c))
        return false;
    *out = a << 16 | b << 8 | c;
    return true;
}

/* "F38000-F38FFF" for a 36-bit block: the low 24 bits of the block's first and last address.
 * Only an exact, aligned block of the file's size is accepted; *suffix gets the bits the block
 * adds to its 24-bit parent. */
static bool parse_range(span t, unsigned bits, uint32_t *suffix)
{
    uint32_t lo, hi;
    unsigned free_bits = 48 - bits;
    uint32_t mask = (1u << free_bits) - 1;
    if (t.end - t.p != 13 || t.p[6] != '-') return false;
    if (!parse_hex(t.p, 6, &lo) || !parse_hex(t.p + 7, 6, &hi)) return false;
    if ((lo & mask) != 0 || hi != (lo | mask)) return false;
    *suffix = lo >> free_bits;
    return true;
}

static bool starts_with(const char *p, const char *end, const char *lit, size_t n)
{
    return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

/* Splits "TOKEN <ws> (tag) <ws> NAME <ws>" into tok and name. Lines starting with whitespace
 * (postal addresses) or without a tag after the first token (headers) are TAG_NONE. */
static line_tag split_line(const char *s, const char *e, span *tok, span *name)
{
    line_tag tag;
    const char *p = s;
    if (s == e || is_ws(*s)) return TAG_NONE;
    while (p < e && !is_ws(*p))
        p++;
    *tok = (span){s, p};
    while (p < e && is_ws(*p))
        p++;
    if (starts_with(p, e, "(hex)", 5)) {
        tag = TAG_HEX;
        p += 5;
    } else if (starts_with(p, e, "(base 16)", 9)) {
        tag = TAG_B16;
        p += 9;
    } else {
        return TAG_NONE;
    }
    while (p < e && is_ws(*p))
        p++;
    /* Some registrations end in a stray comma ("Siemens AG,"): not part of the name. */
    while (e > p && (is_ws(e[-1]) || e[-1] == ','))
        e--;
    *name = (span){p, e};
    return tag;
}

/* ---- interning ------------------------------------------------------------------------- */

static uint32_t fnv1a(span s)
{
    uint32_t h = 2166136261u;
    for (const char *p = s.p; p < s.end; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    return h;
}

static bool arena_eq(const oui_loader *L, uint32_t off, span s)
{
    size_t n = (size_t)(s.end - s.p);
    return memcmp(L->o->arena + off, s.p, n) == 0 && L->o->arena[off + n] == '\0';
}

static ssf_rc intern_grow(oui_loader *L)
{
    size_t cap = L->intern_cap ? L->intern_cap * 2 : 1u << 15;
    uint32_t *t = calloc(cap, sizeof *t);
    if (!t) return SSF_ENOMEM;
    for (size_t i = 0; i < L->intern_cap; i++) {
        uint32_t v = L->intern[i];
        if (!v) continue;
        const char *str = L->o->arena + v - 1;
        size_t j = fnv1a((span){str, str + strlen(str)}) & (cap - 1);
        while (t[j])
            j = (j + 1) & (cap - 1);
        t[j] = v;
    }
    free(L->intern);
    L->intern = t;
    L->intern_cap = cap;
    return SSF_OK;
}

static ssf_rc arena_append(oui_loader *L, span s, uint32_t *off)
{
    size_t n = (size_t)(s.end - s.p);
    if (L->arena_len + n + 1 > L->arena_cap) {
        size_t cap = L->arena_cap ? L->arena_cap * 2 : 1u << 20;
        while (cap < L->arena_len + n + 1)
            cap *= 2;
        if (cap > UINT32_MAX) return SSF_ENOMEM;
        char *a = realloc(L->o->arena, cap);
        if (!a) return SSF_ENOMEM;
        L->o->arena = a;
        L->arena_cap = cap;
    }
    memcpy(L->o->arena + L->arena_len, s.p, n);
    L->o->arena[L->arena_len + n] = '\0';
    *off = (uint32_t)L->arena_len;
    L->arena_len += n + 1;
    return SSF_OK;
}

/* Returns the arena offset of name, adding it on first sight. */
static ssf_rc intern(oui_loader *L, span name, uint32_t *off)
{
    if (2 * (L->intern_n + 1) > L->intern_cap && intern_grow(L) != SSF_OK) return SSF_ENOMEM;
    size_t mask = L->intern_cap - 1;
    size_t j = fnv1a(name) & mask;
    for (; L->intern[j]; j = (j + 1) & mask) {
        if (arena_eq(L, L->intern[j] - 1, name)) {
            *off = L->intern[j] - 1;
            return SSF_OK;
        }
    }
    if (arena_append(L, name, off) != SSF_OK) return SSF_ENOMEM;
    L->intern[j] = *off + 1;
    L->intern_n++;
    return SSF_OK;
}

/* ---- parsing --------------------------------------------------------------------------- */

static ssf_rc raw_push(oui_loader *L, int lvl, uint64_t key, span name)
{
    raw_vec *r = &L->raw[lvl];
    uint32_t off;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 4096;
        raw_entry *v = realloc(r->v, cap * sizeof *v);
        if (!v) return SSF_ENOMEM;
        r->v = v;
        r->cap = cap;
    }
    if (intern(L, name, &off) != SSF_OK) return SSF_ENOMEM;
    r->v[r->n++] = (raw_entry){key, off, L->seq++};
    return SSF_OK;
}

static void count_bad(oui_loader *L, const oui_parse *ps)
{
    sig_oui_stats_t *st = &L->o->st;
    if (st->malformed++ == 0) {
        st->first_bad_file = ps->f->name;
        st->first_bad_line = ps->lineno;
    }
}

/* oui.txt: the "(hex)" line is the entry. mam/oui36/iab: the "(hex)" line gives the 24-bit
 * parent and the "(base 16)" line below it gives the block inside that parent. */
static ssf_rc parse_line(oui_loader *L, oui_parse *ps, const char *s, const char *e)
{
    span tok, name;
    uint32_t suffix;
    unsigned bits = lvl_bits[ps->f->lvl];
    line_tag tag = split_line(s, e, &tok, &name);
    if (tag == TAG_NONE) return SSF_OK;
    if (tag == TAG_HEX) {
        ps->have_parent = parse_oui24(tok, &ps->parent) && name.p < name.end;
        if (!ps->have_parent) count_bad(L, ps);
        if (!ps->have_parent || bits != 24) return SSF_OK;
        return raw_push(L, ps->f->lvl, ps->parent, name);
    }
    if (bits == 24) return SSF_OK; /* oui.txt repeats each block in base 16; already added */
    if (!ps->have_parent || !parse_range(tok, bits, &suffix) || name.p == name.end) {
        count_bad(L, ps);
        return SSF_OK;
    }
    ps->have_parent = false;
    return raw_push(L, ps->f->lvl, (uint64_t)ps->parent << (bits - 24) | suffix, name);
}

static ssf_rc parse_buf(oui_loader *L, const oui_file *f, const char *buf, size_t len)
{
    oui_parse ps = {.f = f};
    const char *p = buf, *end = buf + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        ps.lineno++;
        if (parse_line(L, &ps, p, e) != SSF_OK) return SSF_ENOMEM;
        p = e + 1;
    }
    return SSF_OK;
}

/* ---- files ----------------------------------------------------------------------------- */

/* Reads the whole file into *buf (caller frees). A missing optional file leaves *buf NULL. */
static ssf_rc read_file(const char *path, bool required, char **buf, size_t *len, ssf_err *err)
{
    struct stat sb;
    FILE *fp = fopen(path, "rb");
    *buf = NULL;
    if (!fp && errno == ENOENT && !required) return SSF_OK;
    if (!fp)
        return ssf_err_set(err, SSF_EIO, NULL, 0,
                           "cannot open %s: %s; install the IEEE lists with "
                           "`apt-get install ieee-data` or pass --ieee-dir DIR",
                           path, strerror(errno));
    if (fstat(fileno(fp), &sb) != 0 || sb.st_size < 0) goto out_read_error;
    *len = (size_t)sb.st_size;
    if (!(*buf = malloc(*len + 1))) {
        fclose(fp);
        return ssf_err_set(err, SSF_ENOMEM, NULL, 0, "out of memory reading %s", path);
    }
    if (fread(*buf, 1, *len, fp) != *len) goto out_free_buf;
    fclose(fp);
    return SSF_OK;
out_free_buf:
    free(*buf);
    *buf = NULL;
out_read_error:
    fclose(fp);
    return ssf_err_set(err, SSF_EIO, NULL, 0, "cannot read %s: %s", path, strerror(errno));
}

static ssf_rc load_file(oui_loader *L, const char *dir, const oui_file *f, ssf_err *err)
{
    char path[PATH_MAX];
    char *buf;
    size_t len = 0;
    int n = snprintf(path, sizeof path, "%s/%s", dir, f->name);
    if (n < 0 || (size_t)n >= sizeof path)
        return ssf_err_set(err, SSF_EINVAL, NULL, 0, "ieee-data path too long: %s", dir);
    ssf_rc rc = read_file(path, f->required, &buf, &len, err);
    if (rc != SSF_OK || !buf) return rc;
    rc = parse_buf(L, f, buf, len);
    free(buf);
    if (rc != SSF_OK) return ssf_err_set(err, rc, NULL, 0, "out of memory loading %s", path);
    return SSF_OK;
}

/* ---- building the search arrays -------------------------------------------------------- */

static int raw_cmp(const void *a, const void *b)
{
    const raw_entry *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorts r, keeps the first listing of each key, and copies keys and names into one block. */
static ssf_rc build_level(oui_level *lv, raw_vec *r, size_t *dups)
{
    size_t n = 0;
    if (r->n == 0) return SSF_OK;
    qsort(r->v, r->n, sizeof *r->v, raw_cmp);
    for (size_t i = 0; i < r->n; i++)
        if (n == 0 || r->v[n - 1].key != r->v[i].key) r->v[n++] = r->v[i];
    *dups += r->n - n;
    /* keys first: uint64_t alignment then covers the uint32_t names that follow */
    lv->keys = malloc(n * (sizeof *lv->keys + sizeof *lv->names));
    if (!lv->keys) return SSF_ENOMEM;
    lv->names = (uint32_t *)(lv->keys + n);
    for (size_t i = 0; i < n; i++) {
        lv->keys[i] = r->v[i].key;
        lv->names[i] = r->v[i].name;
    }
    lv->n = n;
    return SSF_OK;
}

static ssf_rc build(oui_loader *L)
{
    sig_oui_t *o = L->o;
    for (int i = 0; i < LVL_N; i++)
        if (build_level(&o->lvl[i], &L->raw[i], &o->st.duplicates) != SSF_OK) return SSF_ENOMEM;
    o->st.s36 = o->lvl[LVL_36].n;
    o->st.m28 = o->lvl[LVL_28].n;
    o->st.l24 = o->lvl[LVL_24].n;
    if (L->arena_len) {
        char *a = realloc(o->arena, L->arena_len); /* give back the doubling slack */
        if (a) o->arena = a;
    }
    return SSF_OK;
}

static void loader_free(oui_loader *L)
{
    for (int i = 0; i < LVL_N; i++)
        free(L->raw[i].v);
    free(L->intern);
}

sig_oui_t *sig_oui_new(const char *dir, ssf_err *err)
{
    oui_loader L = {0};
    if (!dir) {
        ssf_err_set(err, SSF_EINVAL, NULL, 0, "no ieee-data directory given");
        return NULL;
    }
    if (!(L.o = calloc(1, sizeof *L.o))) goto out_nomem;
    for (size_t i = 0; i < SSF_ARRAY_LEN(oui_files); i++)
        if (load_file(&L, dir, &oui_files[i], err) != SSF_OK) goto out_free_loader;
    if (build(&L) != SSF_OK) goto out_nomem;
    loader_free(&L);
    return L.o;
out_nomem:
    ssf_err_set(err, SSF_ENOMEM, NULL, 0, "out of memory loading the MAC vendor registry");
out_free_loader:
    loader_free(&L);
    sig_oui_free(&L.o);
    return NULL;
}

void sig_oui_free(sig_oui_t **op)
{
    if (!op || !*op) return;
    sig_oui_t *o = *op;
    for (int i = 0; i < LVL_N; i++)
        free(o->lvl[i].keys); /* names share the block */
    free(o->arena);
    free(o);
    *op = NULL;
}

/* ---- lookup ---------------------------------------------------------------------------- */

/* Branch-free lower search: narrows to the last key <= key, then checks equality. The loop
 * runs log2(n) times whatever the data, which keeps the cost flat (~15 steps for 32k keys). */
static const char *level_find(const sig_oui_t *o, const oui_level *lv, uint64_t key)
{
    const uint64_t *base = lv->keys;
    size_t n = lv->n;
    if (n == 0) return NULL;
    while (n > 1) {
        size_t half = n / 2;
        base = base[half] <= key ? base + half : base;
        n -= half;
    }
    return *base == key ? o->arena + lv->names[base - lv->keys] : NULL;
}

const char *sig_oui_lookup_ex(const sig_oui_t *o, const uint8_t mac[6], sig_oui_kind *kind)
{
    sig_oui_kind k = SIG_OUI_UNKNOWN;
    const char *name = NULL;
    uint64_t m = (uint64_t)mac[0] << 40 | (uint64_t)mac[1] << 32 | (uint64_t)mac[2] << 24 |
                 (uint64_t)mac[3] << 16 | (uint64_t)mac[4] << 8 | mac[5];
    if (mac[0] & 0x01)
        k = SIG_OUI_MULTICAST;
    else if (mac[0] & 0x02)
        k = SIG_OUI_LOCAL;
    for (int i = 0; o && k == SIG_OUI_UNKNOWN && i < LVL_N; i++) {
        name = level_find(o, &o->lvl[i], m >> (48 - lvl_bits[i]));
        if (name) k = SIG_OUI_FOUND;
    }
    if (kind) *kind = k;
    return name;
}

const char *sig_oui_lookup(const sig_oui_t *o, const uint8_t mac[6])
{
    return sig_oui_lookup_ex(o, mac, NULL);
}

size_t sig_oui_count(const sig_oui_t *o)
{
    return o ? o->lvl[LVL_24].n + o->lvl[LVL_28].n + o->lvl[LVL_36].n : 0;
}

void sig_oui_stats(const sig_oui_t *o, sig_oui_stats_t *out)
{
    if (o)
        *out = o->st;
    else
        memset(out, 0, sizeof *out);
}
