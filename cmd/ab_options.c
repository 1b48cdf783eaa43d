#include "ab_options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errorf.h"
#include "parse.h"

enum {
	OPT_BASELINE = 256, OPT_CANDIDATE, OPT_ALPHA, OPT_THRESHOLD, OPT_RESAMPLES, OPT_SEED, OPT_STRICT,
	OPT_ALLOW, OPT_METRIC, OPT_TOP, OPT_FORMAT, OPT_EXPORT, OPT_MAX_REGRESSION, OPT_JUNIT, OPT_THRESHOLDS, OPT_HELP
};

static const struct option options[] = {
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "candidate", required_argument, NULL, OPT_CANDIDATE },
	{ "alpha", required_argument, NULL, OPT_ALPHA },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "resamples", required_argument, NULL, OPT_RESAMPLES },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "allow-different-profiles", no_argument, NULL, OPT_ALLOW },
	{ "metric", required_argument, NULL, OPT_METRIC },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "export", required_argument, NULL, OPT_EXPORT },
	{ "max-regression", required_argument, NULL, OPT_MAX_REGRESSION },
	{ "junit", required_argument, NULL, OPT_JUNIT },
	{ "thresholds", required_argument, NULL, OPT_THRESHOLDS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ 0 }
};

const char *bb_ab_options_help(void)
{
	return "  --baseline A.json...        baseline files: every file up to the next --candidate\n"
	       "  --candidate B.json...       candidate files (or after the '--'); at most 64 a side\n"
	       "                              A file may be a results-store selection instead,\n"
	       "                              'influx://HOST/DB?profile=...&label.patch=none&since=7d':\n"
	       "                              its runs join the side (bootbench query lists them)\n"
	       "  --alpha P                   a change needs p < P (default 0.01); the CI is\n"
	       "                              at 1 - P, the level that decides\n"
	       "  --threshold PCT             and |change| > PCT, the noise threshold (default 5%)\n"
	       "  --resamples N               bootstrap resamples (default 10000)\n"
	       "  --seed N                    resampling seed (default 1): same inputs, same output\n"
	       "  --metric NAME               compare only these metrics (repeatable)\n"
	       "  --strict                    refuse incomplete runs (and, in gate, a limit below what\n"
	       "                              n can detect) instead of warning\n"
	       "  --allow-different-profiles  compare runs of different profiles\n";
}

int bb_parse_percent(const char *option, const char *text, double *out, char *err, size_t errlen)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (end != text && *end == '%')
		end++;
	if (end == text || *end || errno || !isfinite(v) || v < 0 || v > 10000) {
		bb_errorf(err, errlen, "bad value '%s' for %s: use a percentage such as 5%% or 0.5%%", text, option);
		return -1;
	}
	*out = v;
	return 0;
}

static int add_file(const char **list, size_t *n, const char *path, const char *side, char *err, size_t errlen)
{
	if (*n == BB_MAX_SIDE_FILES) {
		bb_errorf(err, errlen, "too many %s files: at most %d a side; pool fewer runs, or merge iterations into fewer files", side, BB_MAX_SIDE_FILES);
		return -1;
	}
	list[(*n)++] = path;
	return 0;
}

/* FORMAT=FILE, FORMAT one of report's or "compare" (compare's own text):
 * each format and each file once. */
static int add_export(struct bb_ab_args *a, const char *text, char *err, size_t errlen)
{
	const char *eq = strchr(text, '=');
	char name[16];
	enum bb_report_format f;
	if (!eq || eq == text || !eq[1] || (size_t)(eq - text) >= sizeof(name)) {
		bb_errorf(err, errlen, "bad value '%s' for --export: use FORMAT=FILE, e.g. --export csv=report.csv", text);
		return -1;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(eq - text), text);
	if (!strcmp(name, "compare"))
		f = BB_REPORT_COMPARE;
	else if (bb_report_format_parse(name, &f)) {
		bb_errorf(err, errlen, "bad format '%s' in --export %s: use text, markdown, csv or compare", name, text);
		return -1;
	}
	for (size_t i = 0; i < a->nexports; i++)
		if (a->exports[i].format == f || !strcmp(a->exports[i].path, eq + 1)) {
			bb_errorf(err, errlen, "--export %s repeats a format or a file: give each once", text);
			return -1;
		}
	if (a->nexports == BB_AB_MAX_EXPORTS) {
		bb_errorf(err, errlen, "--export %s: at most %d exports, one per format", text, BB_AB_MAX_EXPORTS);
		return -1;
	}
	a->exports[a->nexports++] = (struct bb_ab_export){ f, eq + 1 };
	return 0;
}

static int not_here(const char *opt, char *err, size_t errlen)
{
	bb_errorf(err, errlen, "option %s does not apply to this command: see --help", opt);
	return -1;
}

static const char *command_name(unsigned features)
{
	return features & BB_AB_GATE ? "gate" : features & BB_AB_FORMAT ? "report" : "compare";
}

/* One getopt pass over half of the command line. A file goes to the side
 * named last: --baseline or --candidate take every file up to the next
 * one of them (or the "--"), and before either, a file is on the half's
 * own side. */
