/* Loading both sides and comparing them: what compare, report and gate
 * share once their options are parsed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ab_run.h"
#include "errorf.h"
#include "result_reader.h"
#include "store_fetch.h"
#include "store_selection.h"

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
		if (bb_store_is_selection(paths[i]) || stat(paths[i], &st[i]) < 0) {
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

/* The name a run read back from a store goes by in messages */
static void run_name(json_t *doc, const char *selection, char *name, size_t len)
{
	json_t *run = json_object_get(doc, "run"), *file = json_object_get(doc, "result");
	snprintf(name, len, "run %s (%s) of %s", json_is_string(run) ? json_string_value(run) : "?",
		 json_is_string(file) ? json_string_value(file) : "no file named", selection);
}

/* A side from its arguments: each a result file, or a store selection
 * whose runs each join the side as a file would. */
static int load_side(struct bb_side *s, const char *name, const char *const *args, size_t n,
		     const struct bb_ab_args *a, char *err, size_t errlen)
{
	bb_side_init(s, name);
	for (size_t i = 0; i < n; i++) {
		if (!bb_store_is_selection(args[i])) {
			json_t *doc = bb_result_load(args[i], err, errlen);
			if (!doc || bb_side_add(s, doc, args[i], &a->opts, stderr, err, errlen) < 0)
				return -1;
			continue;
		}
		struct bb_store_selection sel;
		struct bb_upload_opts o;
		bb_upload_opts_default(&o);
		if (bb_store_selection_parse(args[i], &sel, err, errlen) < 0 ||
		    bb_upload_credentials(&o, NULL, err, errlen) < 0 || bb_upload_check_credentials(&o, err, errlen) < 0)
			return -1;
		json_t *runs, *doc;
		int rc = bb_store_fetch(&sel, &o, BB_MAX_SIDE_FILES - s->ndocs, &runs, err, errlen);
		if (rc < 0)
			return rc == BB_STORE_FAILED ? BB_AB_STORE_FAILED : -1;
		size_t k;
		json_array_foreach(runs, k, doc) {
			char shown[4096];
			run_name(doc, args[i], shown, sizeof(shown));
			if (bb_side_add_named(s, json_incref(doc), shown, &a->opts, stderr, err, errlen) < 0) {
				json_decref(runs);
				return -1;
			}
		}
		json_decref(runs);
	}
	return bb_side_done(s, err, errlen);
}

int bb_ab_run(struct bb_ab_args *a, const char *cmd, struct bb_side *sa, struct bb_side *sb,
	      struct bb_comparison *c)
{
	char err[2048];
	/* both empty, so either can be freed whichever load fails */
	*sa = (struct bb_side){ 0 };
	*sb = (struct bb_side){ 0 };
	int rc = refuse_repeats(a, err, sizeof(err));
	if (rc == 0)
		rc = load_side(sa, "baseline", a->baseline, a->nbaseline, a, err, sizeof(err));
	if (rc == 0)
		rc = load_side(sb, "candidate", a->candidate, a->ncandidate, a, err, sizeof(err));
	if (rc == 0)
		rc = bb_compare(sa, sb, &a->opts, a->nmetrics ? a->metrics : NULL, a->nmetrics, c, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "bootbench %s: %s\n", cmd, err);
		bb_side_free(sa);
		bb_side_free(sb);
		return rc == BB_AB_STORE_FAILED ? BB_AB_STORE_FAILED : -1;
	}
	for (int s = 0; s < BB_MIXED_NOTES; s++)
		if (c->mixed[s][0])
			fprintf(stderr, "bootbench %s: warning: %s\n", cmd, c->mixed[s]);
	return 0;
}
