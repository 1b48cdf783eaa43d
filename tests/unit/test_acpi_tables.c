/* The ACPI tables of the x86_64 Linux workload: the AML encoder's bytes
 * for a device with MMIO and IRQ resources, every table's layout and
 * checksum, and (with --iasl) Debian's iasl disassembling what was
 * written and finding the devices, the hardware-reduced FADT and each
 * CPU's local APIC in it. Without iasl the --iasl run exits 77. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "acpi_tables.h"
#include "aml.h"
#include "little_endian.h"
#include "table_bytes.h"

#define DISKS 32

static struct bb_machine_device devices[DISKS + 2];
static struct bb_machine machine;
static uint8_t tables[BB_ACPI_MAX_BYTES];
static size_t tables_len;

/* The machine the VMM places for linux-firecracker: the boot timer, 32
 * disks on GSIs 5..23 round-robin, COM1. */
static void place(uint32_t vcpus)
{
	uint32_t n = 0;
	devices[n++] = (struct bb_machine_device){ .type = "boot-timer", .gpa = 0xc0000000, .len = 0x1000 };
	for (uint32_t i = 0; i < DISKS; i++)
		devices[n++] = (struct bb_machine_device){ .type = "virtio-blk", .gpa = 0xd0000000 + 0x1000ull * i,
							  .len = 0x1000, .irq = 5 + i % 19 };
	devices[n++] = (struct bb_machine_device){ .type = "uart-8250", .pio = 0x3f8, .pio_len = 8, .irq = 4 };
	machine = (struct bb_machine){ .arch = "x86_64", .vcpus = vcpus, .devices = devices, .nr_devices = n };
}

/* The same machine with a PCI host bridge: bus 0's ECAM window, a BAR
 * window below 4 GiB and one above. */
static void place_pci(uint32_t vcpus)
{
	place(vcpus);
	machine.pci_ecam = 0xe0000000;
	machine.pci_ecam_len = 1ull << 20;
	machine.pci_mmio32 = 0xc1000000;
	machine.pci_mmio32_len = 0x1000000;
	machine.pci_mmio64 = 0x8000000000ull;
	machine.pci_mmio64_len = 0x100000000ull;
	machine.pci_io = 0x8000;
	machine.pci_io_len = 0x400;
}

static void aml_device_with_mmio_and_irq(void **state)
{
	(void)state;
	struct bb_aml dev = { 0 }, res = { 0 }, out = { 0 };
	bb_aml_name_text(&dev, "_HID", "LNRO0005");
	bb_aml_name_integer(&dev, "_UID", 0);
	bb_aml_res_memory32_fixed(&res, 0xd0000000, 0x1000, true);
	bb_aml_res_interrupt(&res, 5, true, false, false);
	bb_aml_name_resources(&dev, "_CRS", &res);
	bb_aml_device(&out, "VR00", &dev);
	static const uint8_t expected[] = {
		0x5b, 0x82, 0x3a, 'V', 'R', '0', '0',                                   /* Device, PkgLength 58 */
		0x08, '_', 'H', 'I', 'D', 0x0d, 'L', 'N', 'R', 'O', '0', '0', '0', '5', 0x00, /* Name (_HID, "LNRO0005") */
		0x08, '_', 'U', 'I', 'D', 0x00,                                         /* Name (_UID, Zero) */
		0x08, '_', 'C', 'R', 'S', 0x11, 0x1a, 0x0a, 0x17,                       /* Buffer (23) */
		0x86, 0x09, 0x00, 0x01, 0x00, 0x00, 0x00, 0xd0, 0x00, 0x10, 0x00, 0x00, /* Memory32Fixed RW */
		0x89, 0x06, 0x00, 0x03, 0x01, 0x05, 0x00, 0x00, 0x00,                   /* Interrupt consumer, edge {5} */
		0x79, 0x00,                                                             /* end tag */
	};
	assert_false(bb_aml_failed(&out));
	assert_int_equal(out.len, sizeof(expected));
	assert_memory_equal(out.bytes, expected, sizeof(expected));
	bb_aml_free(&out);
}

