# Writes bootbench(1) from the built binary's own help texts, so the man
# page says what --help says.
#   cmake -DBIN=bootbench -DOUT=bootbench.1 -DVERSION=0.1.0 -P manpage.cmake
set(commands run info profiles sweep plot upload compare report gate trace slim initramfs)

function(roff text out)
  # a backslash is an escape and a leading dot a request in roff
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

execute_process(COMMAND ${BIN} help OUTPUT_VARIABLE top RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${BIN} help failed (${rc}): no man page")
endif()
roff("${top}" top)
set(page ".TH BOOTBENCH 1 \"\" \"bootbench ${VERSION}\" \"User Commands\"
.SH NAME
bootbench \\- VM startup latency, one KVM ioctl at a time
.SH SYNOPSIS
.B bootbench
\\fICOMMAND\\fR [\\fIOPTIONS\\fR]
.SH DESCRIPTION
.nf
${top}.fi
.SH COMMANDS
")
foreach(cmd ${commands})
  execute_process(COMMAND ${BIN} ${cmd} --help OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${BIN} ${cmd} --help failed (${rc}): no man page")
  endif()
  roff("${text}" text)
  string(APPEND page ".SS ${cmd}\n.nf\n${text}.fi\n")
endforeach()
string(APPEND page ".SH FILES
.TP
.I <prefix>/share/bootbench/plot
the gnuplot scripts of bootbench plot (or \\fB$BOOTBENCH_PLOT_DIR\\fR)
.SH EXIT STATUS
0 success, 1 a failure (or, for gate, a regression), 2 bad input, 130 interrupted.
")
file(WRITE ${OUT} "${page}")
