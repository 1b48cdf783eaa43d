/* Loading both sides and comparing them: what compare, report and gate
 * share once their options are parsed. */
#include <stdio.h>
#include <sys/stat.h>

#include "ab_run.h"
#include "errorf.h"

/* A file given twice (on one side or on both) would count its boots
 * twice, or compare a result with itself: refused by inode, so another
 * spelling of the same path is caught too. */
static int refuse_repeats(const struct bb_ab_args *a, char *err, size_t errlen)
{
	const char *paths[2 * BB_MAX_SIDE_FILES];
	const char *side[2 * BB_MAX_SIDE_FILES];
	struct stat st[2 * BB_MAX_SIDE_FILES];
	size_t n = 0;
	for (size_t i = 0; i < a->nbaseline; i++, n++) {
		paths[n] = a->baseline[i];
		side[n] = "baseline";
	}
	for (size_t i = 0; i < a->ncandidate; i++, n++) {
		paths[n] = a->candidate[i];
		side[n] = "candidate";
	}
	for (size_t i = 0; i < n; i++) {
		if (stat(paths[i], &st[i]) < 0) {
			st[i].st_ino = 0; /* the loader reports it */
			continue;
		}
		for (size_t j = 0; j < i; j++) {
			if (st[j].st_ino == 0 || st[j].st_ino != st[i].st_ino || st[j].st_dev != st[i].st_dev)
				continue;
			if (side[i] == side[j])
				bb_errorf(err, errlen, "%s is given twice on the %s side (as %s): each file once, or its boots count twice",
					 paths[i], side[i], paths[j]);
			else
				bb_errorf(err, errlen, "%s is on both sides (baseline %s, candidate %s): a result compared with itself shows nothing; give the candidate's own files",
					 paths[i], paths[j], paths[i]);
			return -1;
		}
	}
	return 0;
}

int bb_ab_run(struct bb_ab_args *a, const char *cmd, struct bb_side *sa, struct bb_side *sb,
	      struct bb_comparison *c)
{
	char err[1024];
	/* both empty, so either can be freed whichever load fails */
	*sa = (struct bb_side){ 0 };
	*sb = (struct bb_side){ 0 };
	if (refuse_repeats(a, err, sizeof(err)) < 0 ||
	    bb_side_load(sa, "baseline", a->baseline, a->nbaseline, &a->opts, stderr, err, sizeof(err)) < 0 ||
	    bb_side_load(sb, "candidate", a->candidate, a->ncandidate, &a->opts, stderr, err, sizeof(err)) < 0 ||
	    bb_compare(sa, sb, &a->opts, a->nmetrics ? a->metrics : NULL, a->nmetrics, c, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench %s: %s\n", cmd, err);
		bb_side_free(sa);
		bb_side_free(sb);
		return -1;
	}
	for (int s = 0; s < BB_MIXED_NOTES; s++)
		if (c->mixed[s][0])
			fprintf(stderr, "bootbench %s: warning: %s\n", cmd, c->mixed[s]);
	return 0;
}
