/* Options of bootbench upload, and the two that run shares. */
#ifndef BOOTBENCH_UPLOAD_OPTIONS_H
#define BOOTBENCH_UPLOAD_OPTIONS_H

#include "upload.h"

struct bb_upload_args {
	struct bb_upload_opts opts;
	const char *credentials;
	const char *pending_dir;
	bool url_given;
	bool help;
	int first_file; /* argv index of the first result file */
};

int bb_upload_parse(int argc, char **argv, struct bb_upload_args *a, char *err, size_t errlen);

#endif
