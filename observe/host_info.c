#include "host_info.h"
#include "printable.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>

#include "errorf.h"
#include "kvm_device.h"
#include "kvm_requests.h"
#include "kvm_ioctl.h"

static const struct bb_kvm_cap cap_table[BB_HOST_CAPS] = {
#define CAP(x) { #x, x, 0 }
	CAP(KVM_CAP_USER_MEMORY),
	CAP(KVM_CAP_NR_MEMSLOTS),
	CAP(KVM_CAP_NR_VCPUS),
	CAP(KVM_CAP_MAX_VCPUS),
	CAP(KVM_CAP_IOEVENTFD),
	CAP(KVM_CAP_IOEVENTFD_ANY_LENGTH),
	CAP(KVM_CAP_COALESCED_MMIO),
	CAP(KVM_CAP_COALESCED_PIO),
	CAP(KVM_CAP_IRQFD),
	CAP(KVM_CAP_IRQCHIP),
	CAP(KVM_CAP_IMMEDIATE_EXIT),
	CAP(KVM_CAP_MP_STATE),
/* the rest are one arch's own; the table's other slots stay zero */
#ifdef KVM_CAP_PIT2
	CAP(KVM_CAP_PIT2),
	CAP(KVM_CAP_SET_TSS_ADDR),
#endif
#ifdef KVM_CAP_ARM_PSCI_0_2
	CAP(KVM_CAP_ARM_PSCI_0_2),
	CAP(KVM_CAP_ARM_VM_IPA_SIZE),
#endif
#undef CAP
};

int bb_parse_config_hz(const char *text, char *hz, size_t len)
{
	for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, "CONFIG_HZ=", 10) == 0) {
			size_t n = strcspn(line + 10, "\n");
			if (n == 0 || n >= len)
				return -1;
			memcpy(hz, line + 10, n);
			hz[n] = '\0';
			return 0;
		}
	}
	return -1;
}

/* Reads a plain or gzip'd file (gzread handles both) into buf. */
static int read_maybe_gzipped(const char *path, char *buf, size_t len)
{
	gzFile f = gzopen(path, "rb");
	if (!f)
		return -1;
	size_t used = 0;
	int n;
	while (used + 1 < len && (n = gzread(f, buf + used, (unsigned)(len - 1 - used))) > 0)
		used += (size_t)n;
	buf[used] = '\0';
	gzclose(f);
	return used ? 0 : -1;
}

static void find_config_hz(struct bb_host_info *h)
{
	static char text[1 << 20]; /* a kernel config is ~300 KiB */
	char boot_config[512];
	snprintf(boot_config, sizeof(boot_config), "/boot/config-%s", h->kernel_release);
	const char *paths[] = { "/proc/config.gz", boot_config };

	snprintf(h->config_hz, sizeof(h->config_hz), "unknown");
	snprintf(h->config_hz_from, sizeof(h->config_hz_from), "none found");
	for (size_t i = 0; i < 2; i++) {
		if (read_maybe_gzipped(paths[i], text, sizeof(text)) == 0 &&
		    bb_parse_config_hz(text, h->config_hz, sizeof(h->config_hz)) == 0) {
			snprintf(h->config_hz_from, sizeof(h->config_hz_from), "%s", i == 0 ? paths[0] : "/boot/config-<release>");
			return;
		}
	}
}

static void find_cpu_model(struct bb_host_info *h)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512], implementer[64] = "", part[64] = "";

	snprintf(h->cpu_model, sizeof(h->cpu_model), "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		char *value = colon + 1 + strspn(colon + 1, " \t");
		value[strcspn(value, "\n")] = '\0';
		/* x86 names the model; arm64 gives implementer and part numbers */
		if (strncmp(line, "model name", 10) == 0) {
			snprintf(h->cpu_model, sizeof(h->cpu_model), "%s", value);
			break;
		}
		if (strncmp(line, "CPU implementer", 15) == 0 && !implementer[0])
			snprintf(implementer, sizeof(implementer), "%s", value);
		if (strncmp(line, "CPU part", 8) == 0 && !part[0])
			snprintf(part, sizeof(part), "%s", value);
	}
	fclose(f);
	if (implementer[0] && strcmp(h->cpu_model, "unknown") == 0)
		snprintf(h->cpu_model, sizeof(h->cpu_model), "implementer %s part %s", implementer, part);
}

