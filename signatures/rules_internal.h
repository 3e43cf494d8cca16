/* rules_internal.h - what the rule parser (rules.c), the compiler/matcher (rules_hs.c) and the
 * loaders (rules_load.c) share. Not installed: callers see only sig/rules.h. */
#ifndef SIG_RULES_INTERNAL_H
#define SIG_RULES_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include "sig/rules.h"

#include <hs/hs.h>
#include <pcre2.h>

#define SIG_ID_MAX            63     /* longest rule id, per docs/signatures.md */
#define SIG_PCRE2_MATCH_LIMIT 100000 /* backtracking steps per value, ~1 ms worst case */

typedef struct {
    sig_out key;   /* output the example must give                     */
    char *text;    /* expected expansion                               */
    unsigned line; /* line of the expect key                           */
} sig_expect_t;

typedef struct {
    char *value; /* unescaped example bytes, NUL-terminated           */
    size_t len;  /* bytes in value (may hold \x00)                    */
    unsigned line;
    sig_expect_t *expects;
    size_t n_expects;
} sig_example_t;

struct sig_rule {
    char id[SIG_ID_MAX + 1];
    const char *path; /* file as given to add_*, owned by the set          */
    const char *base; /* path without directories                          */
    unsigned line;    /* "rule" keyword                                    */
    unsigned match_line;
    size_t index;      /* load order; also the Hyperscan expression id      */
    char *fields_text; /* as written                                        */
    uint16_t *fields;  /* indexes into the set's field names                */
    size_t n_fields;
    char *pattern;              /* between the slashes                           */
    unsigned hs_flags;          /* HS_FLAG_* from the rule's flags               */
    pcre2_code *re;             /* for $N expansion and examples                 */
    uint32_t n_caps;            /* PCRE2_INFO_CAPTURECOUNT                       */
    char *out[SIG_OUT_COUNT];   /* raw output text, NULL when unset           */
    bool dollar[SIG_OUT_COUNT]; /* output uses $N or $$ and needs expansion   */
    unsigned weight;
    bool on_peer; /* `on peer`: the finding is about the other end of the packet   */
    char *desc;
    sig_example_t *examples;
    size_t n_examples;
    bool bad; /* rejected by Hyperscan at compile: never reported as a match */
};

/* One Hyperscan database: every rule of one field. */
typedef struct {
    hs_database_t *db; /* NULL when the field has no rule                 */
    uint64_t hash;     /* of the expressions it was built from            */
    uint32_t *rules;   /* rule indexes, in load order                     */
    size_t n;
} sig_fielddb_t;

/* A rule id seen so far, good or bad, so duplicates are found across files. */
typedef struct {
    char id[SIG_ID_MAX + 1];
    const char *path;
    unsigned line;
} sig_seen_t;

struct sig_set {
    char **fields; /* matchable names, copied                               */
    size_t n_fields;
    sig_rule_t **rules; /* kept rules, in load order                         */
    size_t n_rules, cap_rules;
    char **paths; /* every file/text name loaded (rules point into these)  */
    size_t n_paths;
    sig_seen_t *seen;
    size_t n_seen, cap_seen;
    sig_fielddb_t *dbs;     /* one per field, after compile                      */
    hs_scratch_t *proto;    /* scratch big enough for every db, cloned per thread */
    size_t max_field_rules; /* largest db, sizes the per-scratch hit array     */
    uint32_t max_caps;      /* largest capture count, sizes match data          */
    bool compiled;
    bool open_fields; /* any field name is accepted and added (sig_set_new_open) */
};

/* A set that takes every field name its rules use: for tools that compile rules without the
 * probes' field table (signatures/tools/gendb.c). */
sig_set_t *sig_set_new_open(void);

/* Databases serialized at build time from the built-in rules (signatures/tools/gendb.c writes
 * them; the library links the generated table, the tool an empty one). */
typedef struct {
    const char *field;
    uint64_t hash; /* sig_db_hash of the expressions it holds */
    const unsigned char *db;
    size_t len;
} sig_prebuilt_t;
extern const sig_prebuilt_t sig_prebuilt[];
extern const size_t sig_prebuilt_n;

/* For the tool: the serialized database of each field that has one. */
typedef void (*sig_db_fn)(void *ud, const char *field, uint64_t hash, const char *bytes,
                          size_t len);
ssf_rc sig_set_each_db(const sig_set_t *s, sig_db_fn fn, void *ud);

struct sig_scratch {
    const sig_set_t *set;
    hs_scratch_t *hs;
    pcre2_match_data *md;
    pcre2_match_context *mctx; /* caps backtracking: one bad pattern cannot stall a thread */
    uint32_t *hits;            /* rule indexes Hyperscan reported for one value          */
    size_t n_hits;
    size_t cap_hits;
};

/* Index of a field name in the set, -1 when unknown. */
int sig_set_field_index(const sig_set_t *s, const char *name, size_t len);
void sig_rule_free(sig_rule_t **rp);
/* Formats a diagnostic and calls diag (when set). */
void sig_diagf(sig_diag_fn diag, void *ud, const char *file, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Expands one output of r for the value PCRE2 last matched into scratch->md (rc: pcre2_match
 * result, <= 0 when it did not match). */
void sig_expand(const sig_rule_t *r, sig_out o, const char *value, int rc, pcre2_match_data *md,
                char *dst, size_t cap);

#endif
