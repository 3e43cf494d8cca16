/* probe/dpi_snprintf.h - the process's __snprintf_chk is probes/dpi_snprintf.c's fast path
 * for the fixed formats nDPI prints its fingerprints with (see there). */
#ifndef PROBE_DPI_SNPRINTF_H
#define PROBE_DPI_SNPRINTF_H

#include <stdbool.h>

/* Whether the dynamic linker resolves __snprintf_chk to the fast path, for every library of
 * the process. False where something linked in first defines it too, as a sanitizer runtime
 * may (only a weak definition, which the fast path still overrides). */
bool probe_dpi_snprintf_in_use(void);

#endif
