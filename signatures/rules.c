/* rules.c - the rule set and the rule-file parser (docs/signatures.md). Parsing never stops at
 * the first problem: each bad line is reported, the rule it belongs to is dropped, and the
 * rules around it are kept, so one `sigs check` run lists everything to fix. */
#include "rules_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

const char *const sig_device_types[] = {
    "plc",
    "rtu",
    "safety_controller",
    "protection_relay",
    "hmi",
    "engineering_workstation",
    "historian",
    "scada_server",
    "opc_server",
    "industrial_gateway",
    "industrial_switch",
    "bms_controller",
    "hvac_controller",
    "lighting_controller",
    "access_control",
    "fire_alarm_panel",
    "elevator_controller",
    "ev_charger",
    "smart_meter",
    "inverter",
    "ups_pdu",
    "ip_camera",
    "nvr",
    "printer",
    "voip_phone",
    "media_player",
    "smart_speaker",
    "smart_home_hub",
    "smart_plug",
    "thermostat",
    "home_appliance",
    "medical_device",
    "router",
    "network_switch",
    "wireless_ap",
    "firewall",
    "nas",
    "server",
    "workstation",
    "mobile_device",
    "unknown",
};
const size_t sig_n_device_types = SSF_ARRAY_LEN(sig_device_types);

static const char *const sig_out_names[SIG_OUT_COUNT] = {"vendor", "model", "firmware",
                                                         "os",     "type",  "finding"};

const char *sig_out_name(sig_out o)
{
    return (unsigned)o < SIG_OUT_COUNT ? sig_out_names[o] : "?";
}

bool sig_device_type_valid(const char *name)
{
    for (size_t i = 0; i < sig_n_device_types; i++)
        if (!strcmp(name, sig_device_types[i])) return true;
    return false;
}

const sig_weak_kind_t *sig_weak_kind(const char *name)
{
    for (size_t i = 0; i < sig_n_weak_kinds; i++)
        if (!strcmp(name, sig_weak_kinds[i].kind)) return &sig_weak_kinds[i];
    return NULL;
}

int sig_severity_rank(const char *severity)
{
    static const char *const ranks[] = {"low", "medium", "high", "critical"};
    for (size_t i = 0; i < SSF_ARRAY_LEN(ranks); i++)
        if (!strcmp(severity, ranks[i])) return (int)i + 1;
    return 0;
}

void sig_diagf(sig_diag_fn diag, void *ud, const char *file, unsigned line, const char *fmt, ...)
{
    if (!diag) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag(ud, file, line, msg);
}

/* ---- the set ---------------------------------------------------------------------------- */

sig_set_t *sig_set_new(const char *const *fields, size_t n_fields)
{
    sig_set_t *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    if (n_fields > UINT16_MAX) goto out_free_set;
    if (n_fields && !(s->fields = calloc(n_fields, sizeof *s->fields))) goto out_free_set;
    for (size_t i = 0; i < n_fields; i++) {
        if (!(s->fields[i] = strdup(fields[i]))) goto out_free_fields;
        s->n_fields = i + 1;
    }
    return s;
out_free_fields:
    for (size_t i = 0; i < s->n_fields; i++)
        free(s->fields[i]);
    free(s->fields);
out_free_set:
    free(s);
    return NULL;
}

sig_set_t *sig_set_new_open(void)
{
    sig_set_t *s = sig_set_new(NULL, 0);
    if (s) s->open_fields = true;
    return s;
}

/* Appends a field name to an open set; its index, or -1. */
static int sig_set_field_add(sig_set_t *s, const char *name, size_t len)
{
    if (s->n_fields >= UINT16_MAX) return -1;
    char **nf = realloc(s->fields, (s->n_fields + 1) * sizeof *nf);
    if (!nf) return -1;
    s->fields = nf;
    if (!(s->fields[s->n_fields] = strndup(name, len))) return -1;
    return (int)s->n_fields++;
}

void sig_rule_free(sig_rule_t **rp)
{
    if (!rp || !*rp) return;
    sig_rule_t *r = *rp;
    free(r->fields_text);
    free(r->fields);
    free(r->pattern);
    pcre2_code_free(r->re);
    for (int o = 0; o < SIG_OUT_COUNT; o++)
        free(r->out[o]);
    free(r->desc);
    for (size_t i = 0; i < r->n_examples; i++) {
        for (size_t j = 0; j < r->examples[i].n_expects; j++)
            free(r->examples[i].expects[j].text);
        free(r->examples[i].expects);
        free(r->examples[i].value);
    }
    free(r->examples);
    free(r);
    *rp = NULL;
}

