/* Loading both sides and comparing them: what compare, report and gate
 * share once their options are parsed. */
#include <stdio.h>

#include "ab_run.h"

int bb_ab_run(struct bb_ab_args *a, const char *cmd, struct bb_side *sa, struct bb_side *sb,
	      struct bb_comparison *c)
{
	char err[1024];
	/* both empty, so either can be freed whichever load fails */
	*sa = (struct bb_side){ 0 };
	*sb = (struct bb_side){ 0 };
	if (bb_side_load(sa, "baseline", a->baseline, a->nbaseline, &a->opts, stderr, err, sizeof(err)) < 0 ||
	    bb_side_load(sb, "candidate", a->candidate, a->ncandidate, &a->opts, stderr, err, sizeof(err)) < 0 ||
	    bb_compare(sa, sb, &a->opts, a->nmetrics ? a->metrics : NULL, a->nmetrics, c, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench %s: %s\n", cmd, err);
		bb_side_free(sa);
		bb_side_free(sb);
		return -1;
	}
	return 0;
}

