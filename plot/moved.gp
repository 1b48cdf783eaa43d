# Where time moved, as differences: a horizontal bar per op (or phase)
# of B - A in ms for each side against the baseline, with compare's 99%
# CI; the largest move at the top. A bar compare calls a change is solid,
# one it does not is pale.
# Data: row, then per side: diff lo hi is_a_change.
# Also set: datafile, n (sides after the baseline), title1..titleN,
# nrows, row1..rowN (the names), lmarg (their width), baseline, what.
load plotdir.'/common.gp'
set xlabel sprintf('B - A, ms per iteration (median of the %s), with the 99%% CI', what) noenhanced
set lmargin lmarg
set ytics () noenhanced
do for [k = 1:nrows] { set ytics add (value('row'.k) nrows + 1 - k) }
set yrange [0.4:nrows + 0.6]
set grid xtics noytics
set xzeroaxis lt -1
h = 0.8 / n
y(row, i) = nrows + 1 - row + 0.4 - h * (i - 0.5) # the first side on top, as in the key
set style fill solid 0.85 border -1
set key title 'against '.baseline noenhanced
plot for [i = 1:n] datafile using (column(1 + 4 * i) > 0 ? column(1 + 4 * (i - 1) + 1) / 2 : NaN):(y($1, i)):(abs(column(1 + 4 * (i - 1) + 1)) / 2):(h / 2.2) \
         with boxxyerror lc i fs solid 0.85 title value('title'.i), \
     for [i = 1:n] datafile using (column(1 + 4 * i) == 0 ? column(1 + 4 * (i - 1) + 1) / 2 : NaN):(y($1, i)):(abs(column(1 + 4 * (i - 1) + 1)) / 2):(h / 2.2) \
         with boxxyerror lc i fs transparent solid 0.3 notitle, \
     for [i = 1:n] datafile using (column(1 + 4 * (i - 1) + 1)):(y($1, i)):(column(1 + 4 * (i - 1) + 2)):(column(1 + 4 * (i - 1) + 3)) \
         with xerrorbars lc rgb '#333333' pt 0 notitle
