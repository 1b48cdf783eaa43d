#include <stdio.h>

#include "atomic_file.h"
#include "gate_verdict.h"
#include "xml_text.h"

int bb_junit_write(const char *path, const struct bb_gate_verdict *v, size_t n, size_t failures, double alpha,
		   char *err, size_t errlen)
{
	struct bb_atomic_file af;
	char what[512];
	if (bb_atomic_open(&af, path, err, errlen) < 0)
		return -1;
	fprintf(af.f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
		      "<testsuite name=\"bootbench gate\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", n, failures);
	for (size_t i = 0; i < n; i++) {
		bb_gate_describe(&v[i], alpha, what, sizeof(what));
		fputs("  <testcase classname=\"bootbench.gate\" name=\"", af.f);
		bb_xml_escaped(af.f, v[i].row->label);
		fputs("\">", af.f);
		if (v[i].regressed) {
			fputs("<failure message=\"", af.f);
			bb_xml_escaped(af.f, what);
			fputs("\">regressed: ", af.f);
			bb_xml_escaped(af.f, what);
			fputs("</failure>", af.f);
		} else {
			fputs("<system-out>", af.f);
			bb_xml_escaped(af.f, what);
			fputs("</system-out>", af.f);
		}
		fputs("</testcase>\n", af.f);
	}
	fputs("</testsuite>\n</testsuites>\n", af.f);
	return bb_atomic_commit(&af, err, errlen);
}
