#include "tsv_writer.h"

#include <stdio.h>

#include "atomic_file.h"

int bb_tsv_write(const char *path, const struct bb_run_metrics *m, char *err, size_t errlen)
{
	struct bb_atomic_file af;
	if (bb_atomic_open(&af, path, err, errlen) < 0)
		return -1;
	FILE *f = af.f;

	fputs("iteration\tstartup_ns\toverhead_ns", f);
	for (int ph = 0; ph < BB_PHASE_COUNT; ph++)
		if (m->phase_seen[ph])
			fprintf(f, "\tphase:%s_ns", bb_phase_names[ph]);
	for (int op = 0; op < BB_OP_COUNT; op++)
		if (m->op_seen[op])
			fprintf(f, "\top:%s:total_ns", bb_op_names[op]);
	fputc('\n', f);

	for (size_t i = 0; i < m->iterations; i++) {
		fprintf(f, "%u\t%.0f\t%.0f", m->index[i], m->startup.values[i], m->overhead.values[i]);
		for (int ph = 0; ph < BB_PHASE_COUNT; ph++)
			if (m->phase_seen[ph])
				fprintf(f, "\t%.0f", m->phase[ph].values[i]);
		for (int op = 0; op < BB_OP_COUNT; op++)
			if (m->op_seen[op])
				fprintf(f, "\t%.0f", m->op_total[op].values[i]);
		fputc('\n', f);
	}
	return bb_atomic_commit(&af, err, errlen);
}
