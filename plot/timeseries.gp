# Startup per iteration, to see warm-up and drift; one line per run.
# Data: one block per run: iteration startup_ms.
# Also set: datafile, n, title1..titleN.
load plotdir.'/common.gp'
set xlabel 'iteration'
set ylabel 'startup to boot-done (ms)'
plot for [i = 1:n] datafile index (i - 1) using 1:2 with linespoints pt 7 ps 0.5 title value('title'.i)