void sig_set_free(sig_set_t **sp)
{
    if (!sp || !*sp) return;
    sig_set_t *s = *sp;
    if (s->dbs) {
        for (size_t i = 0; i < s->n_fields; i++) {
            hs_free_database(s->dbs[i].db);
            free(s->dbs[i].rules);
        }
        free(s->dbs);
    }
    hs_free_scratch(s->proto);
    for (size_t i = 0; i < s->n_rules; i++)
        sig_rule_free(&s->rules[i]);
    free(s->rules);
    for (size_t i = 0; i < s->n_paths; i++)
        free(s->paths[i]);
    free(s->paths);
    free(s->seen);
    for (size_t i = 0; i < s->n_fields; i++)
        free(s->fields[i]);
    free(s->fields);
    free(s);
    *sp = NULL;
}

int sig_set_field_index(const sig_set_t *s, const char *name, size_t len)
{
    for (size_t i = 0; i < s->n_fields; i++)
        if (strlen(s->fields[i]) == len && !memcmp(s->fields[i], name, len)) return (int)i;
    return -1;
}

sig_set_stats_t sig_set_stats(const sig_set_t *s)
{
    sig_set_stats_t st = {.rules = s->n_rules, .files = s->n_paths};
    for (size_t f = 0; f < s->n_fields; f++) {
        for (size_t i = 0; i < s->n_rules; i++) {
            const sig_rule_t *r = s->rules[i];
            bool has = false;
            for (size_t k = 0; k < r->n_fields && !has; k++)
                has = r->fields[k] == f;
            if (has) {
                st.fields++;
                break;
            }
        }
    }
    for (size_t i = 0; i < s->n_rules; i++) {
        const char *v = sig_rule_output(s->rules[i], SIG_OUT_VENDOR);
        st.examples += s->rules[i]->n_examples;
        if (!*v) continue;
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++)
            dup = !strcmp(v, sig_rule_output(s->rules[j], SIG_OUT_VENDOR));
        st.vendors += !dup;
    }
    return st;
}

void sig_set_each(const sig_set_t *s, void (*fn)(void *ud, const sig_rule_t *r), void *ud)
{
    for (size_t i = 0; i < s->n_rules; i++)
        fn(ud, s->rules[i]);
}

const char *sig_rule_id(const sig_rule_t *r)
{
    return r->id;
}
const char *sig_rule_file(const sig_rule_t *r)
{
    return r->base;
}
unsigned sig_rule_line(const sig_rule_t *r)
{
    return r->line;
}
unsigned sig_rule_weight(const sig_rule_t *r)
{
    return r->weight;
}
const char *sig_rule_desc(const sig_rule_t *r)
{
    return r->desc ? r->desc : "";
}
bool sig_rule_on_peer(const sig_rule_t *r)
{
    return r->on_peer;
}
const char *sig_rule_fields(const sig_rule_t *r)
{
    return r->fields_text ? r->fields_text : "";
}
const char *sig_rule_output(const sig_rule_t *r, sig_out o)
{
    if ((unsigned)o >= SIG_OUT_COUNT || !r->out[o] || r->dollar[o]) return "";
    return r->out[o];
}

/* ---- the parser ------------------------------------------------------------------------- */

enum {
    K_FIELD,
    K_MATCH,
    K_OUT0,
    K_WEIGHT = K_OUT0 + SIG_OUT_COUNT,
    K_DESC,
    K_ON,
    K_EXAMPLE,
    K_EXPECT,
    K_COUNT
};

static const char *const sig_key_names[K_COUNT] = {
    "field",   "match",  "vendor", "model", "firmware", "os",    "type",
    "finding", "weight", "desc",   "on",    "example",  "expect"};

typedef struct {
    sig_set_t *s;
    const char *path; /* owned by s->paths                                  */
    sig_diag_fn diag;
    void *ud;
    unsigned errors;            /* in this text                                    */
    sig_rule_t *r;              /* rule being read, NULL between rules             */
    unsigned rule_errors;       /* errors when r began                            */
    unsigned key_line[K_COUNT]; /* first line of each key in r, 0 if absent */
    bool skipping;              /* after a bad column-0 line, until the next rule */
    bool enomem;
} sig_parser_t;

