/* A store selection (compare --baseline influx://...): any text is a
 * selection or a one-line error; an accepted one yields a query whose
 * shape, once its quoted literals are blanked, is the shape a benign
 * selection with the same parts yields: no value can change the query. */
#include <stdbool.h>

#include "fuzz_target.h"
#include "store_query_text.h"
#include "store_selection.h"

/* the query with each quoted literal ('...' or "...", backslash escapes)
 * replaced by Q; abort on a literal left open */
static void skeleton(const char *q, char *out, size_t len)
{
	size_t o = 0;
	for (const char *p = q; *p; p++) {
		if (*p == '\'' || *p == '"') {
			char quote = *p;
			for (p++; *p && *p != quote; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				abort();
			if (o + 1 < len)
				out[o++] = 'Q';
			continue;
		}
		if (o + 1 < len)
			out[o++] = *p;
	}
	out[o] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = input_text(data, size);
	static struct bb_store_selection s, benign;
	static char err[1024], q[16384], b[16384], sq[16384], sb[16384];

	if (bb_store_selection_parse(text, &s, err, sizeof(err)) < 0) {
		expect_one_line_error(err);
		free(text);
		return 0;
	}
	for (size_t i = 0; i < s.ntags; i++)
		if (!s.tags[i].key[0] || !s.tags[i].value[0] || strchr(s.tags[i].value, '\n'))
			abort();
	if (bb_store_query_text(&s, q, sizeof(q), err, sizeof(err)) < 0)
		abort(); /* a parsed selection always fits this much */
	benign = s;
	snprintf(benign.db, sizeof(benign.db), "db");
	for (size_t i = 0; i < benign.ntags; i++) {
		snprintf(benign.tags[i].key, sizeof(benign.tags[i].key), "k");
		snprintf(benign.tags[i].value, sizeof(benign.tags[i].value), "v");
	}
	if (bb_store_query_text(&benign, b, sizeof(b), err, sizeof(err)) < 0)
		abort();
	skeleton(q, sq, sizeof(sq));
	skeleton(b, sb, sizeof(sb));
	if (strcmp(sq, sb)) {
		fprintf(stderr, "the query's shape changed:\n%s\nagainst\n%s\n", q, b);
		abort();
	}
	free(text);
	return 0;
}
