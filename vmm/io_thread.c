/* The I/O thread of a VMM whose devices serve their queues: one epoll
 * over every queue's eventfd, as Firecracker's event manager and QEMU's
 * iothreads wait. A kick an ioeventfd took wakes it; it takes the count,
 * keeps it for the kick checks and serves the queue. It runs while the
 * vCPUs do and is stopped through an eventfd of its own. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "vm_internal.h"

#define STOP_TOKEN UINT32_MAX
#define EVENTS_PER_WAIT 64

static void *io_thread(void *arg)
{
	struct bb_vm *vm = arg;
	const struct bb_profile *p = vm->p;
	struct epoll_event events[EVENTS_PER_WAIT];

	for (;;) {
		int n = epoll_wait(vm->epoll_fd, events, EVENTS_PER_WAIT, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			bb_vm_fail(vm, "the I/O thread's epoll_wait failed: %s", strerror(errno));
			return NULL;
		}
		for (int i = 0; i < n; i++) {
			uint32_t q = events[i].data.u32;
			if (q == STOP_TOKEN)
				return NULL;
			uint64_t count = 0;
			if (read(vm->queue_eventfds[q], &count, sizeof(count)) != sizeof(count))
				continue; /* taken already: the eventfd is nonblocking */
			vm->kicks_served[q] += count;
			struct bb_device *dev = &vm->devices[q / p->queues];
			if (dev->serve && dev->serve(dev, q % p->queues) < 0)
				return NULL;
		}
	}
}

static int watch(struct bb_vm *vm, int fd, uint32_t token)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = token };
	if (epoll_ctl(vm->epoll_fd, EPOLL_CTL_ADD, fd, &ev) == 0)
		return 0;
	bb_vm_fail(vm, "the I/O thread cannot watch eventfd %d: epoll_ctl: %s", fd, strerror(errno));
	return -1;
}

int bb_io_thread_start(struct bb_vm *vm)
{
	uint32_t n = vm->p->devices * vm->p->queues;

	if (!vm->io_thread_needed)
		return 0;
	vm->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	vm->io_stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (vm->epoll_fd < 0 || vm->io_stop_fd < 0) {
		bb_vm_fail(vm, "cannot make the I/O thread's epoll and eventfd: %s; raise the open-file limit (ulimit -n)",
			   strerror(errno));
		return -1;
	}
	if (watch(vm, vm->io_stop_fd, STOP_TOKEN) < 0)
		return -1;
	for (uint32_t q = 0; q < n; q++)
		if (watch(vm, vm->queue_eventfds[q], q) < 0)
			return -1;
	/* like the vCPU threads, it leaves SIGINT and SIGTERM to the main thread */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int rc = pthread_create(&vm->io_thread, NULL, io_thread, vm);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		bb_vm_fail(vm, "cannot start the I/O thread: %s", strerror(rc));
		return -1;
	}
	vm->io_thread_started = true;
	return 0;
}

void bb_io_thread_stop(struct bb_vm *vm)
{
	if (vm->io_thread_started) {
		uint64_t one = 1;
		/* a fresh eventfd's counter cannot overflow: the write lands */
		if (write(vm->io_stop_fd, &one, sizeof(one)) != sizeof(one))
			bb_vm_fail(vm, "cannot stop the I/O thread: %s", strerror(errno));
		pthread_join(vm->io_thread, NULL);
		vm->io_thread_started = false;
	}
	if (vm->epoll_fd >= 0)
		close(vm->epoll_fd);
	if (vm->io_stop_fd >= 0)
		close(vm->io_stop_fd);
	vm->epoll_fd = vm->io_stop_fd = -1;
}
