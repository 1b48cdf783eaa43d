# Off-CPU time by the kernel function each op waited in: one cluster per
# function, one bar per run. Data: function, then one column per run
# (median ms per iteration, summed over the ops that waited there).
# Also set: datafile, n, label1..labelN.
load plotdir.'/common.gp'
set ylabel 'off-CPU time per iteration (ms, median)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set xtics rotate by -25 noenhanced
set yrange [0:*]
plot for [k = 1:n] datafile using (column(k + 1)):xtic(1) title value('label'.k)
