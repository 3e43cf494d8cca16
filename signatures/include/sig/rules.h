/* sig/rules.h - signature rules: evidence values in, identity claims out.
 *
 * The rule format is docs/signatures.md. A set is built in three steps: sig_set_new() with
 * the field names the caller can match on, one or more sig_set_add_*() calls, then
 * sig_set_compile(), which builds one Hyperscan database per field. After compile the set is
 * immutable and any number of threads may call sig_set_match() on it, each with its own
 * sig_scratch_t. Problems in rule files are reported through a diagnostic callback as
 * (file, line, message), every one of them, not only the first. */
#ifndef SIG_RULES_H
#define SIG_RULES_H

#include "ssf/common.h"

#include <stddef.h>

typedef struct sig_set sig_set_t;         /* fields in rules.c              */
typedef struct sig_scratch sig_scratch_t; /* per-thread Hyperscan scratch   */
typedef struct sig_rule sig_rule_t;       /* one rule, owned by its set     */

/* The outputs a rule can set: the identity outputs, then a weak-point kind. SIG_OUT_FINDING
 * is not an identity claim: identity code stops before it (SIG_OUT_IDENTITY). */
typedef enum {
    SIG_OUT_VENDOR = 0,
    SIG_OUT_MODEL,
    SIG_OUT_FIRMWARE,
    SIG_OUT_OS,
    SIG_OUT_TYPE,
    SIG_OUT_FINDING,
    SIG_OUT_COUNT
} sig_out;
#define SIG_OUT_IDENTITY SIG_OUT_FINDING /* outputs 0..this-1 are identity outputs */

#define SIG_OUT_MAX   128 /* an expanded output, NUL included; longer is cut      */
#define SIG_MATCH_MAX 16  /* matches one value can yield; more are dropped        */

/* "vendor", "model", "firmware", "os", "type", "finding" */
const char *sig_out_name(sig_out o);

/* The device-type vocabulary (docs/signatures.md), in its documented order. */
extern const char *const sig_device_types[];
extern const size_t sig_n_device_types;
bool sig_device_type_valid(const char *name);

/* A weak-point kind (signatures/data/weak_points.tsv, docs/findings.md). */
typedef struct {
    const char *kind;       /* "smbv1"                                                  */
    const char *severity;   /* low, medium, high, critical                              */
    const char *provisions; /* ETSI EN 303 645 provisions, comma separated: "5.5-1,5.6"   */
    const char *jcstar;     /* JC-STAR STAR-1 requirement, "-" when not mapped            */
    const char *desc;
} sig_weak_kind_t;
extern const sig_weak_kind_t sig_weak_kinds[];
extern const size_t sig_n_weak_kinds;
/* The kind named name, NULL when the table has no such kind. */
const sig_weak_kind_t *sig_weak_kind(const char *name);
/* 1 (low) .. 4 (critical), 0 for anything else: for ordering findings by severity. */
int sig_severity_rank(const char *severity);

/* Called once per problem found while loading, compiling or checking. file is the path given
 * to sig_set_add_file() (or the built-in file's name), line is 1-based (0: the whole file). */
typedef void (*sig_diag_fn)(void *ud, const char *file, unsigned line, const char *msg);

/* A set that accepts rules on the given fields (copied). NULL on allocation failure. */
sig_set_t *sig_set_new(const char *const *fields, size_t n_fields);
void sig_set_free(sig_set_t **sp);

/* Parses rules from text (name is what diagnostics call it). SSF_EINVAL when any rule in it
 * is wrong (all reported; the good rules are kept), SSF_ENOMEM. Patterns are compiled with
 * PCRE2 here, so PCRE2 syntax errors, $N beyond the capture count and patterns that match the
 * empty string are reported by this call. SSF_EINVAL without a report after compile. */
ssf_rc sig_set_add_text(sig_set_t *s, const char *name, const char *text, size_t len,
                        sig_diag_fn diag, void *ud);
