/* The prebuilt-database table gendb itself links: it builds the databases, so has none. */
#include "../rules_internal.h"

const sig_prebuilt_t sig_prebuilt[] = {{NULL, 0, NULL, 0}};
const size_t sig_prebuilt_n = 0;
