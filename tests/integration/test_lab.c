/* The kernel A/B lab's fast checks, on Debian's linux-source-6.1: the
 * config fragments resolve for both arches and every HZ (make olddefconfig,
 * then every option as the fragment says), a fragment option that cannot
 * hold is named, the patch applies, a patch that does not apply stops the
 * lab with patch's output and leaves the source as it was, and the files of
 * a canned boot log come back intact and labelled, while damage and wrong
 * labels are caught; three named sides parse and alternate, a broken patch
 * of a later side stops the lab before anything is built, and lab/publish
 * files a canned run in the documented layout (slim gzipped results that
 * compare as their full plain copies did, the full ones in an archive named
 * by its SHA-256) and refuses one of uncommitted changes. A full lab run (lab/ab) is a documented command, not a
 * test: it takes minutes. Exits 77 where the kernel source, its build tools
 * or jq are missing. */
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

#define PATCH SOURCE_DIR "/lab/patches/kvm-io-bus-call-srcu-6.1.patch"
#define FIX_PATCH SOURCE_DIR "/lab/patches/kvm-io-bus-call-srcu-expedited-6.1.patch"
#define CANNED SOURCE_DIR "/tests/lab/canned-console.log"
/* a three-side cell's full results (raw events and all), of one published
 * cell's case; tests/lab/canned-run makes a run of it */
#define FULL_CELL SOURCE_DIR "/tests/fixtures/lab-cell/x86_64-hz250"
#define CASE "arm64-many-vcpus"

static char kernel_source[512];
static char tmp[64];

struct cmd_result {
	int status;
	char out[1 << 16];
};

/* Runs a shell command line, stdout and stderr together. */
static int sh(struct cmd_result *r, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	char full[4200];
	snprintf(full, sizeof(full), "%s 2>&1", cmd);
	FILE *p = popen(full, "r");
	assert_non_null(p);
	size_t n = fread(r->out, 1, sizeof(r->out) - 1, p);
	r->out[n] = '\0';
	int st = pclose(p);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return r->status;
}

static void expect_ok(struct cmd_result *r)
{
	if (r->status != 0)
		fail_msg("exit %d: %s", r->status, r->out);
}

/* Bad input: exit 2, and the line that says what and why. */
static void expect_refusal(struct cmd_result *r, const char *message)
{
	if (r->status != 2 || !strstr(r->out, message))
		fail_msg("not exit 2 with '%s': exit %d, %s", message, r->status, r->out);
}

/* bad input's whole answer: one line, and it says why */
static void expect_one_line(const struct cmd_result *r, const char *input, const char *message)
{
	if (!strstr(r->out, message) || strchr(r->out, '\n') != r->out + strlen(r->out) - 1)
		fail_msg("%s: not one line saying '%s': %s", input, message, r->out);
}

static void config_resolves_for_every_arch_and_hz(void **state)
{
	(void)state;
	static struct cmd_result r;
	const char *arches[] = { "arm64", "x86_64" }, *hzs[] = { "100", "250", "1000" };
	for (size_t a = 0; a < 2; a++)
		for (size_t h = 0; h < 3; h++) {
			sh(&r, SOURCE_DIR "/lab/build-kernel --config-only --source '%s' --cache %s --arch %s --hz %s",
			   kernel_source, tmp, arches[a], hzs[h]);
			expect_ok(&r);
			assert_non_null(strstr(r.out, "config=ok"));
		}
	/* and the Linux workload's guest kernel, for both arches */
	for (size_t a = 0; a < 2; a++) {
		sh(&r, SOURCE_DIR "/lab/build-kernel --guest --config-only --source '%s' --cache %s --arch %s --hz 100",
		   kernel_source, tmp, arches[a]);
		expect_ok(&r);
		assert_non_null(strstr(r.out, "config=ok"));
	}
}

static void an_option_that_cannot_hold_is_named(void **state)
{
	(void)state;
	static struct cmd_result r;
	char frag[128];
	snprintf(frag, sizeof(frag), "%s/extra.config", tmp);
	FILE *f = fopen(frag, "w");
	assert_non_null(f);
	/* KVM_AMD needs x86: on arm64 olddefconfig drops it */
	fputs("CONFIG_KVM_AMD=y\n", f);
	fclose(f);
	sh(&r, SOURCE_DIR "/lab/build-kernel --config-only --source '%s' --cache %s --arch arm64 --extra-config %s",
	   kernel_source, tmp, frag);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "CONFIG_KVM_AMD is 'not set' after olddefconfig, lab/config/ wants 'y'"));
}

static void the_patches_apply(void **state)
{
	(void)state;
	static struct cmd_result r;
	/* shipped in the repository: the 7d9a0273 backport, then the fix on top */
	assert_int_equal(access(PATCH, R_OK), 0);
	assert_int_equal(access(FIX_PATCH, R_OK), 0);
	sh(&r, SOURCE_DIR "/lab/build-kernel --config-only --source '%s' --cache %s --arch x86_64 --patch %s",
	   kernel_source, tmp, PATCH);
	expect_ok(&r);
	sh(&r, SOURCE_DIR "/lab/build-kernel --config-only --source '%s' --cache %s --arch arm64 --patch %s --patch %s",
	   kernel_source, tmp, PATCH, FIX_PATCH);
	expect_ok(&r);
	/* and with no fuzz, in order */
	sh(&r, "set -e; d=$(mktemp -d); cd \"$d\"; for f in include/linux/kvm_host.h include/linux/srcu.h include/linux/srcutree.h"
	       " include/linux/srcutiny.h kernel/rcu/srcutree.c virt/kvm/kvm_main.c; do mkdir -p $(dirname $f); cp '%s'/$f $f; done;"
	       " patch -p1 -F0 -s < %s; patch -p1 -F0 -s < %s; grep -q call_srcu_expedited virt/kvm/kvm_main.c; cd /; rm -rf \"$d\"",
	   kernel_source, PATCH, FIX_PATCH);
	expect_ok(&r);
}

static void a_patch_that_does_not_apply_stops_before_building(void **state)
{
	(void)state;
	static struct cmd_result r, before, after;
	if (access(PATCH, R_OK) != 0)
		skip();
	/* the real patch with one context line changed, so its hunk fails */
	sh(&r, "sed 's/^ \tcleanup_srcu_struct(&kvm->irq_srcu);/ \tcleanup_srcu_struct(\\&kvm->not_there);/' %s >%s/bad.patch"
	       " && ! cmp -s %s %s/bad.patch", PATCH, tmp, PATCH, tmp);
	expect_ok(&r);
	sh(&before, "sha256sum '%s/virt/kvm/kvm_main.c' '%s/include/linux/kvm_host.h'", kernel_source, kernel_source);
	sh(&r, SOURCE_DIR "/lab/build-kernel --source '%s' --cache %s --arch x86_64 --patch %s/bad.patch",
	   kernel_source, tmp, tmp);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "FAILED"));        /* patch's own output */
	assert_non_null(strstr(r.out, "does not apply")); /* and what to do */
	sh(&after, "sha256sum '%s/virt/kvm/kvm_main.c' '%s/include/linux/kvm_host.h'", kernel_source, kernel_source);
	assert_string_equal(before.out, after.out);
	/* nothing was built or copied */
	sh(&r, "ls %s/trees %s/kernels 2>/dev/null | grep -c '^[0-9a-f]\\{16\\}$'", tmp, tmp);
	assert_string_equal(r.out, "0\n");
}

