# Startup per iteration, to see warm-up and drift; one line per run, a
# side's pooled runs each a line of its own colour (the data breaks them
# with a blank line, so no line joins one run's end to the next's start).
# Data: one block per side: iteration startup_ms.
# Also set: datafile, n, title1..titleN.
load plotdir.'/common.gp'
set xlabel 'iteration (each run of a pooled side from its own start)'
set ylabel 'startup to boot-done (ms)'
plot for [i = 1:n] datafile index (i - 1) using 1:2 with linespoints lc i pt 7 ps 0.5 title value('title'.i)
