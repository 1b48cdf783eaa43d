# Startup to boot-done per run: a box plot with every iteration jittered
# beside it, run next to run. Data (startup.dat): series jitter startup_ms.
# Also set: datafile, n, label1..labelN, title1..titleN.
load plotdir.'/common.gp'
set ylabel 'startup to boot-done (ms)'
set xlabel 'run'
set xrange [0.4:n + 0.6]
set xtics ()
do for [i = 1:n] { set xtics add (value('label'.i) i) }
set style boxplot nooutliers
set style fill empty
set boxwidth 0.5
plot for [i = 1:n] datafile using (i):($1 == i ? $3 : NaN) with boxplot lc i title value('title'.i), \
     for [i = 1:n] datafile using ($1 == i ? i + $2 : NaN):3 with points pt 7 ps 0.4 lc i notitle
