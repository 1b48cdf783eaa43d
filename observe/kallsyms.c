#include "kallsyms.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errorf.h"

struct symbol {
	uint64_t addr;
	char *name;
};

struct bb_kallsyms {
	struct symbol *sym;
	size_t n;
	char *names; /* every name, one allocation */
};

static int by_addr(const void *x, const void *y)
{
	const struct symbol *a = x, *b = y;
	return (a->addr > b->addr) - (a->addr < b->addr);
}

/* One line of /proc/kallsyms: "ADDRESS TYPE NAME [module]". */
static bool parse_line(char *line, uint64_t *addr, char *type, char **name)
{
	char *end;
	errno = 0;
	*addr = strtoull(line, &end, 16);
	if (end == line || errno || *end != ' ' || !end[1] || end[2] != ' ')
		return false;
	*type = end[1];
	*name = end + 3;
	(*name)[strcspn(*name, " \t\n")] = '\0';
	return (*name)[0] != '\0';
}

struct bb_kallsyms *bb_kallsyms_load(const char *path, char *why, size_t len)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		bb_errorf(why, len, "cannot read %s: %s; kernel frames stay raw addresses", path, strerror(errno));
		return NULL;
	}
	struct bb_kallsyms *k = calloc(1, sizeof(*k));
	if (!k) {
		fclose(f);
		bb_errorf(why, len, "out of memory reading %s", path);
		return NULL;
	}
	size_t cap = 0, names_used = 0, names_cap = 0, nonzero = 0;
	bool oom = false;
	char line[512];
	while (!oom && fgets(line, sizeof(line), f)) {
		uint64_t addr;
		char type, *name;
		if (!parse_line(line, &addr, &type, &name))
			continue;
		/* text: the functions a return address can be in */
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue;
		nonzero += addr != 0;
		size_t nlen = strlen(name) + 1;
		if (k->n == cap || names_used + nlen > names_cap) {
			size_t new_cap = cap ? cap * 2 : 65536, new_names = names_cap ? names_cap * 2 : (size_t)1 << 21;
			struct symbol *s = realloc(k->sym, new_cap * sizeof(*s));
			if (s)
				k->sym = s;
			char *nm = realloc(k->names, new_names);
			if (nm)
				k->names = nm;
			if (!s || !nm) {
				oom = true;
				break;
			}
			cap = new_cap;
			names_cap = new_names;
		}
		memcpy(k->names + names_used, name, nlen);
		k->sym[k->n++] = (struct symbol){ addr, (char *)(uintptr_t)names_used }; /* an offset until the pool stops moving */
		names_used += nlen;
	}
	fclose(f);
	if (oom) {
		bb_kallsyms_free(k);
		bb_errorf(why, len, "out of memory reading %s", path);
		return NULL;
	}
	if (nonzero == 0) {
		bb_errorf(why, len, "%s shows every address as 0 (kptr_restrict hides them from this user): kernel frames stay raw; run as root or set kernel.kptr_restrict=0",
			  path);
		bb_kallsyms_free(k);
		return NULL;
	}
	for (size_t i = 0; i < k->n; i++)
		k->sym[i].name = k->names + (uintptr_t)k->sym[i].name;
	qsort(k->sym, k->n, sizeof(*k->sym), by_addr);
	return k;
}

void bb_kallsyms_free(struct bb_kallsyms *k)
{
	if (!k)
		return;
	free(k->sym);
	free(k->names);
	free(k);
}

const char *bb_kallsyms_name(const struct bb_kallsyms *k, uint64_t addr)
{
	size_t lo = 0, hi = k->n;
	while (lo < hi) { /* the last symbol at or below addr */
		size_t mid = (lo + hi) / 2;
		if (k->sym[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? k->sym[lo - 1].name : NULL;
}

const char *bb_kallsyms_frame(const struct bb_kallsyms *k, uint64_t addr, char *buf, size_t len)
{
	const char *name = k ? bb_kallsyms_name(k, addr) : NULL;
	if (name)
		return name;
	snprintf(buf, len, "0x%" PRIx64, addr);
	return buf;
}
