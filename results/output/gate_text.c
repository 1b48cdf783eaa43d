#include <stdio.h>

#include "gate_verdict.h"

void bb_gate_describe(const struct bb_gate_verdict *v, double alpha, char *buf, size_t len)
{
	const struct bb_compare_row *r = v->row;
	snprintf(buf, len, "%s: %+.1f%% (95%% CI %+.1f%%..%+.1f%%), p=%.4g, limit +%g%% at p < %g", r->name,
		 r->change_pct, r->ci_lo_pct, r->ci_hi_pct, r->p, v->limit, alpha);
}
