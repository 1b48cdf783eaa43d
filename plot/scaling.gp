# Scaling from a sweep, log-log, one line per label, error bars p10..p90.
# Data: one block per label: devices, registration us per device (p50 p10
# p90), startup ms (p50 p10 p90). Also set: datafile, n, title1..titleN,
# col (2: registration cost, 5: startup), ytext.
load plotdir.'/common.gp'
set logscale xy
set xlabel 'virtio devices (log scale)'
set ylabel ytext
plot for [i = 1:n] datafile index (i - 1) using 1:(column(col)):(column(col + 1)):(column(col + 2)) \
     with yerrorlines lw 2 pt 7 title value('title'.i)
