#include "kvm_ioctl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static struct bb_event *record(struct bb_event_log *log, struct bb_call call, int64_t start,
			       int64_t end, long ret, int errnum)
{
	if (!log)
		return NULL;
	struct bb_event *e = bb_event_log_reserve(log);
	if (!e)
		return NULL;
	*e = (struct bb_event){
		.start_ns = start - log->t0,
		.duration_ns = end - start,
		.arg = { call.arg[0], call.arg[1], call.arg[2] },
		.result = ret < 0 ? -errnum : (int32_t)ret,
		.op = (uint16_t)call.op,
		.thread = (int16_t)call.thread,
	};
	return e;
}

long __bb_ioctl(struct bb_event_log *log, int thread, int fd, struct bb_kvm_req req, struct bb_event **event)
{
	int64_t start = bb_now_ns();
	long ret = ioctl(fd, req.request, req.arg);
	int64_t end = bb_now_ns();
	int errnum = errno;

	struct bb_event *e = record(log, bb_req_call(req, thread), start, end, ret, errnum);
	if (event)
		*event = e;
	errno = errnum;
	return ret;
}

long __bb_timed(struct bb_event_log *log, struct bb_call call, long (*fn)(void *ctx), void *ctx)
{
	int64_t start = bb_now_ns();
	long ret = fn(ctx);
	int64_t end = bb_now_ns();
	int errnum = errno;

	record(log, call, start, end, ret, errnum);
	errno = errnum;
	return ret;
}

static long close_fd(void *ctx)
{
	return close(*(int *)ctx);
}

void bb_timed_close(struct bb_event_log *log, enum bb_op op, uint64_t shown, int *fd)
{
	if (*fd < 0)
		return;
	__bb_timed(log, (struct bb_call){ .op = op, .thread = BB_THREAD_MAIN, .arg = { shown, 0, 0 } }, close_fd, fd);
	*fd = -1;
}

void bb_call_failure(char *buf, size_t len, struct bb_call call, int errnum)
{
	char detail[160];
	struct bb_event e = {
		.arg = { call.arg[0], call.arg[1], call.arg[2] },
		.op = (uint16_t)call.op,
		.thread = (int16_t)call.thread,
	};
	bb_event_detail(&e, detail, sizeof(detail));
	snprintf(buf, len, "%s(%s) failed: %s", bb_op_names[call.op], detail, strerror(errnum));
}