__attribute__((format(printf, 3, 4))) static void perr(sig_parser_t *p, unsigned line,
                                                       const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->errors++;
    if (p->diag) p->diag(p->ud, p->path, line, msg);
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool sig_id_valid(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > SIG_ID_MAX) return false;
    if (!islower((unsigned char)id[0]) && !isdigit((unsigned char)id[0])) return false;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)id[i];
        if (!islower(c) && !isdigit(c) && c != '.' && c != '_' && c != '-') return false;
    }
    return true;
}

static void sig_seen_add(sig_parser_t *p, const char *id, unsigned line)
{
    sig_set_t *s = p->s;
    for (size_t i = 0; i < s->n_seen; i++) {
        if (strcmp(s->seen[i].id, id)) continue;
        perr(p, line, "duplicate rule id '%s' (first at %s:%u)", id, s->seen[i].path,
             s->seen[i].line);
        return;
    }
    if (s->n_seen == s->cap_seen) {
        size_t cap = s->cap_seen ? 2 * s->cap_seen : 64;
        sig_seen_t *n = realloc(s->seen, cap * sizeof *n);
        if (!n) {
            p->enomem = true;
            return;
        }
        s->seen = n;
        s->cap_seen = cap;
    }
    sig_seen_t *e = &s->seen[s->n_seen++];
    ssf_strlcpy(e->id, id, sizeof e->id);
    e->path = p->path;
    e->line = line;
}

static void sig_rule_begin(sig_parser_t *p, const char *id, unsigned line)
{
    p->rule_errors = p->errors;
    memset(p->key_line, 0, sizeof p->key_line);
    if (!(p->r = calloc(1, sizeof *p->r))) {
        p->enomem = true;
        return;
    }
    p->r->line = p->r->match_line = line;
    p->r->weight = 50;
    p->r->path = p->path;
    const char *slash = strrchr(p->path, '/');
    p->r->base = slash ? slash + 1 : p->path;
    if (!*id) {
        perr(p, line, "'rule' needs an id: rule ID");
        return;
    }
    if (!sig_id_valid(id)) {
        perr(p, line, "bad rule id '%.80s': use [a-z0-9][a-z0-9._-]*, at most %d characters", id,
             SIG_ID_MAX);
        return;
    }
    ssf_strlcpy(p->r->id, id, sizeof p->r->id);
    sig_seen_add(p, id, line);
}

/* "$N" references in output o: each N must name a capture group of the pattern. */
static void sig_check_dollars(sig_parser_t *p, sig_out o)
{
    const sig_rule_t *r = p->r;
    const char *t = r->out[o];
    unsigned line = p->key_line[K_OUT0 + o];
    for (size_t i = 0; t[i]; i++) {
        if (t[i] != '$') continue;
        char c = t[i + 1];
        if (c == '$') {
            i++;
        } else if (c >= '0' && c <= '9') {
            i++;
            if (r->re && (uint32_t)(c - '0') > r->n_caps)
                perr(p, line, "$%c in %s, but the pattern has %u capture group%s", c,
                     sig_out_name(o), r->n_caps, r->n_caps == 1 ? "" : "s");
        } else {
            perr(p, line, "bad '$' in %s: use $0..$9 for a capture, or $$ for a dollar",
                 sig_out_name(o));
            return;
        }
    }
}

static void sig_rule_check_expects(sig_parser_t *p)
{
    const sig_rule_t *r = p->r;
    for (size_t i = 0; i < r->n_examples; i++)
        for (size_t j = 0; j < r->examples[i].n_expects; j++) {
            const sig_expect_t *e = &r->examples[i].expects[j];
            if (!r->out[e->key])
                perr(p, e->line, "expect %s, but rule %s has no %s output", sig_out_name(e->key),
                     r->id, sig_out_name(e->key));
        }
}

static void sig_rule_end(sig_parser_t *p)
{
    sig_rule_t *r = p->r;
    if (!r) return;
    const char *id = r->id[0] ? r->id : "?";
    if (!p->key_line[K_FIELD]) perr(p, r->line, "rule %s has no 'field'", id);
    if (!p->key_line[K_MATCH]) perr(p, r->line, "rule %s has no 'match'", id);
    bool any_out = false;
    for (int o = 0; o < SIG_OUT_COUNT; o++) {
        if (!r->out[o]) continue;
        any_out = true;
        if (r->dollar[o]) sig_check_dollars(p, (sig_out)o);
    }
    if (!any_out)
        perr(p, r->line, "rule %s has no output (vendor, model, firmware, os, type or finding)",
             id);
    if (!r->n_examples) perr(p, r->line, "rule %s has no 'example'", id);
    if (r->on_peer && !r->out[SIG_OUT_FINDING])
        perr(p, p->key_line[K_ON], "'on peer' needs a 'finding': identity is never the peer's");
    sig_rule_check_expects(p);

    sig_set_t *s = p->s;
    if (p->errors != p->rule_errors || p->enomem) goto out_drop;
    if (s->n_rules == s->cap_rules) {
        size_t cap = s->cap_rules ? 2 * s->cap_rules : 64;
        sig_rule_t **n = realloc(s->rules, cap * sizeof *n);
        if (!n) {
            p->enomem = true;
            goto out_drop;
        }
        s->rules = n;
        s->cap_rules = cap;
    }
    r->index = s->n_rules;
    s->rules[s->n_rules++] = r;
    p->r = NULL;
    return;
out_drop:
    sig_rule_free(&p->r);
}

