#include "data_dir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errorf.h"

static bool holds(const char *dir, const char *probe)
{
	char path[PATH_MAX];
	return snprintf(path, sizeof(path), "%s/%s", dir, probe) < (int)sizeof(path) && access(path, R_OK) == 0;
}

int bb_data_dir(const char *what, const char *probe, const char *env, const char *built_in, char *buf, size_t len,
		char *err, size_t errlen)
{
	const char *set = getenv(env);
	if (set && *set) {
		if (!holds(set, probe)) {
			bb_errorf(err, errlen, "%s=%s holds no %s: point it at bootbench's %s/ directory, or unset it", env, set,
				  probe, what);
			return -1;
		}
		snprintf(buf, len, "%s", set);
		return 0;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (snprintf(buf, len, "%s/../share/bootbench/%s", exe, what) < (int)len && holds(buf, probe))
				return 0;
		}
	}
	if (holds(built_in, probe)) {
		snprintf(buf, len, "%s", built_in);
		return 0;
	}
	bb_errorf(err, errlen, "cannot find bootbench's %s/%s (not in <prefix>/share/bootbench/%s beside %s, nor in %s): install bootbench with cmake --install, or set %s",
		  what, probe, what, n > 0 ? exe : "this binary", built_in, env);
	return -1;
}
