/* The profile reader: any text is a valid profile or a one-line error;
 * a valid one survives the trip to JSON (as a result records it) and back
 * unchanged, and resolving it for this arch never crashes. */
#include "fuzz_target.h"
#include "profile.h"
#include "vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = input_text(data, size);
	struct bb_profile p, back;
	char err[1024] = "";

	bb_profile_defaults(&p); /* as bb_profile_load starts */
	bb_profile_defaults(&back);
	if (bb_profile_parse(&p, text, "fuzz.json", err, sizeof(err)) < 0) {
		expect_one_line_error(err);
	} else {
		json_t *j = bb_profile_to_json(&p);
		if (!j || bb_profile_from_json(&back, j, "round trip", err, sizeof(err)) < 0) {
			fprintf(stderr, "a parsed profile does not read back from its JSON: %s\n", err);
			abort();
		}
		json_t *again = bb_profile_to_json(&back);
		if (!json_equal(j, again)) {
			fprintf(stderr, "a profile changed on its way through JSON\n");
			abort();
		}
		json_decref(again);
		json_decref(j);
		err[0] = '\0';
		if (bb_vm_resolve_profile(&p, err, sizeof(err)) < 0)
			expect_one_line_error(err);
	}
	free(text);
	return 0;
}
