#include "flamegraph_svg.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "errorf.h"
#include "xml_text.h"

#define SVG_WIDTH 1200
#define FRAME_HEIGHT 16
#define HEADER 56
#define FOOTER 24
#define SIDE_MARGIN 10
#define CHAR_WIDTH 6.6 /* of 11 px monospace: how much of a name fits */
#define MIN_WIDTH 0.3  /* px: narrower frames are not drawn */
#define MAX_FRAMES 1024 /* a stack's; the tree is walked recursively (a kernel stack has at most 127) */

struct frame {
	char *name;
	double a, b, w; /* ns: in A, in B, and its width (sum of max(a, b) by stack) */
	struct frame **kids;
	size_t nkids, cap;
};

// NOLINTNEXTLINE(misc-no-recursion): as deep as a stack, at most MAX_FRAMES
static void free_frame(struct frame *f)
{
	for (size_t i = 0; i < f->nkids; i++)
		free_frame(f->kids[i]);
	free(f->kids);
	free(f->name);
	free(f);
}

static struct frame *new_frame(const char *name, size_t len)
{
	struct frame *f = calloc(1, sizeof(*f));
	if (!f || !(f->name = strndup(name, len))) {
		free(f);
		return NULL;
	}
	return f;
}

static struct frame *child(struct frame *parent, const char *name, size_t len)
{
	for (size_t i = 0; i < parent->nkids; i++)
		if (strlen(parent->kids[i]->name) == len && !memcmp(parent->kids[i]->name, name, len))
			return parent->kids[i];
	if (parent->nkids == parent->cap) {
		size_t cap = parent->cap ? parent->cap * 2 : 4;
		struct frame **k = realloc(parent->kids, cap * sizeof(struct frame *));
		if (!k)
			return NULL;
		parent->kids = k;
		parent->cap = cap;
	}
	struct frame *f = new_frame(name, len);
	if (f)
		parent->kids[parent->nkids++] = f;
	return f;
}

/* A stack's time in each profile, keyed by its text. */
struct stack {
	char *text;
	double ns[2];
};

struct stacks {
	struct stack *v;
	size_t n, cap;
};

static int by_text(const void *x, const void *y)
{
	return strcmp(((const struct stack *)x)->text, ((const struct stack *)y)->text);
}

/* Adds each line of in as side's time of its stack. */
static int read_folded(FILE *in, int side, struct stacks *s, char *err, size_t errlen)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, in)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		char *space = strrchr(line, ' '), *end;
		double ns = space ? strtod(space + 1, &end) : 0;
		if (!space || space == line || end == space + 1 || *end || !(ns >= 0) || !isfinite(ns)) {
			bb_errorf(err, errlen, "folded %s, line %zu: not \"frame;frame;... NUMBER\"", side ? "B" : "A", lineno);
			free(line);
			return -1;
		}
		*space = '\0';
		size_t frames = 1;
		for (const char *c = line; *c; c++)
			frames += *c == ';';
		if (frames > MAX_FRAMES) {
			bb_errorf(err, errlen, "folded %s, line %zu: %zu frames, more than %d", side ? "B" : "A", lineno, frames, MAX_FRAMES);
			free(line);
			return -1;
		}
		if (s->n == s->cap) {
			size_t c = s->cap ? s->cap * 2 : 64;
			struct stack *v = realloc(s->v, c * sizeof(*v));
			if (!v) {
				free(line);
				bb_errorf(err, errlen, "out of memory reading folded stacks");
				return -1;
			}
			s->v = v;
			s->cap = c;
		}
		s->v[s->n] = (struct stack){ strdup(line), { 0, 0 } };
		if (!s->v[s->n].text) {
			free(line);
			bb_errorf(err, errlen, "out of memory reading folded stacks");
			return -1;
		}
		s->v[s->n++].ns[side] = ns;
	}
	free(line);
	return 0;
}

/* Sorted, with each stack's A and B lines made one entry. */
static void merge(struct stacks *s)
{
	if (s->n > 1) /* qsort takes no NULL, even for nothing */
		qsort(s->v, s->n, sizeof(*s->v), by_text);
	size_t kept = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (kept && !strcmp(s->v[kept - 1].text, s->v[i].text)) {
			s->v[kept - 1].ns[0] += s->v[i].ns[0];
			s->v[kept - 1].ns[1] += s->v[i].ns[1];
			free(s->v[i].text);
			continue;
		}
		s->v[kept++] = s->v[i];
	}
	s->n = kept;
}

static int add_stack(struct frame *root, const struct stack *st)
{
	double w = fmax(st->ns[0], st->ns[1]);
	struct frame *f = root;
	f->a += st->ns[0];
	f->b += st->ns[1];
	f->w += w;
	for (const char *p = st->text; *p;) {
		size_t len = strcspn(p, ";");
		if (len > 0) {
			if (!(f = child(f, p, len)))
				return -1;
			f->a += st->ns[0];
			f->b += st->ns[1];
			f->w += w;
		}
		p += len + (p[len] == ';');
	}
	return 0;
}

static int by_name(const void *x, const void *y)
{
	return strcmp((*(struct frame *const *)x)->name, (*(struct frame *const *)y)->name);
}

// NOLINTNEXTLINE(misc-no-recursion): as deep as a stack, at most MAX_FRAMES
static int depth(struct frame *f)
{
	int d = 0;
	if (f->nkids > 1)
		qsort(f->kids, f->nkids, sizeof(struct frame *), by_name);
	for (size_t i = 0; i < f->nkids; i++) {
		int k = depth(f->kids[i]);
		d = k > d ? k : d;
	}
	return d + 1;
}

