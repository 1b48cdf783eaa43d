#include "workload.h"

extern const struct bb_workload bb_workload_synthetic;

const struct bb_workload *bb_workload_for(const struct bb_profile *p)
{
	(void)p; /* one workload so far: the synthetic guest */
	return &bb_workload_synthetic;
}
