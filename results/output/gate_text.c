#include <math.h>
#include <stdio.h>

#include "ab_stats.h"
#include "gate_verdict.h"
#include "report.h"

void bb_gate_describe(const struct bb_gate_verdict *v, double alpha, char *buf, size_t len)
{
	const struct bb_compare_row *r = v->row;
	char p[16];
	bb_format_p(r->p, p, sizeof(p));
	snprintf(buf, len, "%s: %+.1f%% (%g%% CI %+.1f%%..%+.1f%%), p%s%s, limit +%g%% at p < %g", r->label, r->change_pct,
		 100 * (1 - alpha), r->ci_lo_pct, r->ci_hi_pct, p[0] == '<' ? "" : "=", p, v->limit, alpha);
}

void bb_power_describe(const struct bb_compare_row *r, size_t units, const char *unit, double alpha, double power,
		       double target_pct, char *buf, size_t len)
{
	if (isnan(r->mde_pct)) {
		snprintf(buf, len, "%s: the detectable change is unknown (no ratio)", r->label);
		return;
	}
	int used = snprintf(buf, len, "%s: n=%zu%s a side detects changes >= %.1f%% here (%.0f%% power at alpha %g)",
			    r->label, units, unit, r->mde_pct, 100 * power, alpha);
	if (used < 0 || (size_t)used >= len || !(target_pct > 0) || r->mde_pct <= target_pct)
		return;
	double needed = bb_units_for_mde((double)units, log1p(r->mde_pct / 100), log1p(target_pct / 100));
	snprintf(buf + used, len - (size_t)used, "; about %.0f%s a side would detect %g%%", ceil(needed), unit,
		 target_pct);
}

size_t bb_power_units(const struct bb_comparison *c, const struct bb_compare_row *r, const char **unit)
{
	if (c->blocks_a > 1 || c->blocks_b > 1) {
		/* where one side is blocked by machine, the smaller count may be
		 * of either kind: name the kind only when both sides share it */
		*unit = c->by_host_a && c->by_host_b ? " machines" : c->by_host_a || c->by_host_b ? " blocks" : " runs";
		return c->blocks_a < c->blocks_b ? c->blocks_a : c->blocks_b;
	}
	*unit = "";
	return r->na < r->nb ? r->na : r->nb;
}
