/* A differential flame graph, B against A, as a standalone SVG, from two
 * folded-stack files ("frame;frame;frame NS" per line: folded.h).
 *
 * A frame's width is its time, the larger of its A and B time summed
 * stack by stack, so a wait that B no longer has keeps its width and
 * shows as shrunk instead of vanishing. Its colour is its change, B - A
 * over that width: red where B spends more, blue where it spends less,
 * pale where both spend the same. Children sit on their parent, sorted
 * by name, as flamegraph.pl draws them; each frame's tooltip gives both
 * times and the change. No Debian package draws these, and the format
 * is small: rectangles, text and titles. */
#ifndef BOOTBENCH_FLAMEGRAPH_SVG_H
#define BOOTBENCH_FLAMEGRAPH_SVG_H

#include <stdio.h>

struct bb_flamegraph_text {
	const char *title;    /* "Off-CPU time: 7d9a0273 against baseline" */
	const char *subtitle; /* what the sides are, the units */
};

/* Reads both folded files to the end and writes the SVG. The number of
 * stacks drawn; -1 with a one-line error on a malformed line (its number)
 * or no memory. 0 stacks writes an SVG that says there was nothing. */
int bb_flamegraph_diff_svg(FILE *out, FILE *folded_a, FILE *folded_b, const struct bb_flamegraph_text *text,
			   char *err, size_t errlen);

#endif
