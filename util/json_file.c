#include "json_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

FILE *bb_fopen_regular(const char *path)
{
	/* O_NONBLOCK: opening a FIFO with no writer returns at once */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int errnum = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		close(fd);
		errno = errnum;
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	FILE *f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

json_t *bb_json_load_path(const char *path, size_t flags, json_error_t *jerr)
{
	FILE *f = bb_fopen_regular(path);
	if (!f) {
		memset(jerr, 0, sizeof(*jerr));
		jerr->line = jerr->column = -1;
		snprintf(jerr->text, sizeof(jerr->text), "%s",
			 errno == EINVAL ? "not a regular file (a FIFO, device or socket)" : strerror(errno));
		snprintf(jerr->source, sizeof(jerr->source), "%s", "<path>");
		return NULL;
	}
	json_t *doc = json_loadf(f, flags, jerr);
	fclose(f);
	return doc;
}
