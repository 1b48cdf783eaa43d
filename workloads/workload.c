#include "workload.h"

extern const struct bb_workload bb_workload_synthetic;
extern const struct bb_workload bb_workload_linux;

const struct bb_workload *bb_workload_for(const struct bb_profile *p)
{
	return bb_profile_is_linux(p) ? &bb_workload_linux : &bb_workload_synthetic;
}
