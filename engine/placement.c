/* IoT-SSF placement: each device's place on the two axes, its category and the requirement
 * strength that demands, from its inferred device type and then the site policy.
 *
 * The tables are data (signatures/data/iotssf_*.tsv) embedded as text and parsed once at
 * start-up, so a revision of the framework is a data change; an operator changes placement
 * through the policy file, without a rebuild. Each axis is overridden on its own, by the most
 * specific policy entry covering any of the device's addresses: a device line, then a zone
 * naming its MAC or IP, then the longest subnet, then a VLAN; the earlier line wins a tie. */
#include "eng/placement.h"

#include "site_internal.h"
#include "ssf/json.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* The embedded tables (signatures/gen_text.cmake). */
extern const char sig_iotssf_axes[];
extern const size_t sig_iotssf_axes_len;
extern const char sig_iotssf_placement[];
extern const size_t sig_iotssf_placement_len;
extern const char sig_iotssf_categories[];
extern const size_t sig_iotssf_categories_len;

#define TSV_COLS_MAX 6

struct eng_iotssf {
    char *text[3]; /* private copies, cut into fields in place */
    struct {
        const char *name, *meaning;
    } level[ENG_AXIS_COUNT][ENG_IOTSSF_LEVELS];
    eng_iotssf_type_t *types;
    size_t n_types;
    eng_iotssf_cell_t cell[ENG_IOTSSF_LEVELS][ENG_IOTSSF_LEVELS];
};

static const char *const persp_names[ENG_PERSP_COUNT] = {
    "product", "organisation", "staff", "inspection", "operator_auth", "social_support"};

const char *eng_perspective_name(unsigned bit_index)
{
    return bit_index < ENG_PERSP_COUNT ? persp_names[bit_index] : NULL;
}

/* A table being read: its name for messages, the line and its tab-separated fields. */
typedef struct {
    const char *file;
    unsigned line;
    char *col[TSV_COLS_MAX];
    unsigned n;
} tsv_t;

/* Cuts the next data line at *at into fields; false at the end. Comments and blanks skip. */
static bool tsv_next(tsv_t *t, char **at)
{
    while (**at) {
        char *s = *at, *nl = strchr(s, '\n');
        if (nl) {
            *nl = '\0';
            *at = nl + 1;
        } else {
            *at = s + strlen(s);
        }
        t->line++;
        if (!*s || *s == '#') continue;
        t->n = 0;
        for (char *f = s; f && t->n < TSV_COLS_MAX; t->n++) {
            t->col[t->n] = f;
            if ((f = strchr(f, '\t'))) *f++ = '\0';
        }
        return true;
    }
    return false;
}

static bool level_of(const char *s, uint8_t *out)
{
    if (s[0] < '1' || s[0] > '4' || s[1]) return false;
    *out = (uint8_t)(s[0] - '0');
    return true;
}

static ssf_rc tsv_fail(const tsv_t *t, ssf_err *err, const char *why)
{
    return ssf_err_set(err, SSF_EINVAL, t->file, t->line, "%s:%u: %s", t->file, t->line, why);
}

static ssf_rc parse_axes(eng_iotssf_t *t, char *text, ssf_err *err)
{
    tsv_t r = {.file = "signatures/data/iotssf_axes.tsv"};
    uint8_t lv;
    while (tsv_next(&r, &text)) {
        int a = !strcmp(r.col[0], "human")      ? ENG_AXIS_HUMAN
                : !strcmp(r.col[0], "economic") ? ENG_AXIS_ECONOMIC
                                                : -1;
        if (r.n != 4 || a < 0 || !level_of(r.col[1], &lv))
            return tsv_fail(&r, err, "expected axis<TAB>level 1..4<TAB>name<TAB>meaning");
        if (t->level[a][lv - 1].name) return tsv_fail(&r, err, "level given twice");
        t->level[a][lv - 1].name = r.col[2];
        t->level[a][lv - 1].meaning = r.col[3];
    }
    for (int a = 0; a < ENG_AXIS_COUNT; a++)
        for (int l = 0; l < ENG_IOTSSF_LEVELS; l++)
            if (!t->level[a][l].name) return tsv_fail(&r, err, "an axis level is missing");
    return SSF_OK;
}

