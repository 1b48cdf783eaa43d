#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errorf.h"

static void split(const char *path, char *dir, char *base)
{
	char a[PATH_MAX], b[PATH_MAX];
	snprintf(a, sizeof(a), "%s", path);
	snprintf(b, sizeof(b), "%s", path);
	snprintf(dir, PATH_MAX, "%s", dirname(a));
	snprintf(base, PATH_MAX, "%s", basename(b));
}

int bb_atomic_open(struct bb_atomic_file *af, const char *final_path, char *err, size_t errlen)
{
	char dir[PATH_MAX], base[PATH_MAX];

	memset(af, 0, sizeof(*af));
	if (strlen(final_path) + 16 >= sizeof(af->tmp_path)) {
		bb_errorf(err, errlen, "output path too long: %s", final_path);
		return -1;
	}
	split(final_path, dir, base);
	snprintf(af->final_path, sizeof(af->final_path), "%s", final_path);
	if (snprintf(af->tmp_path, sizeof(af->tmp_path), "%s/.%s.XXXXXX", dir, base) >=
	    (int)sizeof(af->tmp_path)) {
		bb_errorf(err, errlen, "output path too long: %s", final_path);
		return -1;
	}
	int fd = mkstemp(af->tmp_path);
	if (fd < 0) {
		bb_errorf(err, errlen, "cannot create a file in %s: %s; choose a writable directory", dir,
			 strerror(errno));
		return -1;
	}
	fchmod(fd, 0644);
	af->f = fdopen(fd, "w");
	if (!af->f) {
		bb_errorf(err, errlen, "cannot open %s: %s", af->tmp_path, strerror(errno));
		close(fd);
		unlink(af->tmp_path);
		return -1;
	}
	return 0;
}

int bb_atomic_commit(struct bb_atomic_file *af, char *err, size_t errlen)
{
	int errnum = 0;

	if (fflush(af->f) != 0 || ferror(af->f))
		errnum = errno ? errno : EIO;
	if (!errnum && fsync(fileno(af->f)) != 0)
		errnum = errno;
	if (fclose(af->f) != 0 && !errnum)
		errnum = errno;
	af->f = NULL;
	if (!errnum && rename(af->tmp_path, af->final_path) != 0)
		errnum = errno;
	if (errnum) {
		bb_errorf(err, errlen, "cannot write %s: %s; free space there or write it elsewhere",
			 af->final_path, strerror(errnum));
		unlink(af->tmp_path);
		return -1;
	}
	char dir[PATH_MAX], base[PATH_MAX];
	split(af->final_path, dir, base);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) { /* make the rename itself durable */
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

void bb_atomic_discard(struct bb_atomic_file *af)
{
	if (af->f) {
		fclose(af->f);
		af->f = NULL;
		unlink(af->tmp_path);
	}
}
