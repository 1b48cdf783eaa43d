# Shared by every bootbench chart. bootbench sets, with gnuplot -e:
#   termname (pngcairo, png or svg), width, height, outfile, charttitle,
#   subtitle (what every side shares; may be empty).
# Every string is a single-quoted literal and every text is noenhanced,
# so labels render exactly as written. Legends name each side by its
# short name (at most 24 characters), so they sit on one line at the
# right of the plot, where no tick label can run into them.
eval sprintf("set terminal %s size %d,%d noenhanced font ',10'", termname, width, height)
set output outfile
if (strlen(subtitle) > 0) {
	set title charttitle."\n".subtitle noenhanced
} else {
	set title charttitle noenhanced
}
set key outside right top vertical Left reverse noenhanced samplen 2 spacing 1.2 width 4
set grid ytics
set border 3
set tics nomirror
# twelve distinct colours, so stacked columns never repeat one
set linetype 9 lc rgb '#8c564b'
set linetype 10 lc rgb '#7f7f7f'
set linetype 11 lc rgb '#bcbd22'
set linetype 12 lc rgb '#17becf'
set linetype cycle 12