/* Results from one boot share their host state (caches, THP, frequency
 * governor): compare pools them as one block, by this id. */
static void find_boot_id(struct bb_host_info *h)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
	h->boot_id[0] = '\0';
	if (!f)
		return;
	if (!fgets(h->boot_id, sizeof(h->boot_id), f))
		h->boot_id[0] = '\0';
	h->boot_id[strcspn(h->boot_id, "\n")] = '\0';
	fclose(f);
}

int bb_host_info_collect(struct bb_host_info *h, char *err, size_t errlen)
{
	struct utsname u;

	memset(h, 0, sizeof(*h));
	uname(&u);
	snprintf(h->hostname, sizeof(h->hostname), "%s", u.nodename);
	snprintf(h->kernel_release, sizeof(h->kernel_release), "%s", u.release);
	snprintf(h->kernel_version, sizeof(h->kernel_version), "%s", u.version);
	snprintf(h->arch, sizeof(h->arch), "%s", u.machine);
	h->online_cpus = sysconf(_SC_NPROCESSORS_ONLN);
	find_config_hz(h);
	find_cpu_model(h);
	find_boot_id(h);
	memcpy(h->caps, cap_table, sizeof(cap_table));

	int fd = open(bb_kvm_device_path(), O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		bb_kvm_open_error(err, errlen, errno);
		return -1;
	}
	h->kvm_api_version = (int)__bb_ioctl(NULL, BB_THREAD_MAIN, fd, bb_req_get_api_version(), NULL);
	h->kvm_pvm = access("/sys/module/kvm_pvm", F_OK) == 0;
	if (h->kvm_api_version < 0) { /* a path that opens but is no KVM (BOOTBENCH_KVM_DEVICE, a bind mount) */
		bb_errorf(err, errlen, "%s is not KVM: KVM_GET_API_VERSION failed (%s); point BOOTBENCH_KVM_DEVICE at the KVM device or unset it",
			  bb_kvm_device_path(), strerror(errno));
		close(fd);
		return -1;
	}
	if (h->kvm_api_version != KVM_API_VERSION) {
		bb_errorf(err, errlen, "%s speaks KVM API version %d, bootbench knows version %d: run on a Linux KVM host",
			  bb_kvm_device_path(), h->kvm_api_version, KVM_API_VERSION);
		close(fd);
		return -1;
	}
	for (int i = 0; i < BB_HOST_CAPS && h->caps[i].name; i++) {
		long v = __bb_ioctl(NULL, BB_THREAD_MAIN, fd, bb_req_check_extension(h->caps[i].cap), NULL);
		h->caps[i].value = v < 0 ? 0 : v;
	}
	close(fd);
	return 0;
}

long bb_host_cap(const struct bb_host_info *h, const char *name)
{
	for (int i = 0; i < BB_HOST_CAPS && h->caps[i].name; i++)
		if (strcmp(h->caps[i].name, name) == 0)
			return h->caps[i].value;
	return 0;
}

