/* Built with -DBOOTBENCH_UPLOAD=OFF (static builds): no libcurl, so a
 * store cannot be read; the rebuilding (store_rebuild.c) is there all the
 * same. */
#include "errorf.h"
#include "store_fetch.h"

int bb_store_fetch(const struct bb_store_selection *s, const struct bb_upload_opts *o, size_t max_runs,
		   json_t **runs, char *err, size_t errlen)
{
	(void)s;
	(void)o;
	(void)max_runs;
	*runs = NULL;
	bb_errorf(err, errlen, "this bootbench was built without libcurl (-DBOOTBENCH_UPLOAD=OFF, as static builds are): read the store from a regular build");
	return BB_STORE_FAILED;
}
