/* Short names for the sides of a chart. A side's full label set
 * ("kernel=6.1.192-patched patch=7d9a0273 hz=100 accel=tcg lab=ab") is
 * too long for a legend or a tick and hides what tells the sides apart,
 * so every chart names a side by, in order:
 *   - the name given for it (plot --name N=NAME);
 *   - its "side" label;
 *   - in the lab (a "lab" label), its "patch" label, "none" being the
 *     baseline;
 *   - the values of the labels that differ between the sides (one key:
 *     its value; several: key=value of each);
 *   - the profile, where only the profiles differ; else the file name.
 * Sides that would share a name are numbered ("baseline #2"). Names over
 * BB_SIDE_NAME_MAX characters keep their two ends around "..". */
#ifndef BOOTBENCH_SIDE_NAMES_H
#define BOOTBENCH_SIDE_NAMES_H

#include <jansson.h>
#include <stddef.h>

#define BB_SIDE_NAME_MAX 24

struct bb_side_name_input {
	json_t *doc;
	const char *path;   /* the first file of the side */
	const char *given;  /* --name, or NULL */
	char name[BB_SIDE_NAME_MAX + 1]; /* out */
};

void bb_side_names(struct bb_side_name_input *sides, size_t n);

/* What every side shares, for a chart's subtitle: "profile firecracker,
 * x86_64 emulated host, Linux 6.1.192, HZ=100"; fields that differ are
 * left out (the legend tells them apart). */
void bb_sides_context(json_t *const *docs, size_t n, char *buf, size_t len);

#endif