int bb_host_check_profile(const struct bb_host_info *h, const struct bb_profile *p, char *err,
			  size_t errlen)
{
	struct {
		int needed;
		const char *cap;
		const char *why;
	} needs[] = {
		{ 1, "KVM_CAP_USER_MEMORY", "guest memory needs it" },
		{ 1, "KVM_CAP_IMMEDIATE_EXIT", "stopping vCPUs cleanly needs it" },
		{ p->devices > 0, "KVM_CAP_IOEVENTFD", "queue-notify ioeventfds need it; set devices=0" },
		{ bb_profile_has_style(p, BB_STYLE_MMIO_ANY), "KVM_CAP_IOEVENTFD_ANY_LENGTH", "style mmio-any needs it; use --style mmio" },
		{ p->coalesced_zones > 0, "KVM_CAP_COALESCED_MMIO", "coalesced zones need it; set coalesced_zones=0" },
		{ p->irqfds, "KVM_CAP_IRQFD", "irqfds need it; set irqfds=false" },
		{ p->irqchip, "KVM_CAP_IRQCHIP", "the in-kernel irqchip needs it; set irqchip=false" },
		{ p->pit, "KVM_CAP_PIT2", "the in-kernel PIT needs it; set pit=false" },
	};
	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++) {
		if (needs[i].needed && bb_host_cap(h, needs[i].cap) <= 0) {
			bb_errorf(err, errlen, "KVM on this host lacks %s: %s", needs[i].cap, needs[i].why);
			return -1;
		}
	}
	if (h->kvm_pvm && bb_profile_is_linux(p)) {
		/* its guests run in a paravirtualized mode that a stock kernel
		 * does not know: the vCPU spins without an exit until the watchdog */
		bb_errorf(err, errlen, "KVM on this host is PVM (the kvm_pvm module is loaded), on which a stock Linux guest does not boot: run the Linux workload on hardware, under nested KVM, or in the emulated hosts (tests emulated_x86_64, lab/qemu-run)");
		return -1;
	}
	long max_vcpus = bb_host_cap(h, "KVM_CAP_MAX_VCPUS");
	if (max_vcpus > 0 && p->vcpus > (uint32_t)max_vcpus) {
		bb_errorf(err, errlen, "--vcpus %u is more than KVM allows here (KVM_CAP_MAX_VCPUS = %ld): use at most %ld",
			 p->vcpus, max_vcpus, max_vcpus);
		return -1;
	}
	long slots = bb_host_cap(h, "KVM_CAP_NR_MEMSLOTS");
	if (slots > 0 && 1 + p->memslots_after > (uint32_t)slots) {
		bb_errorf(err, errlen, "--memslots-after %u needs %u memslots, KVM allows %ld here: use at most %ld",
			 p->memslots_after, 1 + p->memslots_after, slots, slots - 1);
		return -1;
	}
	return 0;
}

json_t *bb_host_info_to_json(const struct bb_host_info *h)
{
	json_t *caps = json_object();
	for (int i = 0; i < BB_HOST_CAPS && h->caps[i].name; i++)
		json_object_set_new(caps, h->caps[i].name, json_integer(h->caps[i].value));
	/* JSON holds UTF-8 only: a host fact with another byte is escaped,
	 * never dropped (json_pack would fail and drop the whole object) */
	char hostname[1024], release[1024], version[1024], arch[256], cpu[1024];
	bb_printable(h->hostname, hostname, sizeof(hostname));
	bb_printable(h->kernel_release, release, sizeof(release));
	bb_printable(h->kernel_version, version, sizeof(version));
	bb_printable(h->arch, arch, sizeof(arch));
	bb_printable(h->cpu_model, cpu, sizeof(cpu));
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:i, s:o}",
			      "hostname", hostname, "kernel_release", release,
			      "kernel_version", version, "arch", arch,
			      "cpu_model", cpu, "config_hz", h->config_hz,
			      "config_hz_from", h->config_hz_from, "online_cpus", (json_int_t)h->online_cpus,
			      "kvm_api_version", h->kvm_api_version, "kvm_caps", caps);
	if (o && h->kvm_pvm)
		json_object_set_new(o, "kvm_pvm", json_true());
	if (o && h->boot_id[0] && bb_text_is_clean(h->boot_id))
		json_object_set_new(o, "boot_id", json_string(h->boot_id));
	return o;
}
