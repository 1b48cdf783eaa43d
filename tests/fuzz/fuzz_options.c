/* One subcommand's option parser (BB_FUZZ_COMMAND picks it): the input's
 * NUL-separated words are its command line. Any command line is parsed or
 * refused with a one-line error; nothing runs. */
#include "ab_options.h"
#include "fuzz_target.h"
#include "options.h"
#include "run_options.h"
#include "trace_options.h"
#include "initramfs_options.h"
#include "upload_options.h"

#define MAX_WORDS 64

static int parse(int argc, char **argv, char *err, size_t errlen, int *help)
{
	const char *cmd = BB_FUZZ_COMMAND;
	if (!strcmp(cmd, "run")) {
		static struct bb_run_args o;
		int rc = bb_run_parse(argc, argv, &o, err, errlen);
		*help = o.help;
		return rc;
	}
	if (!strcmp(cmd, "initramfs")) {
		static struct bb_initramfs_args a;
		int rc = bb_initramfs_parse(argc, argv, &a, err, errlen);
		*help = a.help;
		if (rc == 0 && !a.help && !a.out[0])
			abort();
		return rc;
	}
	if (!strcmp(cmd, "trace")) {
		static struct bb_trace_args t;
		int rc = bb_trace_parse(argc, argv, &t, err, errlen);
		*help = t.run.help;
		/* a parsed trace has a command, and nothing but it after -- */
		if (rc == 0 && !t.run.help && (t.ncommand < 1 || !t.command[0] || t.command[t.ncommand]))
			abort();
		return rc;
	}
	if (!strcmp(cmd, "sweep")) {
		static struct bb_sweep_args a;
		int rc = bb_sweep_parse(argc, argv, &a, err, errlen);
		*help = a.help;
		if (rc == 0 && !a.help && (a.points == 0 || a.points > 32768))
			abort();
		return rc;
	}
	if (!strcmp(cmd, "compare") || !strcmp(cmd, "report") || !strcmp(cmd, "gate")) {
		unsigned features = !strcmp(cmd, "report") ? BB_AB_FORMAT : !strcmp(cmd, "gate") ? BB_AB_GATE : 0;
		struct bb_ab_args a;
		int rc = bb_ab_parse(argc, argv, features, &a, err, errlen);
		*help = a.help;
		return rc;
	}
	if (!strcmp(cmd, "plot")) {
		struct bb_plot_args a;
		int rc = bb_plot_parse(argc, argv, &a, err, errlen);
		*help = a.help;
		if (rc == 0 && !a.help && (a.first_file >= argc || !a.out_dir))
			abort();
		return rc;
	}
	if (!strcmp(cmd, "upload")) {
		struct bb_upload_args a;
		int rc = bb_upload_parse(argc, argv, &a, err, errlen);
		*help = a.help;
		return rc;
	}
	if (!strcmp(cmd, "info")) {
		struct bb_info_args a;
		int rc = bb_info_parse(argc, argv, &a, err, errlen);
		*help = a.help;
		return rc;
	}
	struct bb_profiles_args a;
	int rc = bb_profiles_parse(argc, argv, &a, err, errlen);
	*help = a.help;
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = input_text(data, size);
	char *argv[MAX_WORDS + 2] = { "bootbench-" BB_FUZZ_COMMAND };
	int argc = 1;
	char err[1024] = "";
	int help = 0;

	for (size_t i = 0; i <= size && argc <= MAX_WORDS;) {
		argv[argc++] = text + i;
		i += strlen(text + i) + 1;
	}
	argv[argc] = NULL;
	if (parse(argc, argv, err, sizeof(err), &help) < 0)
		expect_one_line_error(err);
	free(text);
	return 0;
}