static const char *canned_labels = "--expect-label kernel=6.1.192 --expect-label patch=none --expect-label hz=100 "
				   "--expect-label accel=tcg --expect-kernel 6.1.192";

static void a_canned_boot_log_comes_back_labelled(void **state)
{
	(void)state;
	static struct cmd_result r;
	sh(&r, SOURCE_DIR "/lab/collect --log %s --out %s/canned %s", CANNED, tmp, canned_labels);
	expect_ok(&r);
	/* every file the guest framed, intact; results where the lab files them */
	sh(&r, "grep -c '^==BB-FILE ' %s", CANNED);
	int framed = atoi(r.out);
	assert_true(framed >= 2);
	char expect[64];
	snprintf(expect, sizeof(expect), "collect: %d file(s) intact", framed);
	sh(&r, SOURCE_DIR "/lab/collect --log %s --out %s/canned %s", CANNED, tmp, canned_labels);
	assert_non_null(strstr(r.out, expect));
	sh(&r, "jq -r '.labels.patch + \" \" + .labels.hz + \" \" + (.iterations | length | tostring)' %s/canned/firecracker.json",
	   tmp);
	expect_ok(&r);
	assert_string_equal(r.out, "none 100 1\n");
	sh(&r, "cat %s/canned/commands.status", tmp);
	assert_string_equal(r.out, "0\n");
}

static void a_result_of_the_other_side_is_refused(void **state)
{
	(void)state;
	static struct cmd_result r;
	sh(&r, SOURCE_DIR "/lab/collect --log %s --out %s/wrong --expect-label patch=kvm-io-bus-call-srcu-6.1", CANNED,
	   tmp);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "has label patch=none, this side was run with patch=kvm-io-bus-call-srcu-6.1"));
	sh(&r, SOURCE_DIR "/lab/collect --log %s --out %s/wrong --expect-kernel 6.1.192-patched", CANNED, tmp);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "was measured on kernel 6.1.192, this side's kernel is 6.1.192-patched"));
}

static void a_damaged_file_is_caught(void **state)
{
	(void)state;
	static struct cmd_result r;
	/* one base64 character changed in the third line of the result's frame
	 * (the console's lines end in CR LF) */
	sh(&r, "n=$(awk '/^==BB-FILE /{f++} {sub(/\\r$/, \"\")} f==2 && length($0)==76 {if (++k==3) {print NR; exit}}' %s) && "
	       "[ -n \"$n\" ] && sed -E \"${n}s/^(.{39})A/\\1B/; t; ${n}s/^(.{39})./\\1A/\" %s >%s/damaged.log && "
	       "[ \"$(diff %s %s/damaged.log | grep -c '^[<>]')\" = 2 ]",
	   CANNED, CANNED, tmp, CANNED, tmp);
	expect_ok(&r);
	sh(&r, SOURCE_DIR "/lab/collect --log %s/damaged.log --out %s/damaged", tmp, tmp);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "came back damaged"));
	/* a log that ends before the guest finished */
	sh(&r, "head -c 2000 %s >%s/cut.log && " SOURCE_DIR "/lab/collect --log %s/cut.log --out %s/cut", CANNED, tmp, tmp,
	   tmp);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "the guest did not finish"));
}

static void three_sides_parse_and_alternate(void **state)
{
	(void)state;
	static struct cmd_result r;
	sh(&r, SOURCE_DIR "/lab/ab --dry-run --source '%s' --side 7d9a0273=%s --side fix=%s,%s --arch x86_64,arm64 --hz 100"
	       " --rounds 2 --cases qemu",
	   kernel_source, PATCH, PATCH, FIX_PATCH);
	expect_ok(&r);
	assert_non_null(strstr(r.out, "ab: side fix: kvm-io-bus-call-srcu-6.1.patch kvm-io-bus-call-srcu-expedited-6.1.patch\n"));
	/* every side once a round, baseline first, for each arch */
	assert_non_null(strstr(r.out, "ab: x86_64 HZ=100 round 1: baseline 7d9a0273 fix (cases: qemu)\n"
				      "ab: x86_64 HZ=100 round 2: baseline 7d9a0273 fix (cases: qemu)\n"
				      "ab: arm64 HZ=100 round 1: baseline 7d9a0273 fix (cases: qemu)\n"));
	/* the same side twice, and a side named baseline, are refused */
	sh(&r, SOURCE_DIR "/lab/ab --dry-run --side a=%s --side a=%s", PATCH, FIX_PATCH);
	expect_refusal(&r, "--side a is given twice");
	sh(&r, SOURCE_DIR "/lab/ab --dry-run --side baseline=%s", PATCH);
	assert_int_equal(r.status, 2);
}

/* Sides from a git tree: each ref (tag, branch, HEAD) with patches on top
 * if given, named by its commit, its patches checked against the commit's
 * own files; nothing checked out (build-kernel --git builds in a worktree
 * of the cache); the user's checkout, index and uncommitted change left as
 * they were; bad refs and options each refused in one line. */
