/* idtable_internal.h - the id-to-name arrays that gen_table.cmake generates from
 * the signatures/data TSV files, and the one lookup they share. Private to signatures/. */
#ifndef SIG_IDTABLE_INTERNAL_H
#define SIG_IDTABLE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint16_t id;      /* registry number                         */
    const char *name; /* registry name, printable ASCII           */
} sig_idname_t;

/* Each array is sorted by id with no duplicates (the generator checks both). */
extern const sig_idname_t sig_cip_vendors[];
extern const size_t sig_cip_vendors_n;
extern const sig_idname_t sig_cip_device_types[];
extern const size_t sig_cip_device_types_n;
extern const sig_idname_t sig_bacnet_vendors[];
extern const size_t sig_bacnet_vendors_n;
extern const sig_idname_t sig_hart_vendors[];
extern const size_t sig_hart_vendors_n;
extern const sig_idname_t sig_profinet_vendors[];
extern const size_t sig_profinet_vendors_n;

#endif