static void aml_lengths_names_and_ids(void **state)
{
	(void)state;
	/* a PkgLength past 63 takes a second byte: 0x46 0x06 is 102 */
	struct bb_aml body = { 0 }, out = { 0 };
	for (int i = 0; i < 16; i++)
		bb_aml_name_integer(&body, "X", 0x10000 + (uint64_t)i); /* 10 bytes each: NameOp, "X___", a DWord */
	size_t content = body.len;
	bb_aml_scope(&out, "\\_SB", &body);
	assert_int_equal(out.bytes[0], 0x10);
	size_t total = content + 2 + 5; /* PkgLength's two bytes, "\_SB_" */
	assert_int_equal(out.bytes[1], 0x40 | (total & 0xf));
	assert_int_equal(out.bytes[2], total >> 4);
	assert_memory_equal(out.bytes + 3, "\\_SB_", 5);
	bb_aml_free(&out);
	assert_int_equal(bb_aml_eisaid("PNP0501"), 0x0105d041);
	assert_int_equal(bb_aml_eisaid("PNP0A08"), 0x080ad041);
	assert_int_equal(bb_aml_eisaid("pnp0501"), 0);
	/* a bad name fails the whole encoding, once, at the end */
	const char *bad[] = { "", "TOOLONG", "1ABC", "a_b", "\\" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct bb_aml a = { 0 };
		bb_aml_name_integer(&a, bad[i], 1);
		assert_true(bb_aml_failed(&a));
		bb_aml_free(&a);
	}
	struct bb_aml irq = { 0 };
	bb_aml_res_irq_noflags(&irq, 16); /* an ISA IRQ is 0..15 */
	assert_true(bb_aml_failed(&irq));
	bb_aml_free(&irq);
}

static const uint8_t *table_at(uint64_t gpa)
{
	assert_true(gpa >= BB_ACPI_GPA && gpa < BB_ACPI_GPA + tables_len);
	return tables + (gpa - BB_ACPI_GPA);
}

static void sums_to_zero(const uint8_t *t, const char *signature)
{
	assert_memory_equal(t, signature, 4);
	uint32_t len = (uint32_t)bb_get_le(t + 4, 4);
	assert_true(len >= 36 && t + len <= tables + tables_len);
	assert_int_equal(bb_table_checksum(t, len), 0);
}

static void tables_layout_and_checksums(void **state)
{
	(void)state;
	char why[256];
	place(2);
	tables_len = bb_acpi_write(tables, sizeof(tables), BB_ACPI_GPA, &machine, why, sizeof(why));
	if (tables_len == 0)
		fail_msg("no tables: %s", why);
	/* the RSDP: its 20-byte and its 36-byte checksum, revision 2, the XSDT */
	assert_memory_equal(tables, "RSD PTR ", 8);
	assert_int_equal(tables[15], 2);
	assert_int_equal(bb_table_checksum(tables, 20), 0);
	assert_int_equal(bb_table_checksum(tables, 36), 0);
	const uint8_t *xsdt = table_at(bb_get_le(tables + 24, 8));
	sums_to_zero(xsdt, "XSDT");
	assert_int_equal(bb_get_le(xsdt + 4, 4), 36 + 16);
	const uint8_t *fadt = table_at(bb_get_le(xsdt + 36, 8)), *madt = table_at(bb_get_le(xsdt + 44, 8));
	sums_to_zero(fadt, "FACP");
	sums_to_zero(madt, "APIC");
	/* FADT: revision 6, hardware-reduced, the DSDT in both its fields */
	assert_int_equal(fadt[8], 6);
	assert_int_equal(bb_get_le(fadt + 4, 4), 276);
	assert_true(bb_get_le(fadt + 112, 4) & (1u << 20));
	assert_int_equal(bb_get_le(fadt + 40, 4), bb_get_le(fadt + 140, 8));
	const uint8_t *dsdt = table_at(bb_get_le(fadt + 140, 8));
	sums_to_zero(dsdt, "DSDT");
	/* MADT: the local APIC address, a local APIC per vCPU, the IOAPIC after them, LINT1's NMI */
	assert_int_equal(bb_get_le(madt + 36, 4), 0xfee00000);
	const uint8_t *e = madt + 44, *end = madt + bb_get_le(madt + 4, 4);
	int cpus = 0, ioapics = 0, nmis = 0;
	for (; e < end; e += e[1]) {
		assert_true(e[1] > 0);
		if (e[0] == 0) {
			assert_int_equal(e[3], cpus); /* APIC ID = vCPU index */
			assert_int_equal(bb_get_le(e + 4, 4), 1);
			cpus++;
		} else if (e[0] == 1) {
			assert_int_equal(e[2], 2);
			assert_int_equal(bb_get_le(e + 4, 4), 0xfec00000);
			ioapics++;
		} else if (e[0] == 4) {
			assert_int_equal(e[5], 1);
			nmis++;
		}
	}
	assert_true(e == end);
	assert_int_equal(cpus, 2);
	assert_int_equal(ioapics, 1);
	assert_int_equal(nmis, 1);
	/* the DSDT names every disk and the console */
	size_t n = bb_get_le(dsdt + 4, 4);
	int hids = 0;
	for (size_t i = 36; i + 8 <= n; i++)
		hids += !memcmp(dsdt + i, "LNRO0005", 8);
	assert_int_equal(hids, DISKS);
}

