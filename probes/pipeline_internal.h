/* pipeline_internal.h - the balanced split's share controller, exposed for its unit test. */
#ifndef PROBE_PIPELINE_INTERNAL_H
#define PROBE_PIPELINE_INTERNAL_H

#include <stddef.h>

#define PL_ADAPT_STEP 0.01
#define PL_SHARE_MAX  0.9

/* Worker 0's next target share, from the fullest other worker's ring: backlog bytes of cap.
 * Up a step while that ring is over half full, down a step while it is under 1/32 full, but
 * never below base nor above PL_SHARE_MAX; unchanged in between. */
double probe_pipeline_share_next(double share, double base, size_t backlog, size_t cap);

#endif
