# Where time moved: per-iteration medians stacked (phases in boot order,
# ops largest first), one
# column per run. Data: series, then one column per name.
# Also set: datafile, n, label1..labelN, ncols, name1..nameK, ytext.
load plotdir.'/common.gp'
set ylabel ytext
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.6
set xtics ()
do for [i = 1:n] { set xtics add (value('label'.i) i - 1) }
set xrange [-0.6:n - 0.4]
plot for [k = 1:ncols] datafile using (column(k + 1)) title value('name'.k)