/* Reads one file. SSF_EIO (reported as line 0) when it cannot be read. */
ssf_rc sig_set_add_file(sig_set_t *s, const char *path, sig_diag_fn diag, void *ud);
/* Every *.rules file of dir, in name order. SSF_EIO when dir cannot be read or holds none. */
ssf_rc sig_set_add_dir(sig_set_t *s, const char *dir, sig_diag_fn diag, void *ud);
/* The rules built into the binary (signatures/rules/). */
ssf_rc sig_set_add_builtin(sig_set_t *s, sig_diag_fn diag, void *ud);

/* Compiles every field's database. Pattern errors are reported at the rule's match line and
 * give SSF_EINVAL; the rules concerned are left out and the rest of the set is compiled, so
 * after SSF_EINVAL the set may still be checked and matched (sigs check does). Only SSF_ENOMEM
 * leaves it unusable. Call once. */
ssf_rc sig_set_compile(sig_set_t *s, sig_diag_fn diag, void *ud);

/* Runs every rule's examples and expects (after a successful compile). Returns SSF_EINVAL
 * if any example fails; *n_checked (optional) counts the examples run. */
ssf_rc sig_set_check_examples(const sig_set_t *s, sig_diag_fn diag, void *ud, size_t *n_checked);

typedef struct {
    size_t rules;   /* rules loaded                                        */
    size_t files;   /* files (or texts) loaded                             */
    size_t fields;  /* fields with at least one rule                       */
    size_t vendors; /* distinct literal vendor outputs (without $N)        */
    size_t examples;
} sig_set_stats_t;
sig_set_stats_t sig_set_stats(const sig_set_t *s);

/* Per-thread scratch for sig_set_match(), after compile: Hyperscan scratch cloned from the
 * set's, PCRE2 match data for the largest capture count, and the hit list. NULL on failure. */
sig_scratch_t *sig_scratch_new(const sig_set_t *s);
void sig_scratch_free(sig_scratch_t **sp);

/* One rule that matched a value, with its outputs expanded ("" when the rule does not set
 * that output or its expansion was empty). */
typedef struct {
    const sig_rule_t *rule;
    char out[SIG_OUT_COUNT][SIG_OUT_MAX];
} sig_match_t;

/* Matches value (len bytes, need not be NUL-terminated) of field against the set. Writes up to
 * max matches, in rule load order, and returns how many it wrote. An unknown field, or one
 * without rules, gives 0. Allocates nothing. Thread-safe with distinct scratches (a scratch
 * belongs to the set it was made for: another set's gives 0). */
size_t sig_set_match(const sig_set_t *s, sig_scratch_t *scratch, const char *field,
                     const char *value, size_t len, sig_match_t *out, size_t max);

/* The same, with the field given as its index in the array passed to sig_set_new() (so a
 * caller that keeps fields in a fixed order skips the name lookup). An index out of range
 * gives 0. */
size_t sig_set_match_idx(const sig_set_t *s, sig_scratch_t *scratch, size_t field,
                         const char *value, size_t len, sig_match_t *out, size_t max);

/* A rule's identity, for explanations. */
const char *sig_rule_id(const sig_rule_t *r);
const char *sig_rule_file(const sig_rule_t *r); /* file name without directories           */
unsigned sig_rule_line(const sig_rule_t *r);    /* line of its "rule" keyword             */
unsigned sig_rule_weight(const sig_rule_t *r);  /* 1..100                                  */
const char *sig_rule_desc(const sig_rule_t *r); /* "" when none                            */
/* `on peer`: its finding is raised on the device at the other end of the packet that carried
 * the evidence (a request names its sender; the weak point is the receiver's). */
bool sig_rule_on_peer(const sig_rule_t *r);

/* Calls fn for every rule, in load order (for `ssfscan sigs list`). */
void sig_set_each(const sig_set_t *s, void (*fn)(void *ud, const sig_rule_t *r), void *ud);
/* The rule's literal (not $N) output, "" when it has none or it uses $N. */
const char *sig_rule_output(const sig_rule_t *r, sig_out o);
/* Its fields, blank-separated, as written. */
const char *sig_rule_fields(const sig_rule_t *r);

#endif
