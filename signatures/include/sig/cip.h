/* sig/cip.h - names for CIP (EtherNet/IP) vendor ids and device types.
 *
 * The names come from signatures/data/cip_vendors.tsv and cip_device_types.tsv, compiled into
 * sorted arrays at build time: no file is read and nothing is allocated at run time. All
 * functions are thread-safe. */
#ifndef SIG_CIP_H
#define SIG_CIP_H

#include <stddef.h>
#include <stdint.h>

/* Registry name of an ODVA vendor id ("Rockwell Automation/Allen-Bradley"), or NULL when the
 * table does not list it. The string is static. */
const char *sig_cip_vendor(uint16_t id);
/* Name of a CIP device profile ("Programmable Logic Controller"), or NULL. Static string. */
const char *sig_cip_device_type(uint16_t t);
/* Rows in each table (for load messages and tests). */
size_t sig_cip_vendor_count(void);
size_t sig_cip_device_type_count(void);

#endif
