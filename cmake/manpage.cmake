# Writes bootbench(1) from the built binary's own help texts, so the man
# page says what --help says.
#   cmake -DBIN=bootbench -DOUT=bootbench.1 -DVERSION=0.1.0 -P manpage.cmake
set(commands run info profiles sweep plot upload compare report gate trace query slim initramfs)

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
string(APPEND page ".SH EXAMPLES
An A/B of two kernels, end to end: measure each side as several runs,
alternating, compare them, gate on the result, and chart it.
.PP
.nf
.RS
# on kernel A, then on kernel B, then again: each run is a block
bootbench run --iterations 20 --label side=baseline --out a
bootbench run --iterations 20 --label side=patched --out b
bootbench run --iterations 20 --label side=baseline --out a
bootbench run --iterations 20 --label side=patched --out b
bootbench compare a/*.json -- b/*.json
bootbench report a/*.json -- b/*.json --format markdown >report.md
bootbench gate a/*.json -- b/*.json --max-regression 5%
bootbench plot a/*.json b/*.json --pool --out charts
.RE
.fi
.PP
Without /dev/kvm, every run goes through an emulated host:
.PP
.nf
.RS
bootbench run --host emulated --iterations 10 --out a
.RE
.fi
.PP
A kernel A/B in the lab, each side a kernel built with its patches, booted
under QEMU (see lab/ab --help; docs/lab.md):
.PP
.nf
.RS
lab/ab --side 7d9a0273=lab/patches/kvm-io-bus-call-srcu-6.1.patch \\e
       --arch x86_64 --hz 100 --rounds 3 --out lab-results/mine
.RE
.fi
.PP
Where a startup's time went, and why (compare's list of where each op waited: the
kernel function each ioctl waited in), for one memslot added after the
registrations:
.PP
.nf
.RS
bootbench run --out plain
bootbench run --memslots-after 1 --out after
bootbench compare plain/*.json -- after/*.json --allow-different-profiles
.RE
.fi
.SH EXIT STATUS
.TP
.B 0
success: the run measured, the comparison or chart was made, the gate passed
.TP
.B 1
a failure: a run that could not measure (KVM refused, the guest failed),
an upload that did not reach its destination; for gate, a regression
.TP
.B 2
bad input: an unknown option or value, a file that is not a bootbench
result, sides that cannot be compared; one line names the input and the fix
.TP
.B 130
interrupted (SIGINT or SIGTERM): what was measured is kept, its result
marked interrupted
.SH ENVIRONMENT
.TP
.B BOOTBENCH_UPLOAD_TOKEN
the token bootbench run --upload and bootbench upload send (as
\\fBAuthorization: Token\\fR to InfluxDB, \\fBBearer\\fR elsewhere); never printed
.TP
.BR BOOTBENCH_UPLOAD_USER \", \" BOOTBENCH_UPLOAD_PASSWORD
basic-auth credentials for the same, when there is no token
.TP
.B BOOTBENCH_KVM_DEVICE
the KVM device to open instead of /dev/kvm
.TP
.B BOOTBENCH_LAB_DIR
where run --host emulated finds lab/emulated-host
.TP
.B BOOTBENCH_LAB_CACHE
the lab's cache of kernel trees, builds and boots (default
~/.cache/bootbench/lab)
.TP
.B BOOTBENCH_KERNEL_CACHE
the emulated host's and the lab's downloaded kernels (default
~/.cache/bootbench/kernels)
.TP
.B BOOTBENCH_PLOT_DIR
the gnuplot scripts of bootbench plot
.TP
.B GITHUB_STEP_SUMMARY
where gate appends its markdown summary, as GitHub Actions sets it
.TP
.B TMPDIR
where temporary files go
.SH FILES
.TP
.I <prefix>/share/bootbench/plot
the gnuplot scripts of bootbench plot (or \\fB$BOOTBENCH_PLOT_DIR\\fR)
.TP
.I <prefix>/share/bootbench/lab
the emulated host's scripts (or \\fB$BOOTBENCH_LAB_DIR\\fR)
.SH SEE ALSO
.BR gnuplot (1),
.BR qemu-system-x86_64 (1),
.BR perf (1),
.BR influx (1).
The KVM API: Documentation/virt/kvm/api.rst in the Linux source.
bootbench's own documentation: README.md and docs/ (installed under
<prefix>/share/doc/bootbench): running.md, comparing.md, charts.md,
lab.md, why-time-moved.md, fleet-upload.md.
")
file(WRITE ${OUT} "${page}")
