/* bootbench inside an emulated host: Debian's kernel booted under QEMU
 * (arm64 with EL2 and a vGICv3, or x86_64 with nested SVM and kvm_amd),
 * busybox and the static bootbench in an initramfs, every profile run
 * pinned to one vCPU, the result files brought back over the console and
 * checked: their checksums, schema, kicks, per-bus registrations and, on
 * arm64, the vGIC's steps. Emulated times are not hardware times: only
 * what was registered and that it booted are asserted.
 * usage: test_emulated arm64|x86_64 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness.h"
#include "linux_checks.h"
#include "result_reader.h"

/* seconds one profile's run may take inside the guest (they take 1-20 s) */
#define RUN_GUARD_S 90
/* seconds of a silent console after which the guest counts as hung whole,
 * and how many boots a test makes before it gives up */
#define STALL_S 30
#define BOOTS 4

static const char *arch;
static char out[64];
/* the Linux workload's runs, with the guest kernel
 * lab/build-kernel --guest makes ("" when it could not: why is kept) */
/* virtio-mmio, then virtio-pci with MSI-X (on arm64 through the ITS) */
static const char *const linux_profiles[] = { "linux-firecracker", "linux-qemu", "linux-firecracker-pci",
					      "linux-qemu-pci" };
#define NR_LINUX_PROFILES (sizeof(linux_profiles) / sizeof(linux_profiles[0]))
#define LINUX_ITERATIONS 3
static char guest_kernel_path[512], no_linux_why[256];
static const char *const profiles[] = { "firecracker", "qemu", "crosvm", "stress", "arm64-many-vcpus" };

static json_t *load_profile_result(const char *profile)
{
	char prefix[64], path[512], err[1024];
	snprintf(prefix, sizeof(prefix), "%s-2", profile); /* <profile>-<year>... */
	DIR *d = opendir(out);
	json_t *doc = NULL;
	for (struct dirent *e; d && (e = readdir(d));) {
		size_t n = strlen(e->d_name);
		if (strncmp(e->d_name, prefix, strlen(prefix)) || n < 5 || strcmp(e->d_name + n - 5, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", out, e->d_name);
		if (doc)
			fail_msg("two results of profile %s came back, %s the second", profile, path);
		doc = bb_result_load(path, err, sizeof(err));
		if (!doc)
			fail_msg("%s", err);
	}
	if (d)
		closedir(d);
	if (!doc)
		fail_msg("no result of profile %s came back from the guest", profile);
	return doc;
}

static void booted_and_brought_everything_back(void **state)
{
	(void)state;
	char path[256], text[64] = "";
	snprintf(path, sizeof(path), "%s/commands.status", out);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(text, sizeof(text), f));
	fclose(f);
	if (atoi(text) != 0) {
		snprintf(path, sizeof(path), "%s/commands.log", out);
		fail_msg("the commands inside the guest failed (status %s); see %s", text, path);
	}
}

/* A stall that the guard recovered from is shown, stacks and all, so it
 * is seen in CI's log rather than lost. */
static void report_stall(const char *profile)
{
	char path[256], line[512];
	snprintf(path, sizeof(path), "%s/hang-%s.txt", out, profile);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	print_message("WARNING: a run of %s stalled in the emulated guest and was run again:\n", profile);
	while (fgets(line, sizeof(line), f))
		print_message("  %s", line);
	fclose(f);
}

static void every_profile_registers_and_kicks(void **state)
{
	(void)state;
	bool arm = !strcmp(arch, "arm64");
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		report_stall(profiles[i]);
		json_t *doc = load_profile_result(profiles[i]);
		json_t *host = json_object_get(doc, "host"), *p = json_object_get(doc, "profile");
		assert_true(json_is_true(json_object_get(doc, "complete")));
		assert_string_equal(result_str(host, "arch"), arm ? "aarch64" : "x86_64");
		assert_string_equal(result_str(host, "config_hz"), "250");
		assert_string_equal(result_str(json_object_get(doc, "labels"), "emulated"), "qemu-tcg");
		json_int_t vcpus = result_int(p, "vcpus"), d = result_int(p, "devices"), q = result_int(p, "queues"), zones = result_int(p, "coalesced_zones");
		bool irqchip = json_is_true(json_object_get(p, "irqchip")), pit = json_is_true(json_object_get(p, "pit"));
		size_t k;
		json_t *it;
		assert_int_equal(json_array_size(json_object_get(doc, "iterations")), 2);
		json_array_foreach(json_object_get(doc, "iterations"), k, it) {
			if (!json_is_true(json_object_get(it, "ok")))
				fail_msg("%s iteration %zu: %s", profiles[i], k, result_str(it, "error"));
			json_t *kicks = json_object_get(it, "kicks");
			assert_int_equal(result_int(kicks, "expected"), d * q);
			assert_int_equal(result_int(kicks, "received"), d * q);
			json_t *bus = json_object_get(json_object_get(it, "registrations"), "devices_per_bus");
			if (arm) {
				/* the distributor, one redistributor per vCPU, the zones */
				assert_int_equal(result_int(bus, "mmio"), (irqchip ? 1 + vcpus : 0) + zones);
				assert_int_equal(result_int(bus, "pio"), 0);
				assert_false(pit);
				assert_int_equal(result_op_count(it, "KVM_ARM_PREFERRED_TARGET"), 1);
				assert_int_equal(result_op_count(it, "KVM_ARM_VCPU_INIT"), vcpus);
				assert_int_equal(result_op_count(it, "KVM_SET_ONE_REG"), 5 * vcpus);
				/* vGICv3: create; DIST, REDIST, NR_IRQS, then CTRL_INIT */
				assert_int_equal(result_op_count(it, "KVM_CREATE_DEVICE"), irqchip ? 1 : 0);
				assert_int_equal(result_op_count(it, "KVM_SET_DEVICE_ATTR"), irqchip ? 4 : 0);
				assert_int_equal(result_op_count(it, "close:device"), irqchip ? 1 : 0);
			} else {
				assert_int_equal(result_int(bus, "mmio"), (irqchip ? 1 : 0) + zones);
				assert_int_equal(result_int(bus, "pio"), (irqchip ? 3 : 0) + (pit ? 2 : 0));
				assert_int_equal(result_op_count(it, "KVM_CREATE_PIT2"), pit ? 1 : 0);
			}
			assert_int_equal(result_op_count(it, "KVM_CREATE_VCPU"), vcpus);
		}
		if (arm && !strcmp(profiles[i], "qemu")) {
			/* QEMU's arm64 machines have no legacy I/O BAR */
			assert_non_null(strstr(result_str(p, "arch_note"), "pio notifiers dropped"));
			assert_string_equal(result_str(p, "style"), "mmio-any");
		}
		if (!strcmp(profiles[i], "arm64-many-vcpus"))
			assert_int_equal(vcpus, 64);
		json_decref(doc);
	}
}