static ssf_rc parse_types(eng_iotssf_t *t, char *text, ssf_err *err)
{
    tsv_t r = {.file = "signatures/data/iotssf_placement.tsv"};
    if (!(t->types = calloc(sig_n_device_types, sizeof *t->types)))
        return ssf_err_set(err, SSF_ENOMEM, NULL, 0, "out of memory");
    while (tsv_next(&r, &text)) {
        eng_iotssf_type_t row = {.type = r.col[0], .line = r.line};
        if (r.n != 4 || !level_of(r.col[1], &row.human) || !level_of(r.col[2], &row.economic))
            return tsv_fail(&r, err, "expected type<TAB>human 1..4<TAB>economic 1..4<TAB>reason");
        if (!sig_device_type_valid(row.type))
            return tsv_fail(&r, err, "not a device type of the vocabulary");
        if (eng_iotssf_type(t, row.type)) return tsv_fail(&r, err, "device type placed twice");
        row.reason = r.col[3];
        t->types[t->n_types++] = row;
    }
    for (size_t i = 0; i < sig_n_device_types; i++)
        if (!eng_iotssf_type(t, sig_device_types[i]))
            return ssf_err_set(err, SSF_EINVAL, r.file, 0, "%s: device type '%s' is not placed",
                               r.file, sig_device_types[i]);
    return SSF_OK;
}

static bool parse_perspectives(char *s, unsigned *out)
{
    *out = 0;
    for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
        unsigned i = 0;
        while (i < ENG_PERSP_COUNT && strcmp(tok, persp_names[i]))
            i++;
        if (i == ENG_PERSP_COUNT) return false;
        *out |= 1u << i;
    }
    return *out != 0;
}

static ssf_rc parse_cells(eng_iotssf_t *t, char *text, ssf_err *err)
{
    tsv_t r = {.file = "signatures/data/iotssf_categories.tsv"};
    uint8_t h, e, st;
    while (tsv_next(&r, &text)) {
        unsigned persp;
        if (r.n != 5 || !level_of(r.col[0], &h) || !level_of(r.col[1], &e) ||
            !level_of(r.col[3], &st) || !*r.col[2] || !parse_perspectives(r.col[4], &persp))
            return tsv_fail(&r, err,
                            "expected human<TAB>economic<TAB>category<TAB>strength 1..4<TAB>"
                            "perspectives");
        eng_iotssf_cell_t *c = &t->cell[h - 1][e - 1];
        if (c->category) return tsv_fail(&r, err, "cell given twice");
        *c = (eng_iotssf_cell_t){r.col[2], st, persp, r.line};
    }
    for (int i = 0; i < ENG_IOTSSF_LEVELS; i++)
        for (int k = 0; k < ENG_IOTSSF_LEVELS; k++)
            if (!t->cell[i][k].category)
                return ssf_err_set(err, SSF_EINVAL, r.file, 0,
                                   "%s: cell human %d economic %d "
                                   "has no category",
                                   r.file, i + 1, k + 1);
    return SSF_OK;
}