static int parse_half(int argc, char **argv, unsigned features, struct bb_ab_args *a, bool candidate,
		      char *err, size_t errlen)
{
	uint32_t u;
	int c;

	optind = 0; /* GNU getopt: start afresh */
	opterr = 0;
	/* leading '-': file arguments come back as code 1, in order */
	while ((c = getopt_long(argc, argv, "-:", options, NULL)) != -1) {
		switch (c) {
		case OPT_BASELINE:
		case OPT_CANDIDATE:
		case 1:
			if (c != 1)
				candidate = c == OPT_CANDIDATE;
			if (candidate ? add_file(a->candidate, &a->ncandidate, optarg, "candidate", err, errlen)
				      : add_file(a->baseline, &a->nbaseline, optarg, "baseline", err, errlen))
				return -1;
			break;
		case OPT_ALPHA: {
			char *end;
			a->opts.alpha = strtod(optarg, &end);
			if (end == optarg || *end || !(a->opts.alpha > 0 && a->opts.alpha < 1)) {
				bb_errorf(err, errlen, "bad value '%s' for --alpha: use a probability between 0 and 1, such as 0.01", optarg);
				return -1;
			}
			a->opts.confidence = 1 - a->opts.alpha;
			break;
		}
		case OPT_THRESHOLD:
			if (features & BB_AB_GATE) { /* it would set only a verdict word, not the limit */
				bb_errorf(err, errlen, "gate has no --threshold: its limit is --max-regression PCT (or per metric, --thresholds FILE)");
				return -1;
			}
			if (bb_parse_percent("--threshold", optarg, &a->opts.threshold_pct, err, errlen))
				return -1;
			break;
		case OPT_RESAMPLES:
			if (bb_parse_u32("--resamples", optarg, 1000, 10000000, &a->opts.resamples, err, errlen))
				return -1;
			break;
		case OPT_SEED:
			if (bb_parse_u32("--seed", optarg, 0, UINT32_MAX, &u, err, errlen))
				return -1;
			a->opts.seed = u;
			break;
		case OPT_STRICT: a->opts.strict = true; break;
		case OPT_ALLOW: a->opts.allow_different_profiles = true; break;
		case OPT_METRIC:
			if (a->nmetrics == BB_AB_MAX_METRICS) {
				bb_errorf(err, errlen, "too many --metric options: at most %d", BB_AB_MAX_METRICS);
				return -1;
			}
			a->metrics[a->nmetrics++] = optarg;
			break;
		case OPT_TOP:
			if (bb_parse_u32("--top", optarg, 1, 1000, &u, err, errlen))
				return -1;
			a->top = u;
			break;
		case OPT_FORMAT:
			if (!(features & BB_AB_FORMAT))
				return not_here("--format", err, errlen);
			if (bb_report_format_parse(optarg, &a->format)) {
				bb_errorf(err, errlen, "bad value '%s' for --format: use text, markdown or csv", optarg);
				return -1;
			}
			break;
		case OPT_EXPORT:
			if (!(features & BB_AB_FORMAT))
				return not_here("--export", err, errlen);
			if (add_export(a, optarg, err, errlen) < 0)
				return -1;
			break;
		case OPT_MAX_REGRESSION:
			if (!(features & BB_AB_GATE))
				return not_here("--max-regression", err, errlen);
			if (bb_parse_percent("--max-regression", optarg, &a->max_regression_pct, err, errlen))
				return -1;
			a->max_regression_set = true;
			break;
		case OPT_JUNIT:
			if (!(features & BB_AB_GATE))
				return not_here("--junit", err, errlen);
			a->junit = optarg;
			break;
		case OPT_THRESHOLDS:
			if (!(features & BB_AB_GATE))
				return not_here("--thresholds", err, errlen);
			a->thresholds = optarg;
			break;
		case OPT_HELP: a->help = true; return 0;
		default:
			bb_option_error(c, argc, argv, command_name(features), err, errlen);
			return -1;
		}
	}
	return 0;
}

int bb_ab_parse(int argc, char **argv, unsigned features, struct bb_ab_args *a, char *err, size_t errlen)
{
	memset(a, 0, sizeof(*a));
	bb_compare_opts_default(&a->opts);
	a->top = 10;
	a->format = BB_REPORT_TEXT;
	a->max_regression_pct = 5;

	/* "A... -- B...": options may stand on either side of the "--" */
	int split = argc;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") != 0)
			continue;
		if (split < argc) {
			bb_errorf(err, errlen, "a second '--' (argument %d): give BASELINE.json... -- CANDIDATE.json... with one '--'", i);
			return -1;
		}
		split = i;
	}
	char *right[argc + 1];
	int nright = 0;
	right[nright++] = argv[0];
	for (int i = split + 1; i < argc; i++)
		right[nright++] = argv[i];
	right[nright] = NULL;
	char *saved = argv[split < argc ? split : 0];
	if (split < argc)
		argv[split] = NULL; /* the left half ends at the "--" */
	int rc = parse_half(split, argv, features, a, false, err, errlen);
	if (split < argc)
		argv[split] = saved;
	if (rc < 0 || a->help)
		return rc;
	if (split < argc && parse_half(nright, right, features, a, true, err, errlen) < 0)
		return -1;
	if (a->help)
		return 0;
	if (a->nbaseline == 0 || a->ncandidate == 0) {
		bb_errorf(err, errlen, "need results on both sides: give BASELINE.json... -- CANDIDATE.json..., or --baseline A.json --candidate B.json");
		return -1;
	}
	return 0;
}