static void sides_from_a_git_tree(void **state)
{
	(void)state;
	static struct cmd_result r;
	/* a tree build-kernel takes for a kernel's: a Makefile and virt/kvm */
	sh(&r, "set -e; g=%s/git; rm -rf $g; mkdir -p $g/tree/virt/kvm; cd $g/tree; git init -q;"
	       " git config user.email lab@test; git config user.name lab;"
	       " echo 'all:' >Makefile; echo one >virt/kvm/kvm_main.c; git add .; git commit -qm 'KVM: first'; git tag v1;"
	       " echo two >>virt/kvm/kvm_main.c; git commit -qam \"KVM: second, with 'quotes' and \\$dollars\";"
	       " git checkout -qb topic; echo three >>virt/kvm/kvm_main.c; git commit -qam 'KVM: third'; git checkout -q -;"
	       " echo uncommitted >>Makefile;"
	       " printf -- '--- a/virt/kvm/kvm_main.c\\n+++ b/virt/kvm/kvm_main.c\\n@@ -1 +1,2 @@\\n one\\n+patched\\n' >$g/fix.patch;"
	       " for ref in v1 topic HEAD; do git rev-parse --short=12 $ref; done | paste -sd' '",
	   tmp);
	expect_ok(&r);
	char v1[13], topic[13], head[13];
	assert_int_equal(sscanf(r.out, "%12s %12s %12s", v1, topic, head), 3);
	char want[512];
	for (int run = 0; run < 2; run++) { /* the same twice: nothing left behind changes it */
		sh(&r, SOURCE_DIR "/lab/ab --dry-run --source %s/git/tree --cache %s/git/cache --baseline v1 --side new=topic"
		       " --side fix=v1+%s/git/fix.patch --side head=HEAD --arch x86_64 --cases qemu --rounds 1 2>&1",
		   tmp, tmp, tmp);
		expect_ok(&r);
		snprintf(want, sizeof(want), "ab: side baseline: %s KVM: first\n", v1);
		assert_non_null(strstr(r.out, want));
		snprintf(want, sizeof(want), "ab: side new: %s KVM: third\n", topic);
		assert_non_null(strstr(r.out, want));
		snprintf(want, sizeof(want), "ab: side fix: %s KVM: first + fix.patch\n", v1);
		assert_non_null(strstr(r.out, want));
		snprintf(want, sizeof(want), "ab: side head: %s KVM: second, with 'quotes' and $dollars\n", head);
		assert_non_null(strstr(r.out, want));
		assert_non_null(strstr(r.out, "has uncommitted changes; the sides are its commits, checked out apart"));
		assert_non_null(strstr(r.out, "ab: x86_64 HZ=100 round 1: baseline new fix head (cases: qemu)\n"));
		/* no worktree made by a dry run; the tree still on its branch, its change kept */
		sh(&r, "cd %s/git/tree && git worktree list | wc -l && git rev-parse --abbrev-ref HEAD && git status --short",
		   tmp);
		if (strncmp(r.out, "1\n", 2) != 0 || (!strstr(r.out, "master\n") && !strstr(r.out, "main\n")) ||
		    !strstr(r.out, " M Makefile\n"))
			fail_msg("the user's tree was touched, or a worktree made by a dry run:\n%s", r.out);
	}
	/* a patch is checked against the commit's files, not the checkout's:
	 * one that removes the line "two" applies to the checkout (HEAD) and
	 * not to v1, whose kvm_main.c has one line */
	sh(&r, "printf -- '--- a/virt/kvm/kvm_main.c\\n+++ b/virt/kvm/kvm_main.c\\n@@ -1,2 +1 @@\\n one\\n-two\\n' >%s/git/rm-two.patch"
	       " && patch --dry-run -d %s/git/tree -p1 <%s/git/rm-two.patch >/dev/null",
	   tmp, tmp, tmp);
	expect_ok(&r);
	sh(&r, SOURCE_DIR "/lab/ab --dry-run --source %s/git/tree --cache %s/git/cache --baseline v1 --side late=v1+%s/git/rm-two.patch"
	       " --arch x86_64 --cases qemu --rounds 1 2>&1",
	   tmp, tmp, tmp);
	assert_int_equal(r.status, 1);
	snprintf(want, sizeof(want), "does not apply to commit %s", v1);
	assert_non_null(strstr(r.out, want));
	assert_non_null(strstr(r.out, "ab: side late's patches do not apply"));

	const struct {
		const char *args, *message;
	} bad[] = {
		{ "--side x=nosuchref", "unknown ref 'nosuchref' in " },
		{ "--side x=%s/git/fix.patch", "with a git tree a side is a commit and its patches, --side x=HEAD+" },
		{ "--patch %s/git/fix.patch", "--patch with a git tree: name the side and its commit" },
		{ "--baseline nosuch --side x=v1", "unknown ref 'nosuch'" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char args[512];
		snprintf(args, sizeof(args), bad[i].args, tmp);
		sh(&r, SOURCE_DIR "/lab/ab --dry-run --source %s/git/tree --cache %s/git/cache %s 2>&1 | grep -v '^ab: note: '",
		   tmp, tmp, args);
		expect_one_line(&r, args, bad[i].message);
		sh(&r, SOURCE_DIR "/lab/ab --dry-run --source %s/git/tree --cache %s/git/cache %s >/dev/null 2>&1; echo $?",
		   tmp, tmp, args);
		assert_string_equal(r.out, "2\n");
	}
	/* a plain directory has no refs: --baseline is refused */
	sh(&r, SOURCE_DIR "/lab/ab --dry-run --source %s/git/tree/virt --baseline v1 --side x=v1 2>&1", tmp);
	expect_refusal(&r, "--baseline v1 needs --source GIT-TREE");
}

/* A bisection step's call on canned results (the committed cell: the
 * baseline, 7d9a0273 34% faster in vmm, and the fix): a commit like the
 * good end is good, one like the bad end is bad, one with a run of each
 * is uncertain; ends with no change between them are refused. */
static void the_bisect_classifier_on_canned_results(void **state)
{
	(void)state;
	static struct cmd_result r;
	sh(&r, "set -e; d=%s/bisect; mkdir -p $d; for s in baseline 7d9a0273 fix; do"
	       " cp " FULL_CELL "/$s/r1-" CASE ".json.gz $d/$s.json.gz; cp $d/$s.json.gz $d/$s-again.json.gz; done",
	   tmp);
	expect_ok(&r);
	const struct {
		const char *commit, *call;
	} steps[] = {
		{ "baseline-again", "call=good\n" },
		{ "7d9a0273-again", "call=bad\n" },
		{ "fix", "call=bad\n" }, /* the fix keeps registration cheap: vmm as 7d9a0273's */
	};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		sh(&r, "BOOTBENCH=" BOOTBENCH_BIN " " SOURCE_DIR "/lab/bisect-classify --metric vmm --good %s/bisect/baseline.json.gz"
		       " --bad %s/bisect/7d9a0273.json.gz --commit %s/bisect/%s.json.gz",
		   tmp, tmp, tmp, steps[i].commit);
		expect_ok(&r);
		if (!strstr(r.out, steps[i].call) || !strstr(r.out, "effect_verdict=faster\n"))
			fail_msg("%s: not %s%s", steps[i].commit, steps[i].call, r.out);
	}
	/* a run of each end: neither like one nor moved from the other */
	sh(&r, "BOOTBENCH=" BOOTBENCH_BIN " " SOURCE_DIR "/lab/bisect-classify --metric vmm --good %s/bisect/baseline.json.gz"
	       " --bad %s/bisect/7d9a0273.json.gz --commit %s/bisect/baseline-again.json.gz %s/bisect/7d9a0273-again.json.gz",
	   tmp, tmp, tmp, tmp);
	expect_ok(&r);
	assert_non_null(strstr(r.out, "call=uncertain\n"));
	/* ends that do not differ: nothing to bisect, in one line, exit 2 */
	sh(&r, "BOOTBENCH=" BOOTBENCH_BIN " " SOURCE_DIR "/lab/bisect-classify --metric vmm --good %s/bisect/baseline.json.gz"
	       " --bad %s/bisect/baseline-again.json.gz 2>&1",
	   tmp, tmp);
	expect_refusal(&r, "bisect: no significant change of vmm between the ends");
	assert_non_null(strstr(r.out, "bisecting would follow noise"));
	/* bad input: a metric no result has, a file on no side */
	sh(&r, "BOOTBENCH=" BOOTBENCH_BIN " " SOURCE_DIR "/lab/bisect-classify --metric nosuch --good %s/bisect/baseline.json.gz"
	       " --bad %s/bisect/fix.json.gz 2>&1",
	   tmp, tmp);
	expect_refusal(&r, "metric 'nosuch' is not in the baseline results");
	sh(&r, "BOOTBENCH=" BOOTBENCH_BIN " " SOURCE_DIR "/lab/bisect-classify --metric vmm %s/bisect/fix.json.gz 2>&1", tmp);
	expect_refusal(&r, "belongs to no side");
}

/* lab/make-bisect-history, on the files of Debian's 6.1 that its series
 * touches (the whole tree is its benchmark's): 16 commits over the
 * source, the 7d9a0273 backport the 8th and the only one in the io bus
 * code, KVM touched harmlessly twice besides, the same commit ids on a
 * second run; and a history lab/ab takes as sides by ref. */
