/* The bootbench subcommands, one file each. */
#ifndef BOOTBENCH_CMD_H
#define BOOTBENCH_CMD_H

int cmd_run(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_profiles(int argc, char **argv);

#endif