static void refusals_are_said(void **state)
{
	(void)state;
	char why[256];
	place(255);
	assert_int_equal(bb_acpi_write(tables, sizeof(tables), BB_ACPI_GPA, &machine, why, sizeof(why)), 0);
	assert_string_equal(why, "255 vCPUs do not fit in the MADT's xAPIC IDs: use at most 254");
	place(2);
	assert_int_equal(bb_acpi_write(tables, 200, BB_ACPI_GPA, &machine, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "over the 200 bytes set aside for them"));
	devices[5].gpa = 0x100000000ull;
	assert_int_equal(bb_acpi_write(tables, sizeof(tables), BB_ACPI_GPA, &machine, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "a window above 4 GiB"));
}

/* With PCI: the XSDT's third entry is the MCFG, whose one allocation is
 * bus 0's ECAM window; MSI is no longer said to be missing. */
static void pci_adds_mcfg_and_msi(void **state)
{
	(void)state;
	char why[256];
	place_pci(2);
	tables_len = bb_acpi_write(tables, sizeof(tables), BB_ACPI_GPA, &machine, why, sizeof(why));
	if (tables_len == 0)
		fail_msg("no tables: %s", why);
	const uint8_t *xsdt = table_at(bb_get_le(tables + 24, 8));
	sums_to_zero(xsdt, "XSDT");
	assert_int_equal(bb_get_le(xsdt + 4, 4), 36 + 24);
	const uint8_t *fadt = table_at(bb_get_le(xsdt + 36, 8)), *mcfg = table_at(bb_get_le(xsdt + 52, 8));
	sums_to_zero(mcfg, "MCFG");
	assert_int_equal(bb_get_le(mcfg + 4, 4), 36 + 8 + 16);
	assert_true(bb_get_le(mcfg + 44, 8) == 0xe0000000);
	assert_int_equal(bb_get_le(mcfg + 52, 2), 0); /* segment */
	assert_int_equal(mcfg[54], 0);		      /* first bus */
	assert_int_equal(mcfg[55], 0);		      /* last bus */
	assert_int_equal(bb_get_le(fadt + 109, 2) & (1u << 3), 0);
	sums_to_zero(table_at(bb_get_le(fadt + 140, 8)), "DSDT");
	/* without PCI, MSI is said to be missing, as before */
	place(2);
	tables_len = bb_acpi_write(tables, sizeof(tables), BB_ACPI_GPA, &machine, why, sizeof(why));
	fadt = table_at(bb_get_le(table_at(bb_get_le(tables + 24, 8)) + 36, 8));
	assert_int_equal(bb_get_le(fadt + 109, 2) & (1u << 3), 1u << 3);
	/* an ECAM window that is no whole number of buses */
	place_pci(2);
	machine.pci_ecam_len = 4096;
	assert_int_equal(bb_acpi_write(tables, sizeof(tables), BB_ACPI_GPA, &machine, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "no whole number of buses"));
}

/* iasl -d: the tables as a real decoder reads them. */
static char dir[64];

