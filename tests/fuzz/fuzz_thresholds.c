/* The gate's threshold file: any text is a set of limits or a one-line
 * error, and every accepted limit is a finite percentage with a name. */
#include <math.h>

#include "fuzz_target.h"
#include "thresholds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = input_text(data, size);
	struct bb_thresholds t;
	char err[1024] = "";

	if (bb_thresholds_parse(text, "fuzz.json", &t, err, sizeof(err)) < 0) {
		expect_one_line_error(err);
	} else {
		if (t.n > BB_MAX_THRESHOLDS)
			abort();
		for (size_t i = 0; i < t.n; i++)
			if (!t.metric[i][0] || !isfinite(t.limit_pct[i]) || t.limit_pct[i] < 0)
				abort();
		if (t.has_alpha && !(t.alpha > 0 && t.alpha < 1))
			abort();
	}
	free(text);
	return 0;
}
