/* eng/risk.h - posture per device and per policy system, and the site risk map: risk.json
 * (schema ssfscan.risk/1, docs/risk-schema.md), the findings NDJSON stream and the
 * self-contained HTML report.
 *
 * The HTML renderer reads a parsed risk.json (json-c), never the site: `ssfscan scan` writes
 * risk.json and renders from what it wrote, `ssfscan report` from a saved file, so both show
 * exactly what the document says. */
#ifndef ENG_RISK_H
#define ENG_RISK_H

#include "eng/site.h"

#include <stdbool.h>
#include <stdio.h>

#define ENG_RISK_SCHEMA "ssfscan.risk/1"

/* Assurance a device's findings show, 1..4: 4 minus how far the worst finding's severity
 * (sig_severity_rank: 0 none, 1 low .. 4 critical) falls below "low". critical 1, high 2,
 * medium 3, low or none 4. */
unsigned eng_assurance(int worst_severity_rank);
/* required - assurance, 0 when the assurance meets the requirement (or nothing is required). */
unsigned eng_gap(unsigned required, unsigned assurance);

/* The sort key of the "fix first" order. */
typedef struct eng_posture_key {
    unsigned gap, required;
    int worst; /* worst finding's severity rank, 0 none */
    const char *id;
} eng_posture_key_t;
/* qsort order: gap desc, required strength desc, worst severity desc, device id asc. */
int eng_posture_cmp(const eng_posture_key_t *a, const eng_posture_key_t *b);

/* risk.json for a finalized site. */
ssf_rc eng_site_write_risk(const eng_site_t *s, FILE *f, const eng_report_meta_t *meta);
/* One line per finding: {"type":"finding","schema":...,"site","device","ips",...}. */
ssf_rc eng_site_write_findings_ndjson(const eng_site_t *s, FILE *f, const eng_report_meta_t *meta);

struct json_object;
/* The HTML report of a parsed risk.json. SSF_EINVAL (reason in *err) when the document is not
 * ssfscan.risk/1. */
ssf_rc eng_report_html(const struct json_object *risk, FILE *f, ssf_err *err);

/* Escapers for values from the network: text and attribute values in HTML (& < > " ' escaped),
 * and a JSON string body inside a <script> element (also < > & / and U+2028/9 as \uXXXX, so no
 * "</script>" or "<!--" can end or bend the element). */
void eng_html_puts(FILE *f, const char *s);
void eng_js_puts(FILE *f, const char *s);

#endif
