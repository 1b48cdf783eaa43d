/* bootbench run's option parser: defaults, overrides and their order, and
 * an error naming the bad input for each kind of mistake. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "options.h"

#include "run_options.h"

static struct bb_run_args o;
static char err[1024];

#define PARSE(...)                                                              \
	({                                                                      \
		char *argv[] = { "run", __VA_ARGS__, NULL };                    \
		bb_run_parse((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv, &o, err, sizeof(err)); \
	})

static void defaults(void **state)
{
	(void)state;
	char *argv[] = { "run", NULL };
	assert_int_equal(bb_run_parse(1, argv, &o, err, sizeof(err)), 0);
	assert_string_equal(o.cfg.profile.name, "firecracker");
	assert_int_equal(o.iterations, 30);
	assert_int_equal(o.warmup, 3);
	assert_int_equal(o.cfg.timeout_ms, 10000);
	assert_true(o.with_events);
	assert_int_equal(o.cfg.nr_pin, 0);
}

static void overrides_apply_after_the_profile(void **state)
{
	(void)state;
	/* --devices comes before --profile on the line, and still wins */
	assert_int_equal(PARSE("--devices", "8", "--profile", "qemu", "--when", "static",
			       "--set", "irqfds=false", "--memslots-after", "2", "--style", "pio"), 0);
	assert_string_equal(o.cfg.profile.name, "qemu");
	assert_int_equal(o.cfg.profile.devices, 8);
	assert_int_equal(o.cfg.profile.when, BB_WHEN_STATIC);
	assert_false(o.cfg.profile.irqfds);
	assert_int_equal(o.cfg.profile.memslots_after, 2);
	assert_int_equal(o.cfg.profile.nr_styles, 1);
	assert_int_equal(o.cfg.profile.styles[0], BB_STYLE_PIO);
}

static void labels_and_run_options(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--label", "patch=on", "--label", "kernel=6.18", "--iterations", "5",
			       "--warmup", "0", "--out", "/tmp/x", "--quiet", "--keep-going",
			       "--no-events", "--timeout", "250", "--guest-fault", "hang"), 0);
	assert_int_equal(o.nr_labels, 2);
	assert_string_equal(o.label_key[1], "kernel");
	assert_string_equal(o.label_value[1], "6.18");
	assert_int_equal(o.iterations, 5);
	assert_int_equal(o.warmup, 0);
	assert_string_equal(o.out_dir, "/tmp/x");
	assert_true(o.quiet && o.keep_going && !o.with_events);
	assert_int_equal(o.cfg.timeout_ms, 250);
	assert_int_equal(o.cfg.fault, BB_FAULT_HANG);
}

static void each_mistake_is_named(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--iterations", "0"), -1);
	assert_non_null(strstr(err, "--iterations"));
	assert_int_equal(PARSE("--iterations"), -1);
	assert_non_null(strstr(err, "needs a value"));
	assert_int_equal(PARSE("--frobnicate"), -1);
	assert_non_null(strstr(err, "unknown or ambiguous option '--frobnicate'"));
	assert_int_equal(PARSE("-qz"), -1); /* a cluster of short options */
	assert_non_null(strstr(err, "unknown option '-q'"));
	assert_int_equal(PARSE("--quiet=yes"), -1);
	assert_non_null(strstr(err, "option --quiet takes no value"));
	assert_int_equal(PARSE("extra"), -1);
	assert_non_null(strstr(err, "unexpected argument 'extra'"));
	assert_int_equal(PARSE("--label", "a=1", "--label", "a=2"), -1);
	assert_non_null(strstr(err, "twice"));
	assert_int_equal(PARSE("--set", "nofield"), -1);
	assert_non_null(strstr(err, "FIELD=VALUE"));
	assert_int_equal(PARSE("--set", "frequency=3"), -1);
	assert_non_null(strstr(err, "unknown profile field 'frequency'"));
	assert_int_equal(PARSE("--profile", "nope"), -1);
	assert_non_null(strstr(err, "unknown profile 'nope'"));
	assert_int_equal(PARSE("--when", "eventually"), -1);
	assert_non_null(strstr(err, "static, dynamic or reset"));
	assert_int_equal(PARSE("--guest-fault", "explode"), -1);
	assert_non_null(strstr(err, "--guest-fault"));
	assert_int_equal(PARSE("--pin", "x"), -1);
	assert_non_null(strstr(err, "--pin"));
	assert_int_equal(PARSE("--set", "irqchip=false"), -1); /* firecracker keeps pit */
	assert_non_null(strstr(err, "pit"));
	assert_null(strchr(err, '\n'));
}

