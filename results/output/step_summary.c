#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "errorf.h"
#include "gate_verdict.h"

int bb_step_summary_append(const char *path, const struct bb_gate_verdict *v, size_t n, size_t failures,
			   double alpha, const char *const *warnings, size_t nwarnings, char *err, size_t errlen)
{
	FILE *f = fopen(path, "a");
	if (!f) {
		bb_errorf(err, errlen, "cannot append to GITHUB_STEP_SUMMARY %s: %s", path, strerror(errno));
		return -1;
	}
	fprintf(f, "### bootbench gate: %s\n\n", failures ? "regression" : "pass");
	for (size_t i = 0; i < nwarnings; i++)
		fprintf(f, "> **Warning:** %s\n>\n", warnings[i]);
	fprintf(f, "%s| metric | change | %g%% CI | p | detectable | limit | result |\n"
		   "|---|---:|---:|---:|---:|---:|---|\n", nwarnings ? "\n" : "", 100 * (1 - alpha));
	for (size_t i = 0; i < n; i++) {
		const struct bb_compare_row *r = v[i].row;
		fprintf(f, "| `%s` | %+.1f%% | %+.1f%%..%+.1f%% | %.4g | >= %.1f%% | +%g%% (p < %g) | %s |\n", r->label,
			r->change_pct, r->ci_lo_pct, r->ci_hi_pct, r->p, r->mde_pct, v[i].limit, alpha,
			v[i].regressed ? "**regressed**" : v[i].underpowered ? "pass, underpowered" : "pass");
	}
	fputc('\n', f);
	if (ferror(f) | (fclose(f) != 0)) {
		bb_errorf(err, errlen, "cannot write GITHUB_STEP_SUMMARY %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
