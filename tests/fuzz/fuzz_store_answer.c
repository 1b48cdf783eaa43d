/* A store's answer to a side's query (compare --baseline influx://...):
 * the first byte picks InfluxDB 1.x JSON (even) or 2.x annotated CSV
 * (odd), the rest is the answer. It rebuilds into runs or is refused in
 * one line; every run it gives has its iterations in time order, and the
 * runs taken as a side compare with themselves, as compare would. */
#include "compare.h"
#include "fuzz_target.h"
#include "store_fetch.h"

static FILE *devnull;

static void check_run(json_t *doc)
{
	json_t *its = json_object_get(doc, "iterations"), *it;
	size_t i;
	json_int_t last = INT64_MIN;
	if (!json_is_string(json_object_get(doc, "run")) || json_array_size(its) == 0)
		abort();
	json_array_foreach(its, i, it) {
		json_int_t t = json_integer_value(json_object_get(it, "start_unix_ns"));
		if (t < last)
			abort();
		last = t;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	char err[1024] = "";
	json_t *runs = NULL, *doc;
	const char *answer = (const char *)data + 1;
	int rc = data[0] & 1 ? bb_store_rebuild_flux(answer, size - 1, "influx2://h/b", 4, &runs, err, sizeof(err))
			     : bb_store_rebuild_influxql(answer, size - 1, "influx://h/db", 4, &runs, err, sizeof(err));
	if (rc != 0) {
		if (runs || (rc != BB_STORE_FAILED && rc != BB_STORE_BAD_SELECTION))
			abort();
		expect_one_line_error(err);
		return 0;
	}
	if (json_array_size(runs) == 0 || json_array_size(runs) > 4)
		abort();
	struct bb_compare_opts o;
	bb_compare_opts_default(&o);
	o.resamples = 64;
	o.allow_different_profiles = true;
	struct bb_side a, b;
	bb_side_init(&a, "baseline");
	bb_side_init(&b, "candidate");
	size_t i;
	bool added = true;
	json_array_foreach(runs, i, doc) {
		check_run(doc);
		char name[32];
		snprintf(name, sizeof(name), "run %zu", i);
		if (bb_side_add_named(&a, json_incref(doc), name, &o, devnull, err, sizeof(err)) < 0 ||
		    bb_side_add_named(&b, json_incref(doc), name, &o, devnull, err, sizeof(err)) < 0) {
			expect_one_line_error(err);
			added = false;
			break;
		}
	}
	if (added && bb_side_done(&a, err, sizeof(err)) == 0 && bb_side_done(&b, err, sizeof(err)) == 0) {
		struct bb_comparison c;
		if (bb_compare(&a, &b, &o, NULL, 0, &c, err, sizeof(err)) == 0)
			bb_comparison_free(&c);
		else
			expect_one_line_error(err);
	}
	bb_side_free(&a);
	bb_side_free(&b);
	json_decref(runs);
	return 0;
}