static void a_bisect_history_is_made_the_same_twice(void **state)
{
	(void)state;
	static struct cmd_result r;
	sh(&r, "set -e; d=%s/history; rm -rf $d; mkdir -p $d/src; cd '%s';"
	       " for f in Documentation/virt/kvm/review-checklist.rst drivers/net/dummy.c Documentation/virt/kvm/locking.rst"
	       " drivers/char/ttyprintk.c virt/kvm/eventfd.c tools/testing/selftests/kvm/Makefile include/linux/kvm_host.h"
	       " virt/kvm/kvm_main.c Makefile .gitignore; do mkdir -p $d/src/$(dirname $f); cp $f $d/src/$f; done",
	   tmp, kernel_source);
	expect_ok(&r);
	static char first[1024];
	sh(&r, SOURCE_DIR "/lab/make-bisect-history --source %s/history/src --out %s/history/a", tmp, tmp);
	expect_ok(&r);
	snprintf(first, sizeof(first), "%s", strstr(r.out, "good="));
	assert_non_null(strstr(r.out, "commits=16\n"));
	sh(&r, SOURCE_DIR "/lab/make-bisect-history --source %s/history/src --out %s/history/b", tmp, tmp);
	expect_ok(&r);
	assert_string_equal(strstr(r.out, "good="), first);
	/* the culprit: the 8th commit, the only one in the io bus code */
	sh(&r, "cd %s/history/a && git rev-list --reverse good..bad | sed -n 8p && git rev-list good..bad --"
	       " virt/kvm/kvm_main.c include/linux/kvm_host.h && git log -1 --format=%%s $(git rev-list --reverse good..bad | sed -n 8p)"
	       " && git rev-list --count good..bad -- virt/kvm/eventfd.c && git status --porcelain | wc -l"
	       " && git ls-tree --name-only good -- Makefile",
	   tmp);
	expect_ok(&r);
	char culprit[64], want[256];
	assert_int_equal(sscanf(strstr(first, "culprit=") + 8, "%40s", culprit), 1);
	/* Makefile in the first commit, though Debian's .gitignore ignores the
	 * whole top level */
	snprintf(want, sizeof(want), "%s\n%s\nKVM: Avoid synchronize_srcu() in kvm_io_bus_register_dev()\n2\n0\nMakefile\n",
		 culprit, culprit);
	assert_string_equal(r.out, want);
	/* lab/ab takes its refs as sides */
	sh(&r, SOURCE_DIR "/lab/ab --dry-run --source %s/history/a --cache %s/history/cache --baseline good --side bad=bad"
	       " --arch x86_64 --cases firecracker-memslot --rounds 1",
	   tmp, tmp);
	expect_ok(&r);
	assert_non_null(strstr(r.out, "ab: side bad: "));
	/* a directory that is there, and a source without the series' files */
	sh(&r, SOURCE_DIR "/lab/make-bisect-history --source %s/history/src --out %s/history/a", tmp, tmp);
	expect_refusal(&r, "exists and is not empty");
	sh(&r, "mkdir -p %s/history/empty && " SOURCE_DIR "/lab/make-bisect-history --source %s/history/empty --out %s/history/c",
	   tmp, tmp, tmp);
	expect_refusal(&r, "give a Linux 6.1 source tree");
}

/* A tree lab/bisect takes whose commits no kernel build takes: good,
 * three commits to kvm_main.c, bad; its Makefile has no kernel targets,
 * so a build fails in make for real. Prints the commits, good to bad. */
static void make_bisect_tree(struct cmd_result *r, const char *name)
{
	sh(r, "set -e; b=%s/%s; rm -rf $b; mkdir -p $b/tree/virt/kvm; cd $b/tree; git init -q;"
	      " git config user.email lab@test; git config user.name lab;"
	      " echo 'all:' >Makefile; echo 0 >virt/kvm/kvm_main.c; git add .; git commit -qm 'KVM: start'; git tag good;"
	      " for i in 1 2 3; do echo $i >>virt/kvm/kvm_main.c; git commit -qam \"KVM: change $i\"; done; git tag bad;"
	      " (git rev-parse good; git rev-list --reverse good..bad) | paste -sd' '",
	   tmp, name);
	expect_ok(r);
}

#define CANNED_BATCH SOURCE_DIR "/tests/lab/canned-batch " FULL_CELL
#define BISECT "BOOTBENCH=" BOOTBENCH_BIN " " SOURCE_DIR "/lab/bisect --case " CASE " --metric vmm --arch x86_64 --hz 100"

/* A step's files, as lab/bisect and lab/publish-bisect both take them
 * from lab/bisect-classify --step: round order (r10 after r9, where a
 * glob or ls puts it after r1), batch after batch, up to the first batch
 * lab/ab did not finish (no README.md) or --batches; the call made from a
 * step is the one made from its files named by hand. */
static void a_steps_files_come_in_round_order(void **state)
{
	(void)state;
	static struct cmd_result r;
	sh(&r, "set -e; s=%s/step-files/01-x;"
	       CANNED_BATCH " $s/batch1 baseline=g,g,g,g,g,g,g,g,g,g bad=b,b mid=g,b;"
	       CANNED_BATCH " $s/batch2 baseline=g bad=b mid=b; rm $s/batch2/README.md;"
	       CANNED_BATCH " $s/batch3 baseline=g bad=b mid=b",
	   tmp);
	expect_ok(&r);
	char want[4096] = "";
	size_t len = 0;
	for (int n = 1; n <= 10 && len < sizeof(want); n++)
		len += (size_t)snprintf(want + len, sizeof(want) - len,
					"%s/step-files/01-x/batch1/x86_64-hz100/baseline/r%d-arm64-many-vcpus.json.gz\n", tmp, n);
	assert_true(len < sizeof(want));
	sh(&r, SOURCE_DIR "/lab/bisect-classify --step %s/step-files/01-x --files baseline", tmp);
	expect_ok(&r);
	assert_string_equal(r.out, want);
	sh(&r, SOURCE_DIR "/lab/bisect-classify --step %s/step-files/01-x --batches 1 --files mid | sed 's|.*/batch|batch|'", tmp);
	expect_ok(&r);
	assert_string_equal(r.out, "batch1/x86_64-hz100/mid/r1-arm64-many-vcpus.json.gz\n"
				   "batch1/x86_64-hz100/mid/r2-arm64-many-vcpus.json.gz\n");
	/* the call from the step, and from the same files named by hand */
	sh(&r, "cd %s/step-files/01-x/batch1/x86_64-hz100 && BOOTBENCH=" BOOTBENCH_BIN " " SOURCE_DIR
	       "/lab/bisect-classify --metric vmm --step ../.. > ../../../by-step &&"
	       " BOOTBENCH=" BOOTBENCH_BIN " " SOURCE_DIR "/lab/bisect-classify --metric vmm --good"
	       " $(for n in 1 2 3 4 5 6 7 8 9 10; do echo baseline/r$n-arm64-many-vcpus.json.gz; done)"
	       " --bad bad/r1-* bad/r2-* --commit mid/r1-* mid/r2-* > ../../../by-hand && cmp ../../../by-step ../../../by-hand"
	       " && grep -c '^call=' ../../../by-step",
	   tmp);
	expect_ok(&r);
	assert_string_equal(r.out, "1\n");
	/* bad input, one line and exit 2 each */
	sh(&r, SOURCE_DIR "/lab/bisect-classify --files baseline 2>&1");
	expect_refusal(&r, "--files lists a step's files: give --step DIR with it");
	sh(&r, SOURCE_DIR "/lab/bisect-classify --step %s/step-files/01-x --files side 2>&1", tmp);
	expect_refusal(&r, "bad --files 'side': use baseline, bad or mid");
	sh(&r, SOURCE_DIR "/lab/bisect-classify --step %s/step-files/01-x --batches 0 --files bad 2>&1", tmp);
	expect_refusal(&r, "bad --batches '0'");
	sh(&r, SOURCE_DIR "/lab/bisect-classify --step %s/step-files/nosuch --files bad 2>&1", tmp);
	expect_refusal(&r, "is not a directory: give a lab/bisect step");
	sh(&r, SOURCE_DIR "/lab/bisect-classify --metric vmm --step %s/step-files/01-x --good %s/bisect/baseline.json.gz 2>&1",
	   tmp, tmp);
	expect_refusal(&r, "--step gathers the files itself");
}