static char *disassemble(const char *name, const uint8_t *t)
{
	static char text[1 << 18];
	char path[128], cmd[512];
	snprintf(path, sizeof(path), "%s/%s.dat", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(t, 1, bb_get_le(t + 4, 4), f), bb_get_le(t + 4, 4));
	fclose(f);
	snprintf(cmd, sizeof(cmd), "cd %s && iasl -d %s.dat >%s.log 2>&1", dir, name, name);
	if (system(cmd) != 0) {
		snprintf(cmd, sizeof(cmd), "cat %s/%s.log", dir, name);
		(void)!system(cmd); /* its complaint, for the log */
		fail_msg("iasl -d failed on the %s", name);
	}
	snprintf(path, sizeof(path), "%s/%s.dsl", dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

static int count(const char *text, const char *what)
{
	int n = 0;
	for (const char *s = text; (s = strstr(s, what)); s++)
		n++;
	return n;
}

static void iasl_reads_them(void **state)
{
	(void)state;
	char why[256];
	place(2);
	tables_len = bb_acpi_write(tables, sizeof(tables), BB_ACPI_GPA, &machine, why, sizeof(why));
	assert_true(tables_len > 0);
	const uint8_t *xsdt = table_at(bb_get_le(tables + 24, 8));
	const uint8_t *fadt = table_at(bb_get_le(xsdt + 36, 8)), *madt = table_at(bb_get_le(xsdt + 44, 8));
	const uint8_t *dsdt = table_at(bb_get_le(fadt + 140, 8));

	char *dsl = disassemble("dsdt", dsdt);
	assert_int_equal(count(dsl, "Name (_HID, \"LNRO0005\")"), DISKS);
	assert_non_null(strstr(dsl, "Device (V000)"));
	assert_non_null(strstr(dsl, "Device (V01F)"));
	assert_non_null(strstr(dsl, "Memory32Fixed (ReadWrite,\n                    0xD0000000,         // Address Base\n                    0x00001000,"));
	/* 32 disks on 19 GSIs, edge-triggered, active high: 13 GSIs carry two
	 * disks each, which say so, and 6 carry one */
	assert_int_equal(count(dsl, "Interrupt (ResourceConsumer, Edge, ActiveHigh, Shared, ,, )"), 26);
	assert_int_equal(count(dsl, "Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive, ,, )"), 6);
	assert_non_null(strstr(dsl, "Device (COM1)"));
	assert_non_null(strstr(dsl, "Name (_HID, EisaId (\"PNP0501\")"));
	assert_non_null(strstr(dsl, "IO (Decode16,\n                    0x03F8,             // Range Minimum"));
	assert_non_null(strstr(dsl, "IRQNoFlags ()\n                    {4}"));

	char *facp = disassemble("facp", fadt);
	assert_non_null(strstr(facp, "Hardware Reduced (V5) : 1"));
	assert_null(strstr(facp, "Invalid"));
	char *apic = disassemble("apic", madt);
	assert_int_equal(count(apic, "Subtable Type : 00 [Processor Local APIC]"), 2);
	assert_int_equal(count(apic, "Subtable Type : 01 [I/O APIC]"), 1);
	assert_int_equal(count(apic, "Subtable Type : 04 [Local APIC NMI]"), 1);
	assert_null(strstr(apic, "Invalid"));

	/* with PCI: the host bridge and its windows, and the MCFG */
	place_pci(2);
	tables_len = bb_acpi_write(tables, sizeof(tables), BB_ACPI_GPA, &machine, why, sizeof(why));
	assert_true(tables_len > 0);
	xsdt = table_at(bb_get_le(tables + 24, 8));
	fadt = table_at(bb_get_le(xsdt + 36, 8));
	dsl = disassemble("dsdt-pci", table_at(bb_get_le(fadt + 140, 8)));
	assert_non_null(strstr(dsl, "Device (PCI0)"));
	assert_non_null(strstr(dsl, "Name (_HID, EisaId (\"PNP0A08\")"));
	assert_non_null(strstr(dsl, "Name (_CID, EisaId (\"PNP0A03\")"));
	assert_non_null(strstr(dsl, "WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,"));
	assert_non_null(strstr(dsl, "DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,"));
	assert_non_null(strstr(dsl, "0xC1000000,         // Range Minimum"));
	assert_non_null(strstr(dsl, "0xC1FFFFFF,         // Range Maximum"));
	assert_non_null(strstr(dsl, "QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,"));
	assert_non_null(strstr(dsl, "0x0000008000000000, // Range Minimum"));
	assert_non_null(strstr(dsl, "0x00000080FFFFFFFF, // Range Maximum"));
	/* the ports of transitional functions' legacy I/O BARs */
	assert_non_null(strstr(dsl, "WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,"));
	assert_non_null(strstr(dsl, "0x8000,             // Range Minimum"));
	assert_non_null(strstr(dsl, "0x83FF,             // Range Maximum"));
	/* the ECAM window reserved as a motherboard resource, without which
	 * Linux does not use the MCFG (and then finds no PCI at all) */
	assert_non_null(strstr(dsl, "Device (MBRD)"));
	assert_non_null(strstr(dsl, "Name (_HID, EisaId (\"PNP0C02\")"));
	assert_non_null(strstr(dsl, "Memory32Fixed (ReadOnly,\n                    0xE0000000,         // Address Base\n                    0x00100000,         // Address Length"));
	char *mcfg = disassemble("mcfg", table_at(bb_get_le(xsdt + 52, 8)));
	assert_non_null(strstr(mcfg, "Base Address : 00000000E0000000"));
	assert_non_null(strstr(mcfg, "End Bus Number : 00"));
	assert_null(strstr(mcfg, "Invalid"));
	assert_null(strstr(dsl, "Invalid"));
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--iasl")) {
		if (system("command -v iasl >/dev/null 2>&1") != 0) {
			printf("SKIP: iasl is not installed (apt-get install acpica-tools)\n");
			return 77;
		}
		snprintf(dir, sizeof(dir), "/tmp/bb-acpi-XXXXXX");
		if (!mkdtemp(dir))
			return 1;
		const struct CMUnitTest iasl[] = { cmocka_unit_test(iasl_reads_them) };
		int rc = cmocka_run_group_tests(iasl, NULL, NULL);
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		(void)!system(cmd);
		return rc;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(aml_device_with_mmio_and_irq),
		cmocka_unit_test(aml_lengths_names_and_ids),
		cmocka_unit_test(tables_layout_and_checksums),
		cmocka_unit_test(pci_adds_mcfg_and_msi),
		cmocka_unit_test(refusals_are_said),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