static void sig_key_field(sig_parser_t *p, char *v, unsigned line)
{
    sig_rule_t *r = p->r;
    size_t n = 0;
    for (char *q = v; *q;) {
        while (is_blank(*q))
            q++;
        if (!*q) break;
        n++;
        while (*q && !is_blank(*q))
            q++;
    }
    if (!n) {
        perr(p, line, "'field' needs one or more field names");
        return;
    }
    if (!(r->fields = calloc(n, sizeof *r->fields)) || !(r->fields_text = strdup(v))) {
        p->enomem = true;
        return;
    }
    for (char *q = v; *q;) {
        while (is_blank(*q))
            q++;
        if (!*q) break;
        char *name = q;
        while (*q && !is_blank(*q))
            q++;
        size_t len = (size_t)(q - name);
        int f = sig_set_field_index(p->s, name, len);
        if (f < 0 && p->s->open_fields) f = sig_set_field_add(p->s, name, len);
        if (f < 0) {
            perr(p, line, "unknown field '%.*s' (ssfscan sigs fields lists them)", (int)len, name);
            continue;
        }
        bool twice = false;
        for (size_t k = 0; k < r->n_fields; k++)
            twice |= r->fields[k] == f;
        if (twice) {
            perr(p, line, "field '%.*s' is listed twice", (int)len, name);
            continue;
        }
        r->fields[r->n_fields++] = (uint16_t)f;
    }
}

/* The pattern must match something: one that matches "" would fire on every value. */
static bool sig_matches_empty(const pcre2_code *re)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    if (!md) return false;
    int rc = pcre2_match(re, (PCRE2_SPTR) "", 0, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0;
}

static void sig_key_match(sig_parser_t *p, const char *v, unsigned line)
{
    sig_rule_t *r = p->r;
    r->match_line = line;
    const char *last = strrchr(v, '/');
    if (v[0] != '/' || last == v) {
        perr(p, line, "'match' wants /REGEX/FLAGS, got '%.80s'", v);
        return;
    }
    uint32_t opts = 0;
    for (const char *f = last + 1; *f; f++) {
        unsigned hs = *f == 'i' ? HS_FLAG_CASELESS : *f == 's' ? HS_FLAG_DOTALL : 0;
        if (!hs || (r->hs_flags & hs)) {
            perr(p, line,
                 "bad flags '%s' after the pattern: i (caseless) and s (dot matches "
                 "newline), each at most once",
                 last + 1);
            return;
        }
        r->hs_flags |= hs;
        opts |= *f == 'i' ? PCRE2_CASELESS : PCRE2_DOTALL;
    }
    size_t len = (size_t)(last - v - 1);
    if (!len) {
        perr(p, line, "empty pattern");
        return;
    }
    if (!(r->pattern = strndup(v + 1, len))) {
        p->enomem = true;
        return;
    }
    int err;
    PCRE2_SIZE off;
    r->re = pcre2_compile((PCRE2_SPTR)r->pattern, len, opts, &err, &off, NULL);
    if (!r->re) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(err, msg, sizeof msg);
        perr(p, line, "bad pattern: PCRE2 error at offset %zu: %s", (size_t)off, (char *)msg);
        return;
    }
    pcre2_pattern_info(r->re, PCRE2_INFO_CAPTURECOUNT, &r->n_caps);
    if (sig_matches_empty(r->re))
        perr(p, line, "pattern matches the empty string, so it would match every value");
    /* JIT is an optimisation only: without it pcre2_match interprets. */
    (void)pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE);
}