static void text_that_json_cannot_hold_is_refused(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--set", "description=x\xff"), -1);
	assert_non_null(strstr(err, "description 'x\\xff' is not plain UTF-8 text"));
	assert_int_equal(PARSE("--set", "name=a\xc3"), -1);
	assert_non_null(strstr(err, "not plain UTF-8"));
	assert_int_equal(PARSE("--set", "description=bell\x07"), -1);
	assert_int_equal(PARSE("--label", "k=v\xff"), -1);
	assert_non_null(strstr(err, "bad label value in 'k=v\\xff'"));
	/* UTF-8 itself is fine */
	static const char utf8_label[] = "k=gr\xc3\xbc\xc3\x9f" "e";
	assert_int_equal(PARSE("--label", (char *)utf8_label, "--set", "description=\xe2\x86\x92 ok"), 0);
}

static void long_input_keeps_the_reason(void **state)
{
	(void)state;
	/* a 100 KB argument: the message still ends with what to do */
	static char big[100001];
	memset(big, '7', sizeof(big) - 1);
	char *argv[] = { "run", "--vcpus", big, NULL };
	assert_int_equal(bb_run_parse(3, argv, &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "(100000 bytes)"));
	assert_non_null(strstr(err, "use an integer from 1 to"));
	assert_true(strlen(err) < 400);
}

static void upload_usage_errors_before_the_run(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--upload", "http://x/write?db=a&precision=s"), -1);
	assert_non_null(strstr(err, "precision=s"));
	assert_int_equal(PARSE("--upload", "http://"), -1);
	setenv("BOOTBENCH_UPLOAD_USER", "bob", 1);
	assert_int_equal(PARSE("--upload", "http://x/write?db=a"), -1);
	assert_non_null(strstr(err, "without a password"));
	unsetenv("BOOTBENCH_UPLOAD_USER");
	assert_int_equal(PARSE("--upload", "http://x/write?db=a"), 0);
}

static void sweep_and_plot_lists_refuse_typos(void **state)
{
	(void)state;
	struct bb_sweep_args *s = calloc(1, sizeof(*s));
	char *sweep[] = { "sweep", "--devices", "1,,2", NULL };
	assert_int_equal(bb_sweep_parse(3, sweep, s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--devices '1,,2' has an empty item"));
	char *trailing[] = { "sweep", "--vcpus", "1,2,", NULL };
	assert_int_equal(bb_sweep_parse(3, trailing, s, err, sizeof(err)), -1);
	free(s);
	struct bb_plot_args *pa = calloc(1, sizeof(*pa));
	char *plot[] = { "plot", "--op", "NOSUCH", "x.json", NULL };
	assert_int_equal(bb_plot_parse(4, plot, pa, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad --op 'NOSUCH'"));
	char *good[] = { "plot", "--op", "KVM_IRQFD", "--out", "charts", "x.json", NULL };
	assert_int_equal(bb_plot_parse(6, good, pa, err, sizeof(err)), 0);
	free(pa);
}

static void help(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--help"), 0);
	assert_true(o.help);
}

/* run --help names every built-in profile, not a list written by hand */
static void help_lists_every_builtin_profile(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	bb_run_usage(f);
	fclose(f);
	for (size_t i = 0; i < bb_builtin_profile_count; i++) {
		char word[64];
		snprintf(word, sizeof(word), " %s", bb_builtin_profiles[i].name);
		if (!strstr(text, word))
			fail_msg("run --help does not name the profile %s", bb_builtin_profiles[i].name);
	}
	/* and no line runs past 80 columns */
	for (char *line = text; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] != '\0'))
		assert_true(strcspn(line, "\n") <= 80);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults),
		cmocka_unit_test(help_lists_every_builtin_profile),
		cmocka_unit_test(overrides_apply_after_the_profile),
		cmocka_unit_test(labels_and_run_options),
		cmocka_unit_test(each_mistake_is_named),
		cmocka_unit_test(text_that_json_cannot_hold_is_refused),
		cmocka_unit_test(long_input_keeps_the_reason),
		cmocka_unit_test(upload_usage_errors_before_the_run),
		cmocka_unit_test(sweep_and_plot_lists_refuse_typos),
		cmocka_unit_test(help),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
