/* sig/plant_ids.h - names for HART manufacturer ids and PROFINET vendor ids.
 *
 * The names come from signatures/data/hart_vendors.tsv and profinet_vendors.tsv, compiled into
 * sorted arrays at build time: no file is read and nothing is allocated at run time. All
 * functions are thread-safe. */
#ifndef SIG_PLANT_IDS_H
#define SIG_PLANT_IDS_H

#include <stddef.h>
#include <stdint.h>

/* FieldComm Group manufacturer name of a HART manufacturer id ("Rosemount"), or NULL when the
 * table does not list it. The string is static. */
const char *sig_hart_vendor(uint16_t id);
/* PI name of a PROFINET vendor id ("Siemens"), or NULL. Static string. */
const char *sig_profinet_vendor(uint16_t id);
/* Rows in each table (for load messages and tests). */
size_t sig_hart_vendor_count(void);
size_t sig_profinet_vendor_count(void);

#endif
