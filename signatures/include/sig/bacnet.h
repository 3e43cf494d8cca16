/* sig/bacnet.h - names for BACnet vendor identifiers (ASHRAE's list).
 *
 * Built from signatures/data/bacnet_vendors.tsv at build time; no allocation, no file access,
 * thread-safe. */
#ifndef SIG_BACNET_H
#define SIG_BACNET_H

#include <stddef.h>
#include <stdint.h>

/* Registry name of a BACnet vendor id ("Johnson Controls, Inc."), or NULL when the table does
 * not list it. The string is static. */
const char *sig_bacnet_vendor(uint16_t id);
/* Rows in the table. */
size_t sig_bacnet_vendor_count(void);

#endif
