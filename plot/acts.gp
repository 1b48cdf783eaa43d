# The three acts in one picture: a panel per quantity, each side's median
# with its 95% CI, the sides in the same colour in every panel.
# Data (acts.dat): one block per panel: side median lo hi.
# Also set: datafile, n, label1..labelN, npanels, ptitle1.., punit1..,
# pmetric1.., plog1.. (1: log scale).
load plotdir.'/common.gp'
unset title
unset key
cols = npanels <= 3 ? npanels : (npanels == 4 ? 2 : 3)
rows = npanels <= 3 ? 1 : 2
top = strlen(subtitle) > 0 ? 0.83 : 0.87
set multiplot title (strlen(subtitle) > 0 ? charttitle."\n".subtitle : charttitle) noenhanced
set xrange [0.4:n + 0.6]
set xtics () rotate by -30 left
do for [i = 1:n] { set xtics add (value('label'.i) i) }
set grid ytics
set bars small
do for [k = 1:npanels] {
	c = (k - 1) % cols
	r = (k - 1) / cols
	set lmargin at screen 0.07 + c * (0.93 / cols)
	set rmargin at screen 0.07 + c * (0.93 / cols) + 0.93 / cols - 0.07
	set tmargin at screen top - r * (top / rows)
	set bmargin at screen top - r * (top / rows) - top / rows + 0.19
	set title value('ptitle'.k)."\n".value('pmetric'.k) noenhanced font ',9'
	set ylabel value('punit'.k)
	if (value('plog'.k)) { set logscale y } else { unset logscale y; set yrange [0:*] }
	if (value('plog'.k)) { set yrange [*:*] }
	plot datafile index (k - 1) using 1:2:3:4:1 with yerrorbars lc variable pt 7 ps 1.2 lw 2 notitle
}
unset multiplot
