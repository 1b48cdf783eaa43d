/* Built with -DBOOTBENCH_UPLOAD=OFF (static builds): no libcurl, so an
 * upload fails at once and says how to get one. */
#include <stdio.h>

#include "errorf.h"
#include "upload.h"

#define ABSENT "this bootbench was built without upload support (-DBOOTBENCH_UPLOAD=OFF, as static builds are): copy the result to a machine with a regular build and run bootbench upload there"

int bb_upload_result(const struct bb_upload_opts *o, const char *result_path, char *err, size_t errlen)
{
	(void)o;
	(void)result_path;
	bb_errorf(err, errlen, ABSENT);
	return -1;
}

int bb_upload_pending(const struct bb_upload_opts *o, const char *dir, bool url_given, unsigned *sent,
		      unsigned *still_pending, char *err, size_t errlen)
{
	(void)o;
	(void)dir;
	(void)url_given;
	*sent = *still_pending = 0;
	bb_errorf(err, errlen, ABSENT);
	return -1;
}

int bb_upload_check(const struct bb_upload_opts *o, char *err, size_t errlen)
{
	(void)o;
	bb_errorf(err, errlen, ABSENT);
	return -1;
}
