/* The differential flame graph: a golden SVG from a small folded pair
 * (tests/fixtures/folded), and the rules it draws by: width the larger
 * of A and B stack by stack, red for growth, blue for shrinkage, pale
 * for none, names escaped, malformed lines named by number. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "flamegraph_svg.h"

static char *draw(const char *a, const char *b, int *stacks, char *err, size_t errlen)
{
	char *svg = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&svg, &len);
	/* fmemopen refuses size 0; a blank line is no stack */
	a = *a ? a : "\n";
	b = *b ? b : "\n";
	FILE *fa = fmemopen((void *)a, strlen(a), "r"), *fb = fmemopen((void *)b, strlen(b), "r");
	assert_non_null(out);
	assert_non_null(fa);
	assert_non_null(fb);
	struct bb_flamegraph_text text = { "Off-CPU time, fix (B) against baseline (A)", "a test" };
	*stacks = bb_flamegraph_diff_svg(out, fa, fb, &text, err, errlen);
	fclose(fa);
	fclose(fb);
	fclose(out);
	return svg;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return strdup(buf);
}

static void matches_golden(void **state)
{
	(void)state;
	char *a = slurp(FIXTURES "/a.folded"), *b = slurp(FIXTURES "/b.folded"), err[256];
	assert_non_null(a);
	assert_non_null(b);
	int stacks;
	char *svg = draw(a, b, &stacks, err, sizeof(err));
	assert_int_equal(stacks, 6); /* 4 in A, 5 in B, 3 of them in both */
	const char *golden = GOLDEN_DIR "/flamegraph-diff.svg";
	if (getenv("BOOTBENCH_UPDATE_GOLDEN")) {
		FILE *f = fopen(golden, "w");
		assert_non_null(f);
		fputs(svg, f);
		fclose(f);
	}
	char *expected = slurp(golden);
	if (!expected) {
		free(svg);
		free(a);
		free(b);
		fail_msg("%s is missing: run with BOOTBENCH_UPDATE_GOLDEN=1", golden);
		return;
	}
	if (strcmp(expected, svg))
		fail_msg("%s differs from the output:\n%s", golden, svg);
	free(expected);
	free(svg);
	free(a);
	free(b);
}

/* The <g> of a frame by its tooltip's start; its fill and width. */
static void frame(const char *svg, const char *tooltip, int rgb[3], double *width)
{
	char key[256];
	snprintf(key, sizeof(key), "<title>%s", tooltip);
	rgb[0] = rgb[1] = rgb[2] = -1;
	*width = -1;
	const char *g = strstr(svg, key);
	if (!g) {
		fail_msg("no frame %s", tooltip);
		return;
	}
	const char *w = strstr(g, "width=\""), *fill = strstr(g, "fill=\"rgb(");
	assert_non_null(w);
	assert_non_null(fill);
	*width = strtod(w + 7, NULL);
	assert_int_equal(sscanf(fill, "fill=\"rgb(%d,%d,%d)", &rgb[0], &rgb[1], &rgb[2]), 3);
}

static void widths_and_colours(void **state)
{
	(void)state;
	char err[256];
	int stacks, rgb[3];
	double grown, gone, same, all;
	/* A: 3 ms waiting to register; B: none, and 1 ms more in a memslot update */
	char *svg = draw("reg;wait 3000000\nrun 1000000\n", "mem;wait 1000000\nrun 1000000\n", &stacks, err, sizeof(err));
	assert_int_equal(stacks, 3);
	frame(svg, "all:", rgb, &all);
	frame(svg, "reg:", rgb, &gone);
	assert_true(rgb[2] == 255 && rgb[0] == 0 && rgb[1] == 0); /* all of it gone: full blue */
	frame(svg, "mem:", rgb, &grown);
	assert_true(rgb[0] == 255 && rgb[1] == 0 && rgb[2] == 0); /* all of it new: full red */
	frame(svg, "run:", rgb, &same);
	assert_true(rgb[0] == rgb[1] && rgb[1] == rgb[2]); /* unchanged: grey */
	/* widths by the larger side: 3 + 1 + 1 ms of a 5 ms whole */
	assert_true(gone > 2.9 * grown && gone < 3.1 * grown);
	assert_true(same > 0.99 * grown && same < 1.01 * grown);
	assert_true(all > 0.99 * (gone + grown + same) && all < 1.01 * (gone + grown + same));
	assert_non_null(strstr(svg, "A 4.00ms, B 2.00ms in all"));
	free(svg);
}

static void names_are_escaped(void **state)
{
	(void)state;
	char err[256];
	int stacks;
	char *svg = draw("a;<b> & \"c\" 5\n", "", &stacks, err, sizeof(err));
	assert_int_equal(stacks, 1);
	assert_non_null(strstr(svg, "&lt;b&gt; &amp; &quot;c&quot;"));
	assert_null(strstr(svg, "<b>"));
	free(svg);
}

static void malformed_lines_are_named(void **state)
{
	(void)state;
	char err[256];
	int stacks;
	const char *bad[] = { "a;b\n", "a;b x\n", "a;b -5\n", "a;b 5x\n", " 5\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char two[64];
		snprintf(two, sizeof(two), "ok 1\n%s", bad[i]);
		free(draw("", two, &stacks, err, sizeof(err)));
		assert_int_equal(stacks, -1);
		assert_string_equal(err, "folded B, line 2: not \"frame;frame;... NUMBER\"");
	}
	/* deeper than any kernel stack: refused, not recursed into */
	static char deep[8 * 2000];
	size_t n = 0;
	for (int i = 0; i < 2000; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "f;");
	snprintf(deep + n - 1, sizeof(deep) - n + 1, " 5\n");
	free(draw(deep, "", &stacks, err, sizeof(err)));
	assert_int_equal(stacks, -1);
	assert_non_null(strstr(err, "2000 frames, more than 1024"));
}

static void nothing_says_so(void **state)
{
	(void)state;
	char err[256];
	int stacks;
	char *svg = draw("", "", &stacks, err, sizeof(err));
	assert_int_equal(stacks, 0);
	assert_non_null(strstr(svg, "no off-CPU time on either side"));
	assert_non_null(strstr(svg, "</svg>"));
	free(svg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matches_golden),
		cmocka_unit_test(widths_and_colours),
		cmocka_unit_test(names_are_escaped),
		cmocka_unit_test(malformed_lines_are_named),
		cmocka_unit_test(nothing_says_so),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
