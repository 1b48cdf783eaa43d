# Per-call latency of one op as a CDF, log x, one line per run.
# Data: one block per run: latency_us cumulative_fraction.
# Also set: datafile, n, title1..titleN, opname.
load plotdir.'/common.gp'
set logscale x
set xlabel opname.' latency per call (us, log scale)' noenhanced
set ylabel 'fraction of calls'
set yrange [0:1.02]
plot for [i = 1:n] datafile index (i - 1) using 1:2 with steps lw 2 title value('title'.i)