/* A bisection resumed from the batches an interrupted run kept (the
 * committed cell's results laid out as lab/ab leaves them): the ends
 * differ; the first commit git bisect names is uncertain after one batch
 * (a run like each end) and after two, and bad after the third; the next
 * is good; so the first bad commit is named, with its subject, a row per
 * step, the rounds it took (a kernel lab/ab built inside a batch counted
 * as a build, not as boots), "Where it waited" between the last good and
 * the first bad commit, and git's own bisect log. The user's tree is left
 * as it was; a run with other options in the same --out is refused. */
static void a_bisection_resumes_from_its_kept_batches(void **state)
{
	(void)state;
	static struct cmd_result r;
	make_bisect_tree(&r, "bisect-run");
	char c[4][41];
	assert_int_equal(sscanf(r.out, "%40s %40s %40s %40s", c[0], c[1], c[2], c[3]), 4);
	/* git's own choices: the first midpoint, and the next once it is bad */
	char first[41], second[41];
	sh(&r, "cd %s/bisect-run/tree && git rev-list --bisect bad ^good", tmp);
	expect_ok(&r);
	assert_int_equal(sscanf(r.out, "%40s", first), 1);
	sh(&r, "cd %s/bisect-run/tree && git rev-list --bisect %s ^good", tmp, first);
	expect_ok(&r);
	assert_int_equal(sscanf(r.out, "%40s", second), 1);
	sh(&r, "set -e; o=%s/bisect-run/out/steps; "
	       CANNED_BATCH " $o/00-ends/batch1 baseline=g,g bad=b,b;"
	       CANNED_BATCH " $o/01-%.12s/batch1 baseline=g,g bad=b,b mid=g,b;"
	       CANNED_BATCH " $o/01-%.12s/batch2 baseline=g,g bad=b,b mid=b,b;"
	       CANNED_BATCH " $o/01-%.12s/batch3 baseline=g,g bad=b,b mid=b,b;"
	       CANNED_BATCH " $o/02-%.12s/batch1 baseline=g,g bad=b,b mid=g,g;"
	       /* the ends' batch built a (guest) kernel inside its 41 s */
	       " echo 'build-kernel: built the baseline x86_64 kernel 0123456789abcdef (6.1.192, HZ=100) in 40s' >$o/00-ends/batch1/lab.log;"
	       " sed -i 's/^- wall time: 1s/- wall time: 41s/' $o/00-ends/batch1/README.md",
	   tmp, first, first, first, second);
	expect_ok(&r);
	for (int run = 0; run < 2; run++) { /* the second finds every call made */
		sh(&r, BISECT " --source %s/bisect-run/tree --good good --bad bad --rounds 2 --max-rounds 6"
			      " --out %s/bisect-run/out --cache %s/bisect-run/cache",
		   tmp, tmp, tmp);
		expect_ok(&r);
		char want[512];
		snprintf(want, sizeof(want), "01-%.12s: uncertain after 2 rounds a side: another batch", first);
		if (run == 0 && !strstr(r.out, want))
			fail_msg("no batch added to the uncertain step: %s", r.out);
		snprintf(want, sizeof(want), "bisect: first bad commit: %.12s KVM: change 2", first);
		if (strcmp(first, c[2]) != 0 || strcmp(second, c[1]) != 0 || !strstr(r.out, want))
			fail_msg("not the commit the canned results make bad (%.12s, then %.12s): %s", first, second, r.out);
	}
	sh(&r, "cat %s/bisect-run/out/README.md", tmp);
	expect_ok(&r);
	char row[512];
	snprintf(row, sizeof(row), "**First bad commit: `%.12s` KVM: change 2**", first);
	assert_non_null(strstr(r.out, row));
	snprintf(row, sizeof(row), "| 1 | `%.12s` | KVM: change 2 | 6 | ", first);
	assert_non_null(strstr(r.out, row));
	snprintf(row, sizeof(row), "| 2 | `%.12s` | KVM: change 1 | 2 | ", second);
	assert_non_null(strstr(r.out, row));
	assert_non_null(strstr(r.out, "| **bad** |"));
	assert_non_null(strstr(r.out, "| **good** |"));
	assert_non_null(strstr(r.out, "| 0 | ends |"));
	/* a kernel lab/ab built counts as a build, not as boots */
	sh(&r, "grep '^| 0 | ends |' %s/bisect-run/out/README.md | grep -c '| 40s | 1s |$'", tmp);
	assert_string_equal(r.out, "1\n");
	sh(&r, "cat %s/bisect-run/out/README.md", tmp);
	expect_ok(&r);
	snprintf(row, sizeof(row), "## Where the time moved: `%.12s` (last good) against `%.12s` (first bad)", second, first);
	assert_non_null(strstr(r.out, row));
	assert_non_null(strstr(r.out, "Where it waited (off-CPU time by op"));
	/* git's log, replayable: both calls, and the answer */
	sh(&r, "cat %s/bisect-run/out/git-bisect.log", tmp);
	snprintf(row, sizeof(row), "git bisect bad %s\n", first);
	assert_non_null(strstr(r.out, row));
	snprintf(row, sizeof(row), "git bisect good %s\n", second);
	assert_non_null(strstr(r.out, row));
	snprintf(row, sizeof(row), "# first bad commit: [%s]", first);
	assert_non_null(strstr(r.out, row));
	/* the user's tree: its branch, no worktree left, nothing changed */
	sh(&r, "cd %s/bisect-run/tree && git worktree list | wc -l && git status --porcelain | wc -l && git bisect log 2>&1 | head -1",
	   tmp);
	assert_string_equal(r.out, "1\n0\nerror: We are not bisecting.\n");
	/* the same --out with other options */
	sh(&r, BISECT " --source %s/bisect-run/tree --good good --bad bad --rounds 3 --out %s/bisect-run/out"
		      " --cache %s/bisect-run/cache",
	   tmp, tmp, tmp);
	expect_refusal(&r, "holds a bisection with other ends or options (rounds=2): give a new --out");

	/* filed: slim results, the calls made again from them equal, no path
	 * of the run left; one measured by uncommitted changes refused */
	sh(&r, "set -e; cd %s/bisect-run; rm -rf dirty; cp -a out dirty;"
	       " sed -i 's/lab\\/bisect: commit `[^`]*`/lab\\/bisect: commit `0123456789ab`/' out/README.md;"
	       " sed -i 's/lab\\/bisect: commit `[^`]*`/lab\\/bisect: commit `0123456789ab-dirty`/' dirty/README.md;"
	       " BOOTBENCH=" BOOTBENCH_BIN " " SOURCE_DIR "/lab/publish-bisect out bisected --into pub",
	   tmp);
	expect_ok(&r);
	sh(&r, "cd %s/bisect-run/pub/bisected && ls && find steps -name '*.json.gz' | wc -l && ! grep -rl '%s' . &&"
	       " gzip -dc steps/01-*/batch3/x86_64-hz100/mid/r1-" CASE ".json.gz | jq -c '[any(.iterations[]; has(\"events\"))]'",
	   tmp, tmp);
	expect_ok(&r);
	/* 4 ends + 3 batches of 6 + 6: 28 results */
	assert_string_equal(r.out, "README.md\nbisect.conf\nbisect.log\nbisect.tsv\nculprit-compare.txt\nculprit-report.csv\n"
				   "culprit-report.md\ngit-bisect.log\nsteps\nwall-total\n28\n[false]\n");
	sh(&r, "cd %s/bisect-run && BOOTBENCH=" BOOTBENCH_BIN " " SOURCE_DIR "/lab/publish-bisect dirty d --into pub", tmp);
	expect_refusal(&r, "called by a lab/bisect with uncommitted changes (0123456789ab-dirty)");
	sh(&r, "cd %s/bisect-run && BOOTBENCH=" BOOTBENCH_BIN " " SOURCE_DIR "/lab/publish-bisect out bisected --into pub", tmp);
	expect_refusal(&r, "pass --replace to publish over it");
}

