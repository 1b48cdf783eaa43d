/* The bootbench subcommands, one file each. */
#ifndef BOOTBENCH_CMD_H
#define BOOTBENCH_CMD_H

int cmd_run(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_profiles(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_gate(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_upload(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_initramfs(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_slim(int argc, char **argv);

#endif