/* "1.25ms", "3.25s": compare's own units. */
static void put_ms(FILE *out, double ns)
{
	char buf[32];
	bb_format_duration(ns, BB_DURATION_COMPACT, buf, sizeof(buf));
	fputs(buf, out);
}

/* Red for more time in B, blue for less, by the change over the frame's
 * width; pale grey where nothing changed. */
static void colour(double change, int rgb[3])
{
	double c = change > 1 ? 1 : change < -1 ? -1 : change;
	int pale = 235, strong = (int)lround(pale * (1 - fabs(c)));
	if (c > 0)
		rgb[0] = 255, rgb[1] = strong, rgb[2] = strong;
	else if (c < 0)
		rgb[0] = strong, rgb[1] = strong, rgb[2] = 255;
	else
		rgb[0] = rgb[1] = rgb[2] = pale;
}

// NOLINTNEXTLINE(misc-no-recursion): as deep as a stack, at most MAX_FRAMES
static void draw(FILE *out, const struct frame *f, double x, int level, int levels, double px_per_ns)
{
	double width = f->w * px_per_ns;
	if (width < MIN_WIDTH)
		return;
	double y = HEADER + (double)(levels - 1 - level) * FRAME_HEIGHT;
	int rgb[3];
	colour(f->w > 0 ? (f->b - f->a) / f->w : 0, rgb);
	fputs("<g><title>", out);
	bb_xml_escaped(out, f->name);
	fputs(": A ", out);
	put_ms(out, f->a);
	fputs(", B ", out);
	put_ms(out, f->b);
	fputs(", B - A ", out);
	fputc(f->b >= f->a ? '+' : '-', out);
	put_ms(out, fabs(f->b - f->a));
	fprintf(out, "</title><rect x=\"%.2f\" y=\"%.0f\" width=\"%.2f\" height=\"%d\" fill=\"rgb(%d,%d,%d)\" rx=\"2\"/>",
		x, y, width, FRAME_HEIGHT - 1, rgb[0], rgb[1], rgb[2]);
	size_t fits = (size_t)((width - 6) / CHAR_WIDTH), len = strlen(f->name);
	if (fits >= 3) {
		fprintf(out, "<text x=\"%.2f\" y=\"%.0f\">", x + 3, y + FRAME_HEIGHT - 4);
		if (len <= fits) {
			bb_xml_escaped(out, f->name);
		} else {
			char cut[512];
			snprintf(cut, sizeof(cut), "%.*s..", (int)(fits - 2 < sizeof(cut) - 3 ? fits - 2 : sizeof(cut) - 3), f->name);
			bb_xml_escaped(out, cut);
		}
		fputs("</text>", out);
	}
	fputs("</g>\n", out);
	for (size_t i = 0; i < f->nkids; i++) {
		draw(out, f->kids[i], x, level + 1, levels, px_per_ns);
		x += f->kids[i]->w * px_per_ns;
	}
}

int bb_flamegraph_diff_svg(FILE *out, FILE *folded_a, FILE *folded_b, const struct bb_flamegraph_text *text,
			   char *err, size_t errlen)
{
	struct stacks s = { 0 };
	struct frame *root = new_frame("all", 3);
	int rc = -1;
	if (!root) {
		bb_errorf(err, errlen, "out of memory drawing a flame graph");
		return -1;
	}
	if (read_folded(folded_a, 0, &s, err, errlen) < 0 || read_folded(folded_b, 1, &s, err, errlen) < 0)
		goto out;
	merge(&s);
	for (size_t i = 0; i < s.n; i++)
		if (add_stack(root, &s.v[i]) < 0) {
			bb_errorf(err, errlen, "out of memory drawing a flame graph");
			goto out;
		}
	int levels = depth(root);
	int height = HEADER + levels * FRAME_HEIGHT + FOOTER;
	fprintf(out, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
		     "<svg version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n"
		     "<style>text { font-family: monospace; font-size: 11px; fill: #000; } "
		     ".title { font-family: sans-serif; font-size: 17px; } .sub { font-family: sans-serif; font-size: 12px; fill: #444; }</style>\n"
		     "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
		SVG_WIDTH, height, SVG_WIDTH, height);
	fprintf(out, "<text class=\"title\" x=\"%d\" y=\"22\" text-anchor=\"middle\">", SVG_WIDTH / 2);
	bb_xml_escaped(out, text->title);
	fprintf(out, "</text>\n<text class=\"sub\" x=\"%d\" y=\"40\" text-anchor=\"middle\">", SVG_WIDTH / 2);
	bb_xml_escaped(out, text->subtitle);
	fputs("</text>\n", out);
	if (root->w > 0)
		draw(out, root, SIDE_MARGIN, 0, levels, (SVG_WIDTH - 2 * SIDE_MARGIN) / root->w);
	else
		fprintf(out, "<text class=\"sub\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">no off-CPU time on either side</text>\n",
			SVG_WIDTH / 2, HEADER + 12);
	fprintf(out, "<text class=\"sub\" x=\"%d\" y=\"%d\">width: the larger of A's and B's time, stack by stack; "
		     "red: more time in B, blue: less; pale: the same. A ",
		SIDE_MARGIN, height - 8);
	put_ms(out, root->a);
	fputs(", B ", out);
	put_ms(out, root->b);
	fputs(" in all.</text>\n</svg>\n", out);
	rc = ferror(out) ? -1 : (int)s.n;
	if (rc < 0)
		bb_errorf(err, errlen, "cannot write the flame graph");
out:
	for (size_t i = 0; i < s.n; i++)
		free(s.v[i].text);
	free(s.v);
	free_frame(root);
	return rc;
}
