/* plots_text.c - the text every plot writes: data-file cells and comments (gnuplot reads
 * them as data, never as commands), the scripts' shared opening and closing lines, and
 * style.gp, the look all of a folder's plots load. */
#include "plots_int.h"

#include <math.h>

#include "gnuplot.h"
#include "names.h"

/* Text in a data file (a comment or a label column), with quoted set inside a
 * "quoted" column (names_put_text). */
void plots_dat_text(FILE *f, const char *s, int quoted)
{
	names_put_text(f, s, quoted ? "\"" : NULL, "'");
}

/* A label column in a data file: gnuplot reads "quoted text" as one column, as data
 * that it never evaluates. */
void plots_dat_str(FILE *f, const char *s)
{
	fputc('"', f);
	plots_dat_text(f, s, 1);
	fputc('"', f);
}

void plots_dat_num(FILE *f, double x)
{
	if (isfinite(x))
		fprintf(f, "%.10g", x);
	else
		fputs("NaN", f);
}

/* The unit that keeps numbers up to max_s between about 1 and 120: minutes for the
 * 10-minute waits a planner talks about, not 600 seconds. */
plots_tunit plots_time_unit(double max_s)
{
	if (!(max_s >= 120))
		return (plots_tunit){"s", 1};
	if (max_s < 2 * 3600)
		return (plots_tunit){"min", 60};
	if (max_s < 2 * 86400)
		return (plots_tunit){"h", 3600};
	return (plots_tunit){"days", 86400};
}

void plots_gp_begin(FILE *gp, const char *name, const char *what)
{
	plots_gp_begin_size(gp, name, what, 0, 0);
}

void plots_gp_begin_size(FILE *gp, const char *name, const char *what, int width, int height)
{
	fprintf(gp, "# %s.gp - %s\n", name, what);
	/* before style.gp, which builds the terminals from them */
	if (width > 0)
		fprintf(gp, "if (!exists(\"width\")) width = %d\n", width);
	if (height > 0)
		fprintf(gp, "if (!exists(\"height\")) height = %d\n", height);
	fprintf(gp, "# Written by fgsim from the CSVs in the folder above. Edit it and redraw here with\n"
		    "# `gnuplot %s.gp` (writes %s.png and %s.svg); the look every plot shares is in\n"
		    "# style.gp. `fgsim plot` writes this file afresh: keep restyled copies elsewhere.\n",
		name, name, name);
	fprintf(gp, "if (!exists(\"out\")) out = \"%s\"\nload \"style.gp\"\n", name);
}

/* The line before the plot command: the PNG terminal and file. */
void plots_gp_png(FILE *gp)
{
	fputs("\neval png_terminal\nset output out.\".png\"\n", gp);
}

/* After the plot command: the same plot again as SVG. */
void plots_gp_end(FILE *gp)
{
	fputs("\neval svg_terminal\nset output out.\".svg\"\nreplot\nunset output\n", gp);
}

/* Room between the title and the plot for a key of `entries` entries, in rows of at
 * most three (style.gp sets it up for one row). */
void plots_gp_key(FILE *gp, int entries)
{
	int rows = (entries + 2) / 3;
	if (rows <= 1)
		return;
	fprintf(gp, "set key maxcols 3\nset tmargin %.1f\nset title offset 0, %.1f\n", 5 + 1.3 * (rows - 1),
		1.4 + 1.3 * (rows - 1));
}

void plots_gp_key_panel(FILE *gp, const results *r, int np, double bottom, double top)
{
	fprintf(gp,
		"set lmargin at screen 0.02\nset rmargin at screen 0.98\nset bmargin at screen %.4f\n"
		"set tmargin at screen %.4f\n",
		bottom, top);
	fputs("unset border\nunset xtics\nunset ytics\nunset y2tics\nunset logscale\nunset xlabel\nunset ylabel\n"
	      "unset title\nunset label\nunset grid\nset xrange [0:1]\nset yrange [0:1]\n"
	      "set key at graph 0.5, graph 0.5 center center horizontal maxcols 3\nplot \\\n",
	      gp);
	for (int i = 0; i < np; i++) {
		fprintf(gp, "  NaN with lines lt %d title ", i + 1);
		gnuplot_string(gp, r->policy[i]);
		fputs(i + 1 < np ? ", \\\n" : "\n", gp);
	}
	fputs("unset key\nset border 3\nset xtics nomirror out\nset ytics nomirror out\n"
	      "set grid ytics lt 1 lc rgb \"#dcdcdc\" lw 1 dt solid\n",
	      gp);
}

