/* eng/placement.h - IoT-SSF placement: the axis, default-placement and category tables
 * (signatures/data/iotssf_*.tsv, embedded and parsed at start-up) and a site's policy.
 * Format and meaning: docs/iotssf.md. */
#ifndef ENG_PLACEMENT_H
#define ENG_PLACEMENT_H

#include "eng/policy.h"
#include "eng/site.h"

typedef struct eng_iotssf eng_iotssf_t;

#define ENG_IOTSSF_LEVELS 4

typedef enum { ENG_AXIS_HUMAN = 0, ENG_AXIS_ECONOMIC, ENG_AXIS_COUNT } eng_axis;

/* Requirement perspectives, as bits. */
enum {
    ENG_PERSP_PRODUCT = 1u << 0,        /* technical confirmation in manufacturing: product */
    ENG_PERSP_ORGANISATION = 1u << 1,   /* ... of the organisation                          */
    ENG_PERSP_STAFF = 1u << 2,          /* ... of the staff                                 */
    ENG_PERSP_INSPECTION = 1u << 3,     /* inspection during operation                      */
    ENG_PERSP_OPERATOR_AUTH = 1u << 4,  /* operator authentication (a licence)              */
    ENG_PERSP_SOCIAL_SUPPORT = 1u << 5, /* social support (compulsory insurance)            */
    ENG_PERSP_COUNT = 6
};
const char *eng_perspective_name(unsigned bit_index);

/* A default placement row. Strings point into the table. */
typedef struct eng_iotssf_type {
    const char *type;
    uint8_t human, economic;
    const char *reason;
    unsigned line; /* in iotssf_placement.tsv */
} eng_iotssf_type_t;

/* A cell of the map. */
typedef struct eng_iotssf_cell {
    const char *category;
    uint8_t strength; /* 1..4 */
    unsigned perspectives;
    unsigned line; /* in iotssf_categories.tsv */
} eng_iotssf_cell_t;

/* Parses the three tables; NULL with FILE:LINE in *err on the first problem. Every device type
 * of sig_device_types must be placed and every cell categorised. */
eng_iotssf_t *eng_iotssf_parse(const char *axes, size_t axes_len, const char *placement,
                               size_t placement_len, const char *categories, size_t cat_len,
                               ssf_err *err);
void eng_iotssf_free(eng_iotssf_t **t);
/* The built-in tables, parsed once for the process (thread-safe); NULL if they are broken,
 * with the reason in *err. */
const eng_iotssf_t *eng_iotssf_builtin(ssf_err *err);

const eng_iotssf_type_t *eng_iotssf_type(const eng_iotssf_t *t, const char *type);
const eng_iotssf_cell_t *eng_iotssf_cell(const eng_iotssf_t *t, unsigned human, unsigned economic);
/* "negligible", "household" ...; NULL out of range. */
const char *eng_iotssf_level_name(const eng_iotssf_t *t, eng_axis a, unsigned level);
const char *eng_iotssf_level_meaning(const eng_iotssf_t *t, eng_axis a, unsigned level);

/* The policy placement applies to (shared, read-only, must outlive the site; NULL: none). Set
 * it before eng_site_finalize(). */
void eng_site_set_policy(eng_site_t *s, const eng_policy_t *p);

#endif