static void sig_key_output(sig_parser_t *p, sig_out o, const char *v, unsigned line)
{
    sig_rule_t *r = p->r;
    if (!*v) {
        perr(p, line, "'%s' needs a value", sig_out_name(o));
        return;
    }
    r->dollar[o] = strchr(v, '$') != NULL;
    if (o == SIG_OUT_TYPE) {
        bool ref = v[0] == '$' && v[1] >= '0' && v[1] <= '9' && !v[2];
        if (r->dollar[o] ? !ref : !sig_device_type_valid(v)) {
            perr(p, line, "unknown device type '%.80s' (docs/signatures.md lists them; or $N)", v);
            return;
        }
    }
    /* A finding is a fixed kind from the table, never text taken from the value: the kind
     * selects severity and provisions, so it must be known when the rule is loaded. */
    if (o == SIG_OUT_FINDING && (r->dollar[o] || !sig_weak_kind(v))) {
        perr(p, line, "unknown finding kind '%.80s' (docs/findings.md lists them; $N not allowed)",
             v);
        return;
    }
    if (!(r->out[o] = strdup(v))) p->enomem = true;
}

static void sig_key_weight(sig_parser_t *p, const char *v, unsigned line)
{
    unsigned w = 0;
    size_t i = 0;
    for (; v[i] >= '0' && v[i] <= '9' && i < 4; i++)
        w = w * 10 + (unsigned)(v[i] - '0');
    if (!i || v[i] || w < 1 || w > 100) {
        perr(p, line, "weight must be a whole number from 1 to 100, not '%.40s'", v);
        return;
    }
    p->r->weight = w;
}

