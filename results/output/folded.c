#include "folded.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct line {
	int64_t stack;
	const char *op;
	double ns;
};

/* A frame or op name cannot hold the format's separators. */
static void put_name(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc(*s == ';' || *s == ' ' || (unsigned char)*s < 0x20 ? '_' : *s, out);
}

int bb_folded_write(FILE *out, json_t *doc)
{
	json_t *frames = json_object_get(json_object_get(doc, "stacks"), "frames");
	struct line *lines = NULL;
	size_t n = 0, cap = 0, i, k;
	json_t *it, *row;
	json_array_foreach(json_object_get(doc, "iterations"), i, it) {
		if (!json_is_true(json_object_get(it, "ok")) || json_is_true(json_object_get(it, "warmup")))
			continue;
		json_array_foreach(json_object_get(json_object_get(it, "offcpu"), "stacks"), k, row) {
			int64_t stack = json_integer_value(json_array_get(row, 0));
			const char *op = json_string_value(json_array_get(row, 1));
			double ns = json_number_value(json_array_get(row, 3));
			if (!op || ns <= 0)
				continue;
			size_t at = 0;
			while (at < n && (lines[at].stack != stack || strcmp(lines[at].op, op)))
				at++;
			if (at == n) {
				if (n == cap) {
					cap = cap ? cap * 2 : 64;
					struct line *p = realloc(lines, cap * sizeof(*p));
					if (!p)
						goto write; /* what fits is still written */
					lines = p;
				}
				lines[n++] = (struct line){ stack, op, 0 };
			}
			lines[at].ns += ns;
		}
	}
write:
	for (size_t l = 0; l < n; l++) {
		put_name(out, lines[l].op);
		json_t *stack = json_array_get(frames, (size_t)lines[l].stack);
		/* outermost first: the stored stacks are innermost first */
		for (size_t f = json_array_size(stack); f-- > 0;) {
			fputc(';', out);
			const char *name = json_string_value(json_array_get(stack, f));
			put_name(out, name ? name : "?");
		}
		if (!stack)
			fputs(";[no stack]", out);
		fprintf(out, " %.0f\n", lines[l].ns);
	}
	free(lines);
	return (int)n;
}