/* A commit that does not build is skipped, as git bisect skip does, with
 * make's own last line as the reason, and no boot; with only skipped
 * commits left the report names the candidates instead of one commit. */
static void a_commit_that_does_not_build_is_skipped(void **state)
{
	(void)state;
	static struct cmd_result r;
	make_bisect_tree(&r, "bisect-skip");
	sh(&r, CANNED_BATCH " %s/bisect-skip/out/steps/00-ends/batch1 baseline=g,g bad=b,b", tmp);
	expect_ok(&r);
	sh(&r, BISECT " --source %s/bisect-skip/tree --good good --bad bad --rounds 2 --out %s/bisect-skip/out"
		      " --cache %s/bisect-skip/cache",
	   tmp, tmp, tmp);
	expect_ok(&r);
	assert_non_null(strstr(r.out, "bisect: only skipped commits are left: the first bad commit is one of "));
	sh(&r, "cd %s/bisect-skip/out && cat README.md && cut -f3,9 bisect.tsv && grep -c '^git bisect skip' git-bisect.log"
	       " && ls -d steps/*/batch[0-9]* | wc -l",
	   tmp);
	expect_ok(&r);
	assert_non_null(strstr(r.out, "**No single commit: only skipped commits are left"));
	assert_non_null(strstr(r.out, "skip\tdoes not build: make: *** No rule to make target 'allnoconfig'."));
	assert_non_null(strstr(r.out, "| **skip**: does not build: make: *** No rule to make target"));
	/* two skips, and no batch measured but the ends' */
	assert_non_null(strstr(r.out, "\n2\n1\n"));
}

/* lab/bisect's bad input, each one line and exit 2: not a git tree, an
 * unknown ref, good not an ancestor of bad, a range over --max-commits,
 * two arches; ends that measure the same (copies of one run) refused with
 * "no significant change", and refused again on a second run; a dirty
 * tree is said, and bisected all the same. */
static void bisect_refuses_bad_input_and_ends_without_a_change(void **state)
{
	(void)state;
	static struct cmd_result r;
	make_bisect_tree(&r, "bisect-bad");
	const struct {
		const char *args, *message;
	} bad[] = {
		{ "--source /proc --good a --bad b", "--source /proc is not a git tree" },
		{ "--source %s/bisect-bad/tree --good nosuch --bad bad", "--good: unknown ref 'nosuch'" },
		{ "--source %s/bisect-bad/tree --good bad --bad good", "is not an ancestor of --bad good" },
		{ "--source %s/bisect-bad/tree --good good --bad bad --max-commits 2", "has 3 commits, over --max-commits 2" },
		{ "--source %s/bisect-bad/tree --good good --bad bad --arch x86_64,arm64", "--arch takes one arch" },
		{ "--source %s/bisect-bad/tree/virt --good good --bad bad", "give the top of the git tree" },
		{ "--source %s/bisect-bad/tree --good good --bad bad --rounds 0", "--rounds must be a positive integer" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char args[512];
		snprintf(args, sizeof(args), bad[i].args, tmp);
		sh(&r, BISECT " %s --out %s/bisect-bad/out", args, tmp);
		expect_refusal(&r, bad[i].message);
		expect_one_line(&r, args, bad[i].message);
	}
	/* the false positive: ends with no change between them */
	sh(&r, "cd %s/bisect-bad/tree && echo dirty >>Makefile && " CANNED_BATCH " %s/bisect-bad/out/steps/00-ends/batch1 baseline=g,g bad=g,g",
	   tmp, tmp);
	expect_ok(&r);
	for (int run = 0; run < 2; run++) {
		sh(&r, BISECT " --source %s/bisect-bad/tree --good good --bad bad --rounds 2 --out %s/bisect-bad/out"
			      " --cache %s/bisect-bad/cache",
		   tmp, tmp, tmp);
		assert_int_equal(r.status, 2);
		if (run == 0)
			assert_non_null(strstr(r.out, "bisect: note: " /* dirty, said */));
		assert_non_null(strstr(r.out, "bisect: no significant change of vmm between "));
		assert_non_null(strstr(r.out, "the ends measure the same"));
	}
}

static void a_broken_patch_of_a_later_side_stops_before_any_build(void **state)
{
	(void)state;
	static struct cmd_result r;
	/* the fix patch with one removed line changed, so its hunk fails */
	sh(&r, "sed 's/^-void call_srcu(/-void call_srcu_not_there(/' %s >%s/bad-fix.patch && ! cmp -s %s %s/bad-fix.patch",
	   FIX_PATCH, tmp, FIX_PATCH, tmp);
	expect_ok(&r);
	sh(&r, SOURCE_DIR "/lab/ab --source '%s' --cache %s/ab-cache --out %s/ab-out --arch x86_64 --side 7d9a0273=%s"
	       " --side fix=%s,%s/bad-fix.patch",
	   kernel_source, tmp, tmp, PATCH, PATCH, tmp);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "FAILED"));
	assert_non_null(strstr(r.out, "ab: side fix's patches do not apply (patch's output above): nothing was built"));
	/* no kernel, no bootbench, no output directory */
	assert_null(strstr(r.out, "building"));
	sh(&r, "ls -d %s/ab-cache %s/ab-out 2>/dev/null | wc -l", tmp, tmp);
	assert_string_equal(r.out, "0\n");
}