static char *dup_text(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

eng_iotssf_t *eng_iotssf_parse(const char *axes, size_t axes_len, const char *placement,
                               size_t placement_len, const char *categories, size_t cat_len,
                               ssf_err *err)
{
    eng_iotssf_t *t = calloc(1, sizeof *t);
    if (!t) goto out_nomem;
    t->text[0] = dup_text(axes, axes_len);
    t->text[1] = dup_text(placement, placement_len);
    t->text[2] = dup_text(categories, cat_len);
    if (!t->text[0] || !t->text[1] || !t->text[2]) goto out_free;
    if (parse_axes(t, t->text[0], err) || parse_types(t, t->text[1], err) ||
        parse_cells(t, t->text[2], err))
        goto out_free_quiet;
    return t;
out_free:
    eng_iotssf_free(&t);
out_nomem:
    ssf_err_set(err, SSF_ENOMEM, NULL, 0, "out of memory");
    return NULL;
out_free_quiet:
    eng_iotssf_free(&t);
    return NULL;
}

void eng_iotssf_free(eng_iotssf_t **tp)
{
    if (!tp || !*tp) return;
    eng_iotssf_t *t = *tp;
    for (int i = 0; i < 3; i++)
        free(t->text[i]);
    free(t->types);
    free(t);
    *tp = NULL;
}

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static eng_iotssf_t *builtin;
static ssf_err builtin_err;

static void builtin_load(void)
{
    builtin = eng_iotssf_parse(sig_iotssf_axes, sig_iotssf_axes_len, sig_iotssf_placement,
                               sig_iotssf_placement_len, sig_iotssf_categories,
                               sig_iotssf_categories_len, &builtin_err);
}

const eng_iotssf_t *eng_iotssf_builtin(ssf_err *err)
{
    pthread_once(&builtin_once, builtin_load);
    if (!builtin && err) *err = builtin_err;
    return builtin;
}

const eng_iotssf_type_t *eng_iotssf_type(const eng_iotssf_t *t, const char *type)
{
    for (size_t i = 0; i < t->n_types; i++)
        if (!strcmp(t->types[i].type, type)) return &t->types[i];
    return NULL;
}

const eng_iotssf_cell_t *eng_iotssf_cell(const eng_iotssf_t *t, unsigned human, unsigned economic)
{
    if (human < 1 || human > 4 || economic < 1 || economic > 4) return NULL;
    return &t->cell[human - 1][economic - 1];
}

const char *eng_iotssf_level_name(const eng_iotssf_t *t, eng_axis a, unsigned level)
{
    return a < ENG_AXIS_COUNT && level >= 1 && level <= 4 ? t->level[a][level - 1].name : NULL;
}

const char *eng_iotssf_level_meaning(const eng_iotssf_t *t, eng_axis a, unsigned level)
{
    return a < ENG_AXIS_COUNT && level >= 1 && level <= 4 ? t->level[a][level - 1].meaning : NULL;
}

void eng_site_set_policy(eng_site_t *s, const eng_policy_t *p)
{
    s->policy = p;
}

/* The best-scoring entry of kind k over every host of d that sets the axis (human or not). */
static const eng_policy_entry_t *best_entry(const eng_policy_t *p, eng_pol_kind k,
                                            const eng_device_t *d, bool human, unsigned *score)
{
    const eng_policy_entry_t *best = NULL;
    for (size_t i = 0; i < eng_policy_count(p, k); i++) {
        const eng_policy_entry_t *e = eng_policy_entry(p, k, i);
        if (!(human ? e->human : e->economic)) continue;
        for (size_t h = 0; h < d->hosts.n; h++) {
            const eng_host_t *ho = d->hosts.v[h];
            eng_policy_host_t ph = {ho->has_mac ? ho->mac : NULL, ho->has_ip ? &ho->ip : NULL,
                                    ho->vlans, ho->n_vlans};
            unsigned sc = eng_policy_match(p, e, &ph);
            if (sc > *score) {
                *score = sc;
                best = e;
            }
        }
    }
    return best;
}

static const eng_policy_entry_t *axis_override(const eng_policy_t *p, const eng_device_t *d,
                                               bool human)
{
    unsigned score = 0;
    const eng_policy_entry_t *dev = best_entry(p, ENG_POL_DEVICE, d, human, &score);
    if (dev) return dev;
    return best_entry(p, ENG_POL_ZONE, d, human, &score);
}

static void place_device(const eng_iotssf_t *t, const eng_policy_t *p, eng_device_t *d)
{
    const eng_cand_t *c = eng_identity_top(d, SIG_OUT_TYPE);
    const eng_iotssf_type_t *row = eng_iotssf_type(t, c ? c->value : "unknown");
    if (!row) row = eng_iotssf_type(t, "unknown");
    d->place.row = row;
    d->place.human = row->human;
    d->place.economic = row->economic;
    if (p) {
        d->place.by[0] = axis_override(p, d, true);
        d->place.by[1] = axis_override(p, d, false);
        if (d->place.by[0]) d->place.human = d->place.by[0]->human;
        if (d->place.by[1]) d->place.economic = d->place.by[1]->economic;
    }
    const eng_iotssf_cell_t *cell = eng_iotssf_cell(t, d->place.human, d->place.economic);
    d->place.category = cell->category;
    d->place.strength = cell->strength;
    d->place.perspectives = cell->perspectives;
    d->place.cell_line = cell->line;
}

static bool entry_covers(const eng_policy_t *p, const eng_policy_entry_t *e, const eng_device_t *d)
{
    for (size_t h = 0; h < d->hosts.n; h++) {
        const eng_host_t *ho = d->hosts.v[h];
        eng_policy_host_t ph = {ho->has_mac ? ho->mac : NULL, ho->has_ip ? &ho->ip : NULL,
                                ho->vlans, ho->n_vlans};
        if (eng_policy_match(p, e, &ph)) return true;
    }
    return false;
}

/* The first system line covering the device, or the first after `after` (NULL: from the
 * top). One system per device: the map draws a device once, and a device counted in two
 * systems would weigh twice in the fix-first order. */
static const eng_policy_entry_t *system_of(const eng_policy_t *p, const eng_device_t *d,
                                           const eng_policy_entry_t *after)
{
    bool past = !after;
    for (size_t i = 0; p && i < eng_policy_count(p, ENG_POL_SYSTEM); i++) {
        const eng_policy_entry_t *e = eng_policy_entry(p, ENG_POL_SYSTEM, i);
        if (past && entry_covers(p, e, d)) return e;
        past = past || e == after;
    }
    return NULL;
}

void eng_placement_build(eng_site_t *s)
{
    for (size_t i = 0; i < s->devices.n; i++)
        s->devices.v[i]->system = system_of(s->policy, s->devices.v[i], NULL);
    /* The tables are checked by the unit tests; if they were ever broken the inventory is
     * still written, with devices left unplaced (human 0), rather than lost. */
    const eng_iotssf_t *t = eng_iotssf_builtin(NULL);
    if (!t) return;
    for (size_t i = 0; i < s->devices.n; i++)
        place_device(t, s->policy, s->devices.v[i]);
}

/* A system is as critical as its most critical part: harm done through any member is harm
 * done to the system, so each axis takes its highest member unless the line sets it. */
void eng_system_place(const eng_site_t *s, const eng_policy_entry_t *e, eng_system_place_t *out)
{
    *out = (eng_system_place_t){0};
    for (size_t i = 0; i < s->devices.n; i++) {
        const eng_device_t *d = s->devices.v[i];
        if (d->system != e || !d->place.human) continue;
        if (d->place.human > out->human) out->human = d->place.human;
        if (d->place.economic > out->economic) out->economic = d->place.economic;
    }
    if (e->human) out->human = e->human;
    if (e->economic) out->economic = e->economic;
    const eng_iotssf_t *t = eng_iotssf_builtin(NULL);
    const eng_iotssf_cell_t *cell = t ? eng_iotssf_cell(t, out->human, out->economic) : NULL;
    if (!cell) {
        out->human = out->economic = 0;
        return;
    }
    out->category = cell->category;
    out->strength = cell->strength;
    out->perspectives = cell->perspectives;
    out->cell_line = cell->line;
}

void eng_system_json(ssf_json_t *j, const eng_device_t *d)
{
    ssf_json_str(j, "system", d->system ? d->system->name : NULL);
}

/* "device_type:plc", or the policy line that moved an axis (human's first). */
static const char *placement_source(const eng_site_t *s, const eng_device_t *d, char *buf,
                                    size_t len)
{
    const eng_policy_entry_t *by = d->place.by[0] ? d->place.by[0] : d->place.by[1];
    if (by && s->policy)
        snprintf(buf, len, "policy:%s:%u", eng_policy_file(s->policy), by->line);
    else
        snprintf(buf, len, "device_type:%s", d->place.row->type);
    return buf;
}

static void placement_obj(ssf_json_t *j, const eng_site_t *s, const eng_device_t *d)
{
    char src[320];
    if (!d->place.human) {
        ssf_json_str(j, "placement", NULL);
        return;
    }
    ssf_json_obj_begin(j, "placement");
    ssf_json_u64(j, "human", d->place.human);
    ssf_json_u64(j, "economic", d->place.economic);
    ssf_json_str(j, "category", d->place.category);
    ssf_json_u64(j, "required_strength", d->place.strength);
    ssf_json_arr_begin(j, "perspectives");
    for (unsigned b = 0; b < ENG_PERSP_COUNT; b++)
        if (d->place.perspectives & (1u << b)) ssf_json_str(j, NULL, persp_names[b]);
    ssf_json_arr_end(j);
    ssf_json_str(j, "source", placement_source(s, d, src, sizeof src));
    ssf_json_obj_end(j);
}

void eng_placement_json(ssf_json_t *j, const eng_site_t *s, const eng_device_t *d)
{
    placement_obj(j, s, d);
    eng_system_json(j, d);
}

void eng_system_place_json(ssf_json_t *j, const eng_site_t *s, const eng_policy_entry_t *e,
                           const eng_system_place_t *sp)
{
    char src[320];
    if (!sp->human) {
        ssf_json_str(j, "placement", NULL);
        return;
    }
    ssf_json_obj_begin(j, "placement");
    ssf_json_u64(j, "human", sp->human);
    ssf_json_u64(j, "economic", sp->economic);
    ssf_json_str(j, "category", sp->category);
    ssf_json_u64(j, "required_strength", sp->strength);
    ssf_json_arr_begin(j, "perspectives");
    for (unsigned b = 0; b < ENG_PERSP_COUNT; b++)
        if (sp->perspectives & (1u << b)) ssf_json_str(j, NULL, persp_names[b]);
    ssf_json_arr_end(j);
    if (e->human || e->economic)
        snprintf(src, sizeof src, "policy:%s:%u", eng_policy_file(s->policy), e->line);
    else
        snprintf(src, sizeof src, "members");
    ssf_json_str(j, "source", src);
    ssf_json_obj_end(j);
}

static const char *const pol_kind_words[ENG_POL_KIND_COUNT] = {"zone", "device", "workstation",
                                                               "internet", "system"};

static void explain_axis(FILE *f, const eng_site_t *s, const eng_device_t *d, int a)
{
    const eng_iotssf_t *t = eng_iotssf_builtin(NULL);
    unsigned lv = a == ENG_AXIS_HUMAN ? d->place.human : d->place.economic;
    fprintf(f, "  placement.%s = %u (%s: %s)\n", a == ENG_AXIS_HUMAN ? "human" : "economic", lv,
            eng_iotssf_level_name(t, (eng_axis)a, lv),
            eng_iotssf_level_meaning(t, (eng_axis)a, lv));
    const eng_policy_entry_t *by = d->place.by[a];
    if (by)
        fprintf(f, "      because policy %s:%u (%s %s) sets %s %u\n", eng_policy_file(s->policy),
                by->line, pol_kind_words[by->kind], by->name,
                a == ENG_AXIS_HUMAN ? "human" : "economic", lv);
    else
        fprintf(f, "      because device type %s is placed so (iotssf_placement.tsv:%u: %s)\n",
                d->place.row->type, d->place.row->line, d->place.row->reason);
}

static void explain_axis_of_system(FILE *f, const eng_policy_entry_t *e, unsigned lv, bool human)
{
    const char *axis = human ? "human" : "economic";
    if (human ? e->human : e->economic)
        fprintf(f, "      %s %u: set by the line\n", axis, lv);
    else
        fprintf(f,
                "      %s %u: the highest among its members (a system is as critical as its "
                "most critical part)\n",
                axis, lv);
}

/* Which system the map places the device in, by which line, how the system is placed, and
 * the later system lines that cover it too but do not take it. */
static void explain_system(FILE *f, const eng_site_t *s, const eng_device_t *d)
{
    const eng_policy_t *p = s->policy;
    if (!p || !eng_policy_count(p, ENG_POL_SYSTEM)) return;
    const eng_policy_entry_t *e = d->system;
    if (!e) {
        fprintf(f, "  system = none\n      because no system line of %s covers it\n",
                eng_policy_file(p));
        return;
    }
    eng_system_place_t sp;
    eng_system_place(s, e, &sp);
    fprintf(f,
            "  system = %s\n      because policy %s:%u (system %s) covers it; the map and the "
            "fix-first order show the system as one mark\n",
            e->name, eng_policy_file(p), e->line, e->name);
    if (sp.human) {
        fprintf(f,
                "      the system is placed at human %u, economic %u: %s, required strength %u\n",
                sp.human, sp.economic, sp.category, sp.strength);
        explain_axis_of_system(f, e, sp.human, true);
        explain_axis_of_system(f, e, sp.economic, false);
    }
    for (const eng_policy_entry_t *o = system_of(p, d, e); o; o = system_of(p, d, o))
        fprintf(f,
                "      policy %s:%u (system %s) covers it too, but a device belongs to the "
                "first system line that covers it\n",
                eng_policy_file(p), o->line, o->name);
}

void eng_placement_explain(FILE *f, const eng_site_t *s, const eng_device_t *d)
{
    if (!d->place.human) {
        fprintf(f, "  placement = none\n      because the IoT-SSF tables did not load\n");
        return;
    }
    explain_axis(f, s, d, ENG_AXIS_HUMAN);
    explain_axis(f, s, d, ENG_AXIS_ECONOMIC);
    fprintf(f, "  placement.category = %s, required strength %u, perspectives", d->place.category,
            d->place.strength);
    for (unsigned b = 0; b < ENG_PERSP_COUNT; b++)
        if (d->place.perspectives & (1u << b)) fprintf(f, " %s", persp_names[b]);
    fprintf(f, "\n      because cell (%u, %u) is so in iotssf_categories.tsv:%u\n", d->place.human,
            d->place.economic, d->place.cell_line);
    explain_system(f, s, d);
}
