#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "errorf.h"
#include "gate_verdict.h"

int bb_step_summary_append(const char *path, const struct bb_gate_verdict *v, size_t n, size_t failures,
			   double alpha, char *err, size_t errlen)
{
	FILE *f = fopen(path, "a");
	if (!f) {
		bb_errorf(err, errlen, "cannot append to GITHUB_STEP_SUMMARY %s: %s", path, strerror(errno));
		return -1;
	}
	fprintf(f, "### bootbench gate: %s\n\n| metric | change | 95%% CI | p | limit | result |\n"
		   "|---|---:|---:|---:|---:|---|\n",
		failures ? "regression" : "pass");
	for (size_t i = 0; i < n; i++) {
		const struct bb_compare_row *r = v[i].row;
		fprintf(f, "| `%s` | %+.1f%% | %+.1f%%..%+.1f%% | %.4g | +%g%% (p < %g) | %s |\n", r->name, r->change_pct,
			r->ci_lo_pct, r->ci_hi_pct, r->p, v[i].limit, alpha, v[i].regressed ? "**regressed**" : "pass");
	}
	fputc('\n', f);
	fclose(f);
	return 0;
}