static void publish_files_a_run_in_the_documented_layout(void **state)
{
	(void)state;
	static struct cmd_result r;
	if (access(FULL_CELL "/baseline/r1-" CASE ".json.gz", R_OK) != 0)
		fail_msg("%s is gone: it is a fixture of this repository", FULL_CELL);
	sh(&r, SOURCE_DIR "/tests/lab/canned-run %s " CASE " %s/run " BOOTBENCH_BIN, FULL_CELL, tmp);
	expect_ok(&r);
	sh(&r, "BOOTBENCH=" BOOTBENCH_BIN " " SOURCE_DIR "/lab/publish %s/run canned --into %s/results --archives %s/archives", tmp, tmp, tmp);
	expect_ok(&r);
	/* published/<name>/<arch>-hz<HZ>/: each side's results gzipped, the
	 * run's outputs, the provenance, and no console log */
	sh(&r, "cd %s/results && find . -type f | sort", tmp);
	assert_string_equal(r.out, "./README.md\n"
				   "./canned/README.md\n"
				   "./canned/x86_64-hz250/7d9a0273/r1-" CASE ".json.gz\n"
				   "./canned/x86_64-hz250/README.md\n"
				   "./canned/x86_64-hz250/baseline/r1-" CASE ".json.gz\n"
				   "./canned/x86_64-hz250/boots/r1-7d9a0273.commands.log\n"
				   "./canned/x86_64-hz250/boots/r1-baseline.commands.log\n"
				   "./canned/x86_64-hz250/boots/r1-fix.commands.log\n"
				   "./canned/x86_64-hz250/cell.json\n"
				   "./canned/x86_64-hz250/compare-" CASE "-7d9a0273.txt\n"
				   "./canned/x86_64-hz250/compare-" CASE "-fix.txt\n"
				   "./canned/x86_64-hz250/fix/r1-" CASE ".json.gz\n"
				   "./canned/x86_64-hz250/report-" CASE "-7d9a0273.csv\n"
				   "./canned/x86_64-hz250/report-" CASE "-7d9a0273.md\n"
				   "./canned/x86_64-hz250/report-" CASE "-7d9a0273.txt\n"
				   "./canned/x86_64-hz250/report-" CASE "-fix.csv\n"
				   "./canned/x86_64-hz250/report-" CASE "-fix.md\n"
				   "./canned/x86_64-hz250/report-" CASE "-fix.txt\n");
	sh(&r, "gzip -t %s/results/canned/x86_64-hz250/fix/r1-" CASE ".json.gz", tmp);
	expect_ok(&r);
	/* slim: no raw events, but each iteration's calls */
	sh(&r, "gzip -dc %s/results/canned/x86_64-hz250/fix/r1-" CASE ".json.gz | jq -c '[any(.iterations[]; has(\"events\")),"
	       " all(.iterations[]; .calls.KVM_CREATE_VCPU.n > 0), .events_left_out.rows > 0, (.call_histograms | length > 0)]'", tmp);
	assert_string_equal(r.out, "[false,true,true,true]\n");
	/* the full results in the archive its README and cell.json name, by its SHA-256 */
	sh(&r, "cd %s/results/canned/x86_64-hz250 && a=%s/archives/$(jq -r .archive.file cell.json) &&"
	       " [ \"$(sha256sum <$a | cut -d' ' -f1)\" = \"$(jq -r .archive.sha256 cell.json)\" ] &&"
	       " grep -c \"sha256 \\`$(jq -r .archive.sha256 cell.json)\\`\" README.md && tar -tf $a &&"
	       " tar -xOf $a fix/r1-" CASE ".json.gz | gzip -dc | jq -c '[all(.iterations[]; has(\"events\")), has(\"events_left_out\")]'",
	   tmp, tmp);
	assert_string_equal(r.out, "1\n"
				   "7d9a0273/r1-" CASE ".json.gz\n"
				   "baseline/r1-" CASE ".json.gz\n"
				   "fix/r1-" CASE ".json.gz\n"
				   "[true,false]\n");
	/* nothing names the run's directory, the cache or any path outside */
	sh(&r, "grep -rlE '%s|/root|/tmp/|\\.cache' %s/results --include='*.md' --include='*.txt' --include='*.json' --include='*.log'",
	   tmp, tmp);
	assert_string_equal(r.out, "");
	/* the commit and kernels every result says */
	static struct cmd_result want;
	sh(&want, "gzip -dc %s/baseline/r1-" CASE ".json.gz | jq -r '.bootbench.commit + \" baseline=\" + .host.kernel_release'",
	   FULL_CELL);
	expect_ok(&want);
	want.out[strcspn(want.out, "\n")] = '\0';
	size_t used = strlen(want.out);
	snprintf(want.out + used, sizeof(want.out) - used, " 7d9a0273=6.1.192-patched fix=6.1.192-patched\n");
	sh(&r, "jq -r '.bootbench_commit + \" \" + ([.sides[] | .side + \"=\" + .kernel_release] | join(\" \"))'"
	       " %s/results/canned/x86_64-hz250/cell.json", tmp);
	assert_string_equal(r.out, want.out);
	sh(&r, "grep -c 'canned/x86_64-hz250/README.md' %s/results/README.md", tmp);
	assert_string_equal(r.out, "1\n");
	sh(&r, "grep -c '^lab/ab --side 7d9a0273=.* --out lab-results/canned$' %s/results/canned/x86_64-hz250/README.md", tmp);
	assert_string_equal(r.out, "1\n");
	/* the tables are lab/summarize's, from the cell's own files, not the
	 * run's README (whose verdicts an older bootbench wrote) */
	sh(&r, "cd %s/results/canned/x86_64-hz250 && grep -c -e '^the last line of the " CASE " section$' -e '^a section of another cell$' README.md;"
	       " grep -c -e '^<!-- Written by lab/summarize' -e '^### " CASE "$' -e '^| `op:KVM_IOEVENTFD:call_median`: act 1' README.md", tmp);
	assert_string_equal(r.out, "0\n3\n");
	/* every file name whole: the reports ran in the cell, on its names,
	 * so a line wrap cannot break one (it did, after a path rewrite) */
	sh(&r, "cd %s/results/canned/x86_64-hz250 && for s in 7d9a0273 fix; do"
	       " grep -c -e \"^A run 1: baseline/r1-" CASE ".json.gz, \" -e \"^B run 1: $s/r1-" CASE ".json.gz, \" report-" CASE "-$s.txt;"
	       " grep -c \"^| [AB] | 1 | \\(baseline\\|$s\\)/r1-" CASE ".json.gz |\" report-" CASE "-$s.md; done", tmp);
	assert_string_equal(r.out, "2\n2\n2\n2\n");
	/* drawn again from the archive: charts into a new archive, which the
	 * README and cell.json name; folded stacks, acts.png and the flame
	 * graphs (by side) into the cell, and no other chart */
	sh(&r, "c=%s/results/canned/x86_64-hz250 && jq -r .archive.sha256 $c/cell.json >%s/sha.before && BOOTBENCH=" BOOTBENCH_BIN " "
	       SOURCE_DIR "/lab/publish --redraw $c --archives %s/archives >/dev/null && cd $c && a=%s/archives/$(jq -r .archive.file cell.json) &&"
	       " [ \"$(sha256sum <$a | cut -d' ' -f1)\" = \"$(jq -r .archive.sha256 cell.json)\" ] &&"
	       " [ \"$(cat %s/sha.before)\" != \"$(jq -r .archive.sha256 cell.json)\" ] && grep -c \"sha256 \\`$(jq -r .archive.sha256 cell.json)\\`\" README.md &&"
	       " grep -c '^- charts and folded stacks drawn again by `lab/publish --redraw`' README.md &&"
	       " tar -tf $a | grep -c '^charts-" CASE "/startup-distribution.png$' && ls charts-" CASE " | grep -c '^acts\\.png$' &&"
	       " ls charts-" CASE " | grep -v -e '\\.folded$' -e '^acts\\.png$' -e '^offcpu-diff-[a-z0-9]*\\.svg$' | wc -l",
	   tmp, tmp, tmp, tmp, tmp);
	if (have_command("gnuplot"))
		assert_string_equal(r.out, "1\n1\n1\n1\n0\n");
	/* published again: refused, unless asked to replace */
	sh(&r, "BOOTBENCH=" BOOTBENCH_BIN " " SOURCE_DIR "/lab/publish %s/run canned --into %s/results --archives %s/archives", tmp, tmp, tmp);
	expect_refusal(&r, "is already published: pass --replace");
	sh(&r, "BOOTBENCH=" BOOTBENCH_BIN " " SOURCE_DIR "/lab/publish %s/run canned --into %s/results --archives %s/archives --replace", tmp, tmp, tmp);
	expect_ok(&r);
}

