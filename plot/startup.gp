# Startup to boot-done per side: a box plot with every iteration jittered
# beside it. Data (startup.dat): series jitter startup_ms drawn_at_ms
# above_axis. Also set: datafile, n, label1..labelN, title1..titleN, and
# the axis bootbench chose from the data: logy (1: log scale), ymax (>0:
# clipped there, the points above drawn on the edge as triangles) and
# abovenote (what was clipped, or empty).
load plotdir.'/common.gp'
set ylabel (logy ? 'startup to boot-done (ms, log scale)' : 'startup to boot-done (ms)')
set xrange [0.4:n + 0.6]
set xtics ()
do for [i = 1:n] { set xtics add (value('label'.i) i) }
set style boxplot nooutliers
set style fill empty
set boxwidth 0.5
unset key
if (logy) { set logscale y }
if (ymax > 0) {
	set yrange [*:ymax]
	set xlabel abovenote noenhanced
}
plot for [i = 1:n] datafile using (i):($1 == i ? $3 : NaN) with boxplot lc i notitle, \
     for [i = 1:n] datafile using ($1 == i && $5 == 0 ? i + $2 : NaN):4 with points pt 7 ps 0.4 lc i notitle, \
     for [i = 1:n] datafile using ($1 == i && $5 == 1 ? i + $2 : NaN):4 with points pt 9 ps 1.2 lc i notitle
