# Shared by every bootbench chart. bootbench sets, with gnuplot -e:
#   termname (pngcairo, png or svg), width, height, outfile, charttitle.
# Every string is a single-quoted literal and every text is noenhanced,
# so labels render exactly as written.
eval sprintf("set terminal %s size %d,%d noenhanced", termname, width, height)
set output outfile
set title charttitle noenhanced
set key outside below left Left reverse noenhanced
set grid ytics
set border 3
set tics nomirror
# twelve distinct colours, so stacked columns never repeat one
set linetype 9 lc rgb '#8c564b'
set linetype 10 lc rgb '#7f7f7f'
set linetype 11 lc rgb '#bcbd22'
set linetype 12 lc rgb '#17becf'
set linetype cycle 12