static void pio_alone_is_refused_on_arm64(void **state)
{
	(void)state;
	if (strcmp(arch, "arm64"))
		skip();
	char path[256], text[1024] = "";
	snprintf(path, sizeof(path), "%s/pio-error.txt", out);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(text, sizeof(text), f));
	fclose(f);
	assert_non_null(strstr(text, "style pio needs port I/O, which arm64 does not have: use --style mmio or mmio-any"));
	snprintf(path, sizeof(path), "%s/pio-exit.txt", out);
	f = fopen(path, "r");
	assert_non_null(fgets(text, sizeof(text), f));
	fclose(f);
	assert_int_equal(atoi(text), 2);
}

/* A real Linux boots to init in bootbench's VMM: every disk's block
 * checked by init (else boot-done never comes), each registration made
 * when the profile says, the boot in the Linux phases, and the results
 * readable by compare. */
static void linux_boots_to_init(void **state)
{
	(void)state;
	if (!guest_kernel_path[0]) {
		print_message("SKIPPED: %s\n", no_linux_why);
		skip();
	}
	char paths[NR_LINUX_PROFILES][512];
	for (size_t i = 0; i < NR_LINUX_PROFILES; i++) {
		report_stall(linux_profiles[i]);
		json_t *doc = load_profile_result(linux_profiles[i]);
		check_linux_result(doc, linux_profiles[i], LINUX_ITERATIONS);
		json_decref(doc);
		DIR *dir = opendir(out);
		for (struct dirent *e; dir && (e = readdir(dir));) {
			size_t n = strlen(e->d_name);
			char prefix[64];
			snprintf(prefix, sizeof(prefix), "%s-2", linux_profiles[i]);
			if (!strncmp(e->d_name, prefix, strlen(prefix)) && n > 5 && !strcmp(e->d_name + n - 5, ".json"))
				snprintf(paths[i], sizeof(paths[i]), "%s/%s", out, e->d_name);
		}
		if (dir)
			closedir(dir);
	}
	/* a kernel that cannot run init panics: the iteration fails at once
	 * (panic=-1 reboots: x86 by a triple fault, reboot=t; arm64 by PSCI),
	 * not at the watchdog, and says
	 * why with the console's tail */
	char path[256], text[16384] = "";
	snprintf(path, sizeof(path), "%s/linux-panic-exit.txt", out);
	assert_true(read_text(path, text, sizeof(text)) > 0);
	assert_int_equal(atoi(text), 1);
	snprintf(path, sizeof(path), "%s/linux-panic.txt", out);
	assert_true(read_text(path, text, sizeof(text)) > 0);
	const char *ended = strcmp(arch, "arm64") ? "the guest triple-faulted" : "the guest asked PSCI for a reset";
	if (!strstr(text, ended) || !strstr(text, "the guest console's last lines") ||
	    !strstr(text, "Kernel panic"))
		fail_msg("the panicking kernel's run did not show its triple fault and console: %s", text);
	/* the static and the DRIVER_OK-time registrations, side by side (3
	 * iterations a side: no two-sample test gets below p = 0.1, so the
	 * test asks compare for what it can say at 0.25) */
	struct proc *cmp = calloc(1, sizeof(*cmp));
	assert_non_null(cmp);
	const char *args[] = { "compare", "--allow-different-profiles", "--alpha", "0.25", "--baseline", paths[0], "--candidate", paths[1], NULL };
	run_bootbench(args, NULL, cmp);
	if (cmp->exit_code != 0)
		fail_msg("compare of the two Linux results exited %d: %s", cmp->exit_code, cmp->err);
	assert_non_null(strstr(cmp->out, "phase:kernel"));
	assert_non_null(strstr(cmp->out, "phase:device_probe"));
	free(cmp);
}