static void a_gzipped_result_compares_the_same_as_its_plain_copy(void **state)
{
	(void)state;
	static struct cmd_result r;
	/* the run's compare read plain files; the published one, run again on
	 * the gzipped copies, must match it byte for byte */
	sh(&r, "cd %s/results/canned/x86_64-hz250 && " BOOTBENCH_BIN " compare baseline/r1-" CASE ".json.gz -- fix/r1-" CASE ".json.gz"
	       " | cmp - compare-" CASE "-fix.txt && " BOOTBENCH_BIN " report --format csv baseline/r1-" CASE ".json.gz --"
	       " fix/r1-" CASE ".json.gz >gz.csv && " BOOTBENCH_BIN " report --format csv %s/run/x86_64-hz250/baseline/r1-" CASE ".json"
	       " -- %s/run/x86_64-hz250/fix/r1-" CASE ".json | cmp - gz.csv && rm gz.csv",
	   tmp, tmp, tmp);
	expect_ok(&r);
}

static void publish_refuses_a_run_of_uncommitted_changes(void **state)
{
	(void)state;
	static struct cmd_result r;
	sh(&r, "rm -rf %s/dirty && " SOURCE_DIR "/tests/lab/canned-run %s " CASE " %s/dirty " BOOTBENCH_BIN " && cd %s/dirty/x86_64-hz250"
	       " && for f in */r1-" CASE ".json; do jq -c '.bootbench.commit = \"0123abcd\"' $f >x && mv x $f; done"
	       " && jq -c '.bootbench.commit = \"0123abcd-dirty\"' fix/r1-" CASE ".json >x && mv x fix/r1-" CASE ".json",
	   tmp, FULL_CELL, tmp, tmp);
	expect_ok(&r);
	sh(&r, "BOOTBENCH=" BOOTBENCH_BIN " " SOURCE_DIR "/lab/publish %s/dirty dirty --into %s/results-dirty --archives %s/archives-dirty", tmp, tmp, tmp);
	assert_int_equal(r.status, 2);
	/* one of two commits: the mix is named first */
	assert_non_null(strstr(r.out, "mixes results from bootbench commits 0123abcd 0123abcd-dirty"));
	sh(&r, "cd %s/dirty/x86_64-hz250 && for f in */r1-" CASE ".json; do jq -c '.bootbench.commit = \"0123abcd-dirty\"' $f >x"
	       " && mv x $f; done", tmp);
	expect_ok(&r);
	sh(&r, "BOOTBENCH=" BOOTBENCH_BIN " " SOURCE_DIR "/lab/publish %s/dirty dirty --into %s/results-dirty --archives %s/archives-dirty", tmp, tmp, tmp);
	expect_refusal(&r, "built with uncommitted changes: commit them and run lab/ab again");
	sh(&r, "find %s/results-dirty -type f | wc -l", tmp);
	assert_string_equal(r.out, "0\n");
}

static void the_lab_scripts_are_shellcheck_clean(void **state)
{
	(void)state;
	static struct cmd_result r;
	if (!have_command("shellcheck"))
		skip();
	sh(&r, "cd " SOURCE_DIR "/lab && shellcheck ab bisect bisect-classify build-kernel collect emulated-host fetch-debian-kernel git-side kernel-source make-bisect-history publish publish-bisect qemu-run summarize"
	       " ../tests/lab/canned-run ../tests/lab/canned-batch ../tests/lab/summary-self-test ../bench/*.sh ../quickstart");
	expect_ok(&r);
}

int main(void)
{
	static struct cmd_result r;
	const char *tools[] = { "jq", "make", "gcc", "flex", "bison", "bc", "patch", "aarch64-linux-gnu-gcc" };
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		if (!have_command(tools[i])) {
			fprintf(stderr, "SKIP: %s is not installed (./quickstart test installs what the lab needs)\n", tools[i]);
			return SKIP_EXIT;
		}
	}
	if (access("/usr/src/linux-source-6.1.tar.xz", R_OK) != 0 && !getenv("BOOTBENCH_LAB_SOURCE")) {
		fprintf(stderr, "SKIP: no kernel source: apt-get install linux-source-6.1, or set BOOTBENCH_LAB_SOURCE\n");
		return SKIP_EXIT;
	}
	if (getenv("BOOTBENCH_LAB_SOURCE")) {
		snprintf(kernel_source, sizeof(kernel_source), "%s", getenv("BOOTBENCH_LAB_SOURCE"));
	} else {
		if (sh(&r, SOURCE_DIR "/lab/kernel-source") != 0) {
			fprintf(stderr, "lab/kernel-source failed: %s", r.out);
			return 1;
		}
		char *nl = strrchr(r.out, '\n');
		if (nl)
			*nl = '\0';
		nl = strrchr(r.out, '\n'); /* the path is the last line */
		snprintf(kernel_source, sizeof(kernel_source), "%s", nl ? nl + 1 : r.out);
	}
	make_temp_dir(tmp, sizeof(tmp));
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_resolves_for_every_arch_and_hz),
		cmocka_unit_test(an_option_that_cannot_hold_is_named),
		cmocka_unit_test(the_patches_apply),
		cmocka_unit_test(a_patch_that_does_not_apply_stops_before_building),
		cmocka_unit_test(a_canned_boot_log_comes_back_labelled),
		cmocka_unit_test(a_result_of_the_other_side_is_refused),
		cmocka_unit_test(a_damaged_file_is_caught),
		cmocka_unit_test(three_sides_parse_and_alternate),
		cmocka_unit_test(sides_from_a_git_tree),
		cmocka_unit_test(the_bisect_classifier_on_canned_results),
		cmocka_unit_test(a_bisect_history_is_made_the_same_twice),
		cmocka_unit_test(a_steps_files_come_in_round_order),
		cmocka_unit_test(a_bisection_resumes_from_its_kept_batches),
		cmocka_unit_test(a_commit_that_does_not_build_is_skipped),
		cmocka_unit_test(bisect_refuses_bad_input_and_ends_without_a_change),
		cmocka_unit_test(a_broken_patch_of_a_later_side_stops_before_any_build),
		cmocka_unit_test(publish_files_a_run_in_the_documented_layout),
		cmocka_unit_test(a_gzipped_result_compares_the_same_as_its_plain_copy),
		cmocka_unit_test(publish_refuses_a_run_of_uncommitted_changes),
		cmocka_unit_test(the_lab_scripts_are_shellcheck_clean),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	remove_tree(tmp);
	return rc;
}