void plots_gp_title(FILE *gp, const char *title)
{
	fputs("set title ", gp);
	gnuplot_string(gp, title);
	fputc('\n', gp);
}

/* style.gp: the shared look. Okabe-Ito colours stay distinct for colour-blind readers,
 * and the dash patterns keep lines apart in a black-and-white print. */
const char plots_style_gp[] =
	"# style.gp - the look every fgsim plot in this folder shares: change it here once.\n"
	"# Colours are the Okabe-Ito palette (distinct for colour-blind readers); lines also\n"
	"# differ by dash pattern so that they stay apart in a black-and-white print.\n"
	"if (!exists(\"width\")) width = 1000\n"
	"if (!exists(\"height\")) height = 600\n"
	"if (!exists(\"fontsize\")) fontsize = 14\n"
	"set encoding utf8\n"
	"# pngcairo draws smooth lines and real fonts; plain png (libgd) is the fallback where\n"
	"# gnuplot was built without cairo.\n"
	"if (strstrt(GPVAL_TERMINALS, \"pngcairo\") > 0) {\n"
	"  png_terminal = sprintf(\"set terminal pngcairo size %d,%d font 'sans,%d' linewidth 1.3 noenhanced\", width, height, fontsize)\n"
	"} else {\n"
	"  png_terminal = sprintf(\"set terminal png size %d,%d font 'sans,%d' linewidth 1.3 noenhanced\", width, height, fontsize - 2)\n"
	"}\n"
	"svg_terminal = sprintf(\"set terminal svg size %d,%d dynamic font 'sans,%d' linewidth 1.3 noenhanced\", width, height, fontsize)\n"
	"set linetype 1 lc rgb \"#0072B2\" lw 2.5 dt 1 pt 7 ps 1.3\n"
	"set linetype 2 lc rgb \"#D55E00\" lw 2.5 dt 2 pt 5 ps 1.3\n"
	"set linetype 3 lc rgb \"#009E73\" lw 2.5 dt 4 pt 9 ps 1.5\n"
	"set linetype 4 lc rgb \"#CC79A7\" lw 2.5 dt 5 pt 11 ps 1.5\n"
	"set linetype 5 lc rgb \"#E69F00\" lw 2.5 dt 3 pt 13 ps 1.5\n"
	"set linetype 6 lc rgb \"#56B4E9\" lw 2.5 dt (12,4,2,4,2,4) pt 3 ps 1.3\n"
	"set linetype 7 lc rgb \"#000000\" lw 2.5 dt (4,4) pt 1 ps 1.3\n"
	"set linetype 8 lc rgb \"#999999\" lw 2.5 dt (20,6) pt 2 ps 1.3\n"
	"set linetype cycle 8\n"
	"# linetype 9: the price factor on a second axis\n"
	"set linetype 9 lc rgb \"#404040\" lw 2 dt (16,10)\n"
	"shade_warmup = \"#e8e8e8\"\n"
	"shade_promo = \"#fbd9a8\"\n"
	"set border 3 lw 1\n"
	"set tics nomirror out\n"
	"set grid ytics lt 1 lc rgb \"#dcdcdc\" lw 1 dt solid\n"
	"set key noautotitle\n"
	"# the title at the top, the key in one row between it and the plot\n"
	"set tmargin 5\n"
	"set title offset 0, 1.4 font \",15\"\n"
	"set key at graph 0.5, graph 1.015 center bottom horizontal samplen 4\n";