static int run_guest(void)
{
	bool arm = !strcmp(arch, "arm64");
	const char *qemu = arm ? "qemu-system-aarch64" : "qemu-system-x86_64";
	const char *bin = arm ? ARM64_BOOTBENCH : STATIC_BOOTBENCH;
	char cmd[4096];

	if (!have_command(qemu)) {
		fprintf(stderr, "SKIP: %s is not installed (apt-get install qemu-system-arm qemu-system-x86)\n", qemu);
		return SKIP_EXIT;
	}
	if (access(bin, X_OK) != 0) {
		fprintf(stderr, "SKIP: no static %s bootbench at %s: ./quickstart test builds it\n", arch, bin);
		return SKIP_EXIT;
	}
	if (arm && system("dpkg --print-foreign-architectures | grep -qx arm64") != 0) {
		fprintf(stderr, "SKIP: dpkg does not know arm64, so Debian's arm64 kernel cannot be fetched: ./quickstart test adds it\n");
		return SKIP_EXIT;
	}
	if (guest_kernel(SOURCE_DIR, arch, guest_kernel_path, sizeof(guest_kernel_path)) != 0) {
		guest_kernel_path[0] = '\0';
		snprintf(no_linux_why, sizeof(no_linux_why), "no guest kernel (lab/build-kernel --guest; its reason is above)");
	}
	make_temp_dir(out, sizeof(out));
	char commands[128];
	snprintf(commands, sizeof(commands), "%s.commands.sh", out);
	FILE *f = fopen(commands, "w");
	/* A run that outlasts its guard gets its threads' kernel stacks
	 * written to /results/hang-<profile>.txt, is killed, and runs once
	 * more: the test reports the stall and fails only when the second run
	 * stalls too. A killed run leaves no result under a final name. The
	 * guard says it is alive on the console every 5 s, so that a guest
	 * that hangs whole (the emulated x86_64 host has, about one boot in
	 * four here) is seen by qemu-run --stall and booted again. */
	fprintf(f, "set -e\n"
		   "guard() {\n"
		   "  name=$1; shift\n"
		   "  for try in 1 2; do\n"
		   "    \"$@\" & pid=$!; n=0\n"
		   "    while kill -0 $pid 2>/dev/null && [ $n -lt %d ]; do\n"
		   "      sleep 1; n=$((n+1))\n"
		   "      if [ $((n %% 5)) = 0 ]; then echo \"==BB-ALIVE $name ${n}s==\" >/dev/console; fi\n"
		   "    done\n"
		   "    kill -0 $pid 2>/dev/null || { wait $pid; return $?; }\n"
		   "    { echo \"$name: run $try still running after ${n}s\"\n"
		   "      for t in /proc/$pid/task/*; do echo \"task $(cat $t/comm) wchan=$(cat $t/wchan) $(grep State: $t/status)\"; cat $t/stack; done\n"
		   "    } >>/results/hang-$name.txt 2>&1\n"
		   "    kill -9 $pid; wait $pid || true\n"
		   "  done\n"
		   "  return 1\n"
		   "}\n", RUN_GUARD_S);
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		fprintf(f, "guard %s /bootbench run --profile %s --iterations 2 --warmup 0 --pin 0 --no-events --quiet --out /results "
			   "--label arch=%s --label emulated=qemu-tcg\n", profiles[i], profiles[i], arch);
	for (size_t i = 0; guest_kernel_path[0] && i < NR_LINUX_PROFILES; i++)
		fprintf(f, "guard %s /bootbench run --profile %s --kernel /files/%s --iterations %d --warmup 0 --pin 0 --no-events --quiet --out /results "
			   "--timeout 60000 --label arch=%s --label emulated=qemu-tcg\n",
			linux_profiles[i], linux_profiles[i], strrchr(guest_kernel_path, '/') + 1, LINUX_ITERATIONS, arch);
	if (guest_kernel_path[0])
		fprintf(f, "set +e\n/bootbench run --profile linux-firecracker --kernel /files/%s --cmdline rdinit=/no-such-init --iterations 1 --warmup 0 "
			   "--pin 0 --no-events --quiet --out /tmp/panic 2>/results/linux-panic.txt; echo $? >/results/linux-panic-exit.txt\nset -e\n",
			strrchr(guest_kernel_path, '/') + 1);
	/* arm64 refuses pio alone; on x86_64 it is a valid run, not needed here */
	if (arm)
		fprintf(f, "set +e\n/bootbench run --style pio --out /tmp/pio 2>/results/pio-error.txt; echo $? >/results/pio-exit.txt\n");
	fclose(f);
	char files[600] = "";
	if (guest_kernel_path[0])
		snprintf(files, sizeof(files), "--file '%s'", guest_kernel_path);
	const char *cache = getenv("BOOTBENCH_KERNEL_CACHE");
	char cache_dir[512];
	snprintf(cache_dir, sizeof(cache_dir), "%s", cache && *cache ? cache : "");
	if (!cache_dir[0])
		snprintf(cache_dir, sizeof(cache_dir), "%s/.cache/bootbench/kernels", getenv("HOME") ? getenv("HOME") : "/tmp");
	/* the modules x86 needs for kvm_amd, in load order */
	const char *mods = arm ? ""
			       : "--module \"$modules/kernel/virt/lib/irqbypass.ko\" --module \"$modules/kernel/arch/x86/kvm/kvm.ko\" "
				 "--module \"$modules/kernel/drivers/crypto/ccp/ccp.ko\" --module \"$modules/kernel/arch/x86/kvm/kvm-amd.ko\"";
	snprintf(cmd, sizeof(cmd),
		 "set -e; eval \"$(%s/lab/fetch-debian-kernel %s '%s')\"; "
		 "%s/lab/qemu-run --arch %s --kernel \"$kernel\" --config \"$config\" --busybox \"$busybox\" "
		 "--bootbench %s --commands %s --out %s --timeout 420 --stall %d %s %s",
		 SOURCE_DIR, arch, cache_dir, SOURCE_DIR, arch, bin, commands, out, STALL_S, mods, files);
	int rc = 0;
	for (int boot = 1; boot <= BOOTS; boot++) {
		rc = system(cmd);
		if (!WIFEXITED(rc) || WEXITSTATUS(rc) != 3)
			break;
		char last[256];
		snprintf(last, sizeof(last), "grep -a '==BB-ALIVE' %s/console.log | tail -1 | grep . >&2", out);
		fprintf(stderr, "WARNING: the emulated guest hung whole (boot %d of %d); its last sign of life:\n", boot,
			BOOTS);
		if (system(last) != 0)
			fprintf(stderr, "none: it hung within 5 s of starting the commands\n");
	}
	unlink(commands);
	if (rc != 0) {
		fprintf(stderr, "the emulated boot failed (see %s/console.log)\n", out);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "arm64") && strcmp(argv[1], "x86_64"))) {
		fprintf(stderr, "usage: test_emulated arm64|x86_64\n");
		return 2;
	}
	arch = argv[1];
	int rc = run_guest();
	if (rc != 0)
		return rc;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(booted_and_brought_everything_back),
		cmocka_unit_test(every_profile_registers_and_kicks),
		cmocka_unit_test(pio_alone_is_refused_on_arm64),
		cmocka_unit_test(linux_boots_to_init),
	};
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (rc == 0)
		remove_tree(out);
	return rc;
}
