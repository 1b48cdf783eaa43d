#include "run_id.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* FNV-1a, 64 bits: an identity, not a secret; fields are separated by a
 * byte no text field holds, so "ab"+"c" and "a"+"bc" differ. */
static void mix(uint64_t *h, const char *s)
{
	for (; s && *s; s++) {
		*h ^= (unsigned char)*s;
		*h *= 0x100000001b3ull;
	}
	*h ^= 0x1f;
	*h *= 0x100000001b3ull;
}

static void format(uint64_t h, char out[BB_RUN_ID_LEN + 1])
{
	snprintf(out, BB_RUN_ID_LEN + 1, "%016" PRIx64, h);
}

void bb_run_id_new(const char *hostname, const char *boot_id, int64_t unix_ns, long pid, unsigned sequence,
		   char out[BB_RUN_ID_LEN + 1])
{
	char num[96];
	uint64_t h = 0xcbf29ce484222325ull;
	mix(&h, hostname);
	mix(&h, boot_id);
	snprintf(num, sizeof(num), "%" PRId64 "/%ld/%u", unix_ns, pid, sequence);
	mix(&h, num);
	format(h, out);
}

bool bb_run_id_valid(const char *s)
{
	if (!s || strlen(s) != BB_RUN_ID_LEN)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

static const char *str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : "";
}

void bb_run_id_of(json_t *doc, char out[BB_RUN_ID_LEN + 1])
{
	const char *run = str(doc, "run");
	if (bb_run_id_valid(run)) {
		memcpy(out, run, BB_RUN_ID_LEN + 1);
		return;
	}
	json_t *host = json_object_get(doc, "host");
	json_t *first = json_array_get(json_object_get(doc, "iterations"), 0);
	char start[32];
	snprintf(start, sizeof(start), "%" JSON_INTEGER_FORMAT,
		 json_integer_value(json_object_get(first, "start_unix_ns")));
	uint64_t h = 0xcbf29ce484222325ull;
	mix(&h, str(host, "hostname"));
	mix(&h, str(host, "boot_id"));
	mix(&h, str(doc, "created"));
	mix(&h, str(json_object_get(doc, "profile"), "name"));
	mix(&h, start);
	format(h, out);
}