static void sig_key_on(sig_parser_t *p, const char *v, unsigned line)
{
    if (strcmp(v, "self") && strcmp(v, "peer")) {
        perr(p, line, "'on' wants self or peer, not '%.40s'", v);
        return;
    }
    p->r->on_peer = !strcmp(v, "peer");
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Unescapes a "..." string in place into out (same size or shorter). Returns the length, or -1
 * with *why set. */
static long sig_unquote(const char *v, char *out, const char **why)
{
    size_t n = 0;
    if (*v != '"') {
        *why = "must be a double-quoted string";
        return -1;
    }
    for (v++; *v != '"'; v++) {
        if (!*v) {
            *why = "has no closing quote";
            return -1;
        }
        if (*v != '\\') {
            out[n++] = *v;
            continue;
        }
        v++;
        if (*v == '"' || *v == '\\') {
            out[n++] = *v;
        } else if (*v == 't') {
            out[n++] = '\t';
        } else if (*v == 'x' && hexval(v[1]) >= 0 && hexval(v[2]) >= 0) {
            out[n++] = (char)(hexval(v[1]) << 4 | hexval(v[2]));
            v += 2;
        } else {
            *why = "has a bad escape (use \\\", \\\\, \\t or \\xNN)";
            return -1;
        }
    }
    if (v[1]) {
        *why = "has text after the closing quote";
        return -1;
    }
    out[n] = 0;
    return (long)n;
}

static void sig_key_example(sig_parser_t *p, const char *v, unsigned line)
{
    sig_rule_t *r = p->r;
    char *buf = malloc(strlen(v) + 1);
    if (!buf) {
        p->enomem = true;
        return;
    }
    const char *why = NULL;
    long n = sig_unquote(v, buf, &why);
    if (n < 0) {
        perr(p, line, "bad quoting: example %s", why);
        goto out_free;
    }
    if (n == 0) {
        perr(p, line, "empty example");
        goto out_free;
    }
    sig_example_t *ex = realloc(r->examples, (r->n_examples + 1) * sizeof *ex);
    if (!ex) {
        p->enomem = true;
        goto out_free;
    }
    r->examples = ex;
    r->examples[r->n_examples++] = (sig_example_t){.value = buf, .len = (size_t)n, .line = line};
    return;
out_free:
    free(buf);
}

static void sig_key_expect(sig_parser_t *p, char *v, unsigned line)
{
    sig_rule_t *r = p->r;
    if (!r->n_examples) {
        perr(p, line, "'expect' without a preceding 'example'");
        return;
    }
    char *text = v;
    while (*text && !is_blank(*text))
        text++;
    size_t klen = (size_t)(text - v);
    while (is_blank(*text))
        text++;
    int key = -1;
    for (int o = 0; o < SIG_OUT_COUNT; o++)
        if (strlen(sig_out_names[o]) == klen && !memcmp(v, sig_out_names[o], klen)) key = o;
    if (key < 0 || !*text) {
        perr(p, line,
             "'expect' wants OUTPUT TEXT, OUTPUT one of vendor, model, firmware, os, "
             "type, finding");
        return;
    }
    sig_example_t *ex = &r->examples[r->n_examples - 1];
    sig_expect_t *e = realloc(ex->expects, (ex->n_expects + 1) * sizeof *e);
    if (!e) {
        p->enomem = true;
        return;
    }
    ex->expects = e;
    char *t = strdup(text);
    if (!t) {
        p->enomem = true;
        return;
    }
    ex->expects[ex->n_expects++] = (sig_expect_t){.key = (sig_out)key, .text = t, .line = line};
}

static void sig_key(sig_parser_t *p, char *key, char *v, unsigned line)
{
    int k = -1;
    for (int i = 0; i < K_COUNT; i++)
        if (!strcmp(key, sig_key_names[i])) k = i;
    if (k < 0) {
        perr(p, line,
             "unknown key '%.40s' (expected field, match, vendor, model, firmware, os, type, "
             "finding, weight, desc, on, example, expect)",
             key);
        return;
    }
    if (k != K_EXAMPLE && k != K_EXPECT && p->key_line[k]) {
        perr(p, line, "'%s' given twice (first at line %u)", key, p->key_line[k]);
        return;
    }
    if (!p->key_line[k]) p->key_line[k] = line;
    if (k == K_FIELD)
        sig_key_field(p, v, line);
    else if (k == K_MATCH)
        sig_key_match(p, v, line);
    else if (k < K_WEIGHT)
        sig_key_output(p, (sig_out)(k - K_OUT0), v, line);
    else if (k == K_WEIGHT)
        sig_key_weight(p, v, line);
    else if (k == K_DESC)
        p->enomem |= !(p->r->desc = strdup(v));
    else if (k == K_ON)
        sig_key_on(p, v, line);
    else if (k == K_EXAMPLE)
        sig_key_example(p, v, line);
    else
        sig_key_expect(p, v, line);
}

/* One line, NUL-terminated, without its newline. */
static void sig_line(sig_parser_t *p, char *l, unsigned line)
{
    size_t n = strlen(l);
    while (n && (is_blank(l[n - 1]) || l[n - 1] == '\r'))
        l[--n] = 0;
    char *q = l;
    while (is_blank(*q))
        q++;
    if (!*q || *q == '#') return;
    char *key = q;
    while (*q && !is_blank(*q))
        q++;
    if (*q) *q++ = 0;
    while (is_blank(*q))
        q++;
    if (key == l) { /* column 0: only "rule ID" may start there */
        sig_rule_end(p);
        p->skipping = strcmp(key, "rule") != 0;
        if (p->skipping)
            perr(p, line, "expected 'rule ID' at column 0 (keys are indented), got '%.40s'", key);
        else
            sig_rule_begin(p, q, line);
        return;
    }
    if (p->skipping) return;
    if (!p->r) {
        perr(p, line, "'%.40s' outside a rule: a rule starts with 'rule ID' at column 0", key);
        p->skipping = true;
        return;
    }
    sig_key(p, key, q, line);
}

static char *sig_set_keep_path(sig_set_t *s, const char *name)
{
    char **n = realloc(s->paths, (s->n_paths + 1) * sizeof *n);
    if (!n) return NULL;
    s->paths = n;
    if (!(n[s->n_paths] = strdup(name))) return NULL;
    return n[s->n_paths++];
}

ssf_rc sig_set_add_text(sig_set_t *s, const char *name, const char *text, size_t len,
                        sig_diag_fn diag, void *ud)
{
    if (!s || (!text && len) || s->compiled) return SSF_EINVAL;
    sig_parser_t p = {.s = s, .diag = diag, .ud = ud};
    if (!(p.path = sig_set_keep_path(s, name ? name : "(text)"))) return SSF_ENOMEM;
    char *buf = malloc(len + 1);
    if (!buf) return SSF_ENOMEM;
    if (len) memcpy(buf, text, len);
    buf[len] = 0;
    unsigned line = 1;
    for (char *l = buf; l <= buf + len && !p.enomem; line++) {
        char *nl = memchr(l, '\n', (size_t)(buf + len - l));
        char *end = nl ? nl : buf + len;
        *end = 0;
        if ((size_t)(end - l) != strlen(l))
            perr(&p, line, "NUL byte in the line (rule files are text)");
        else
            sig_line(&p, l, line);
        if (!nl) break;
        l = nl + 1;
    }
    sig_rule_end(&p);
    free(buf);
    if (p.enomem) return SSF_ENOMEM;
    return p.errors ? SSF_EINVAL : SSF_OK;
}
