/* A line-protocol decoder written for the tests, from InfluxDB's line
 * protocol reference (2.x): measurement[,tag=value...] field=value[,...]
 * [timestamp]. It is strict where bootbench's encoder must be: an
 * unescaped separator inside an element, an empty tag value, a duplicate
 * tag key or a field value of no known type is an error. */
#ifndef BOOTBENCH_LP_DECODE_H
#define BOOTBENCH_LP_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#define LP_MAX_PAIRS 512

struct lp_pair {
	char *key;
	char *value; /* a string field unquoted and unescaped; others as written */
	char type;   /* tags: 't'; fields: 'i', 'f', 's' or 'b' */
};

struct lp_point {
	char *measurement;
	struct lp_pair tags[LP_MAX_PAIRS];
	size_t ntags;
	struct lp_pair fields[LP_MAX_PAIRS];
	size_t nfields;
	bool has_timestamp;
	long long timestamp;
};

/* One line, without its '\n'. 0, or -1 with a reason in err. */
int lp_decode_line(const char *line, size_t len, struct lp_point *p, char *err, size_t errlen);
void lp_point_free(struct lp_point *p);

#endif
