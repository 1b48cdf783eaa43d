#include "acpi_tables.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "aml.h"
#include "little_endian.h"
#include "mptable.h"
#include "table_bytes.h"

#define HEADER_BYTES 36u
#define MCFG_BYTES (HEADER_BYTES + 8u + 16u) /* one segment: bus 0 */
#define RSDP_BYTES 36u
#define FADT_BYTES 276u /* revision 6 */
#define FADT_HW_REDUCED_ACPI (1u << 20)
#define FADT_POWER_BUTTON (1u << 4) /* set: no fixed-feature power button */
#define FADT_SLEEP_BUTTON (1u << 5)
/* IA-PC boot flags: no VGA, no MSI (without PCI), no ASPM to control, no
 * CMOS RTC: what the guest would otherwise probe for and not find */
#define BOOT_VGA_NOT_PRESENT (1u << 2)
#define BOOT_MSI_NOT_SUPPORTED (1u << 3)
#define BOOT_PCIE_ASPM_CONTROLS (1u << 4)
#define BOOT_CMOS_RTC_NOT_PRESENT (1u << 5)

/* The header every table but the RSDP starts with; its checksum last. */
static void header(uint8_t *t, const char *signature, uint32_t len, uint8_t revision)
{
	bb_table_chars(t, signature, 4);
	bb_put_le(t + 4, len, 4);
	t[8] = revision;
	bb_table_chars(t + 10, "BOOTBN", 6);
	bb_table_chars(t + 16, "BOOTBNCH", 8);
	bb_put_le(t + 24, 1, 4);
	bb_table_chars(t + 28, "BBCH", 4);
	bb_put_le(t + 32, 1, 4);
}

static void seal(uint8_t *t, uint32_t len)
{
	t[9] = 0;
	t[9] = bb_table_checksum(t, len);
}

/* The DSDT's AML: \_SB with a device per disk and the console. */
static int dsdt_body(const struct bb_machine *m, struct bb_aml *sb)
{
	uint32_t disk = 0;
	for (uint32_t i = 0; i < m->nr_devices; i++) {
		const struct bb_machine_device *d = &m->devices[i];
		struct bb_aml dev = { 0 }, res = { 0 };
		char name[5];
		if (!strcmp(d->type, "virtio-blk")) {
			if (d->gpa > UINT32_MAX || d->len > UINT32_MAX)
				return -1; /* a Memory32Fixed window */
			bool shared = false; /* disks outnumber the GSIs: say which share one */
			for (uint32_t j = 0; j < m->nr_devices; j++)
				shared |= j != i && m->devices[j].irq == d->irq && !strcmp(m->devices[j].type, "virtio-blk");
			snprintf(name, sizeof(name), "V%03" PRIX32, disk & 0xfff);
			bb_aml_name_text(&dev, "_HID", "LNRO0005");
			bb_aml_name_integer(&dev, "_UID", disk++);
			bb_aml_res_memory32_fixed(&res, (uint32_t)d->gpa, (uint32_t)d->len, true);
			bb_aml_res_interrupt(&res, d->irq, true, false, shared); /* edge, high: as the MP table routes them */
		} else if (!strcmp(d->type, "uart-8250") && d->pio) {
			snprintf(name, sizeof(name), "COM1");
			bb_aml_name_eisaid(&dev, "_HID", "PNP0501");
			bb_aml_name_integer(&dev, "_UID", 0);
			bb_aml_res_io(&res, (uint16_t)d->pio, (uint8_t)d->pio_len);
			bb_aml_res_irq_noflags(&res, (uint8_t)d->irq);
		} else {
			continue; /* bootbench's boot timer: found on the command line */
		}
		bb_aml_name_resources(&dev, "_CRS", &res);
		bb_aml_device(sb, name, &dev);
	}
	return disk > 0xfff ? -1 : 0;
}

/* The PCI host bridge: bus 0 of segment 0, whose configuration space is
 * the MCFG's ECAM window, and the memory windows its BARs lie in. No
 * _PRT: its functions interrupt by MSI-X alone. No _OSC: Linux keeps
 * MSI without one, and only gives up native PCIe services it has no use
 * for here. */
static void host_bridge(const struct bb_machine *m, struct bb_aml *sb)
{
	struct bb_aml dev = { 0 }, res = { 0 };
	bb_aml_name_eisaid(&dev, "_HID", "PNP0A08"); /* PCI Express root bridge */
	bb_aml_name_eisaid(&dev, "_CID", "PNP0A03"); /* PCI root bridge */
	bb_aml_name_integer(&dev, "_SEG", 0);
	bb_aml_name_integer(&dev, "_BBN", 0);
	bb_aml_name_integer(&dev, "_UID", 0);
	bb_aml_res_bus_numbers(&res, 0, (uint16_t)(m->pci_ecam_len / BB_ECAM_BUS_BYTES - 1));
	if (m->pci_mmio32_len)
		bb_aml_res_memory_window(&res, m->pci_mmio32, m->pci_mmio32_len);
	if (m->pci_mmio64_len)
		bb_aml_res_memory_window(&res, m->pci_mmio64, m->pci_mmio64_len);
	if (m->pci_io_len) /* transitional functions' legacy I/O BARs */
		bb_aml_res_io_window(&res, m->pci_io, m->pci_io_len);
	bb_aml_name_resources(&dev, "_CRS", &res);
	bb_aml_device(sb, "PCI0", &dev);
}

/* The ECAM window as a motherboard resource: Linux uses the MCFG's window
 * only where ACPI reserves it so (or the E820 does, and then only with
 * port 0xcf8 configuration access, which this machine has not): "MMCONFIG
 * ... not reserved in ACPI motherboard resources", then no PCI at all. */
static void ecam_reservation(const struct bb_machine *m, struct bb_aml *sb)
{
	struct bb_aml dev = { 0 }, res = { 0 };
	bb_aml_name_eisaid(&dev, "_HID", "PNP0C02"); /* motherboard resources */
	bb_aml_name_integer(&dev, "_UID", 0);
	bb_aml_res_memory32_fixed(&res, (uint32_t)m->pci_ecam, (uint32_t)m->pci_ecam_len, false);
	bb_aml_name_resources(&dev, "_CRS", &res);
	bb_aml_device(sb, "MBRD", &dev);
}

size_t bb_acpi_write(uint8_t *out, size_t len, uint64_t gpa, const struct bb_machine *m, char *why, size_t whylen)
{
	if (m->vcpus == 0 || m->vcpus > BB_ACPI_MAX_CPUS) {
		snprintf(why, whylen, "%u vCPUs do not fit in the MADT's xAPIC IDs: use at most %u", m->vcpus, BB_ACPI_MAX_CPUS);
		return 0;
	}
	struct bb_aml sb = { 0 }, dsdt_aml = { 0 };
	if (dsdt_body(m, &sb) < 0) {
		bb_aml_free(&sb);
		snprintf(why, whylen, "a device does not fit in the DSDT (over 4096 disks, or a window above 4 GiB)");
		return 0;
	}
	bool pci = m->pci_ecam_len != 0;
	if (pci && (m->pci_ecam_len % BB_ECAM_BUS_BYTES || m->pci_ecam_len > 256 * BB_ECAM_BUS_BYTES)) {
		bb_aml_free(&sb);
		snprintf(why, whylen, "the PCI ECAM window of %" PRIu64 " bytes is no whole number of buses (1 MiB each, at most 256)",
			 m->pci_ecam_len);
		return 0;
	}
	if (pci && m->pci_ecam + m->pci_ecam_len > UINT64_C(0x100000000)) {
		bb_aml_free(&sb);
		snprintf(why, whylen, "the PCI ECAM window at 0x%" PRIx64 " ends above 4 GiB, where the DSDT's motherboard resource cannot reach: place it lower",
			 m->pci_ecam);
		return 0;
	}
	if (pci) {
		ecam_reservation(m, &sb);
		host_bridge(m, &sb);
	}
	bb_aml_scope(&dsdt_aml, "\\_SB", &sb);
	if (bb_aml_failed(&dsdt_aml)) {
		bb_aml_free(&dsdt_aml);
		snprintf(why, whylen, "the DSDT could not be encoded (out of memory)");
		return 0;
	}
	uint32_t madt_len = HEADER_BYTES + 8 + 8 * m->vcpus + 12 + 6;
	uint32_t dsdt_len = HEADER_BYTES + (uint32_t)dsdt_aml.len;
	/* RSDP, XSDT (two or three entries), FADT, MADT, MCFG with PCI, DSDT:
	 * each 16-byte aligned */
	uint32_t xsdt_len = HEADER_BYTES + (pci ? 24 : 16);
	size_t at_xsdt = 48, at_fadt = at_xsdt + 64, at_madt = at_fadt + 288;
	size_t at_mcfg = (at_madt + madt_len + 15) & ~(size_t)15;
	size_t at_dsdt = pci ? at_mcfg + ((MCFG_BYTES + 15) & ~15u) : at_mcfg, total = at_dsdt + dsdt_len;
	if (total > len) {
		bb_aml_free(&dsdt_aml);
		snprintf(why, whylen, "the ACPI tables take %zu bytes, over the %zu bytes set aside for them", total, len);
		return 0;
	}
	memset(out, 0, total);

	uint8_t *rsdp = out;
	bb_table_chars(rsdp, "RSD PTR ", 8);
	bb_table_chars(rsdp + 9, "BOOTBN", 6);
	rsdp[15] = 2; /* ACPI 2.0 and later: the XSDT */
	bb_put_le(rsdp + 20, RSDP_BYTES, 4);
	bb_put_le(rsdp + 24, gpa + at_xsdt, 8);
	rsdp[8] = bb_table_checksum(rsdp, 20);
	rsdp[32] = bb_table_checksum(rsdp, RSDP_BYTES);

	uint8_t *xsdt = out + at_xsdt;
	header(xsdt, "XSDT", xsdt_len, 1);
	bb_put_le(xsdt + HEADER_BYTES, gpa + at_fadt, 8);
	bb_put_le(xsdt + HEADER_BYTES + 8, gpa + at_madt, 8);
	if (pci)
		bb_put_le(xsdt + HEADER_BYTES + 16, gpa + at_mcfg, 8);
	seal(xsdt, xsdt_len);

	uint8_t *fadt = out + at_fadt;
	header(fadt, "FACP", FADT_BYTES, 6);
	bb_put_le(fadt + 40, gpa + at_dsdt, 4);
	bb_put_le(fadt + 109, BOOT_VGA_NOT_PRESENT | (pci ? 0 : BOOT_MSI_NOT_SUPPORTED) | BOOT_PCIE_ASPM_CONTROLS |
				      BOOT_CMOS_RTC_NOT_PRESENT, 2);
	bb_put_le(fadt + 112, FADT_HW_REDUCED_ACPI | FADT_POWER_BUTTON | FADT_SLEEP_BUTTON, 4);
	fadt[131] = 5; /* FADT minor version: ACPI 6.5 */
	bb_put_le(fadt + 140, gpa + at_dsdt, 8);
	bb_table_chars(fadt + 268, "BOOTBNCH", 8); /* the hypervisor vendor identity */
	seal(fadt, FADT_BYTES);

	uint8_t *madt = out + at_madt, *e = madt + HEADER_BYTES + 8;
	header(madt, "APIC", madt_len, 5);
	bb_put_le(madt + HEADER_BYTES, BB_LAPIC_GPA, 4);
	bb_put_le(madt + HEADER_BYTES + 4, 1, 4); /* PCAT_COMPAT: the in-kernel 8259s are there, to be masked */
	for (uint32_t c = 0; c < m->vcpus; c++, e += 8) {
		e[0] = 0; /* processor local APIC */
		e[1] = 8;
		e[2] = (uint8_t)c; /* processor UID */
		e[3] = (uint8_t)c; /* KVM's APIC ID is the vCPU index */
		bb_put_le(e + 4, 1, 4); /* enabled */
	}
	/* the IOAPIC, its ID after the CPUs' as in the MP table; ISA IRQs map
	 * to the same GSIs (no overrides), as KVM's default routing has them */
	e[0] = 1;
	e[1] = 12;
	e[2] = (uint8_t)m->vcpus;
	bb_put_le(e + 4, BB_IOAPIC_GPA, 4);
	bb_put_le(e + 8, 0, 4);
	e += 12;
	e[0] = 4; /* local APIC NMI: LINT1 of every processor */
	e[1] = 6;
	e[2] = 0xff;
	bb_put_le(e + 3, 0, 2);
	e[5] = 1;
	seal(madt, madt_len);

	if (pci) {
		/* one ECAM allocation: segment 0, buses 0 to the window's last */
		uint8_t *mcfg = out + at_mcfg;
		header(mcfg, "MCFG", MCFG_BYTES, 1);
		bb_put_le(mcfg + HEADER_BYTES + 8, m->pci_ecam, 8);
		bb_put_le(mcfg + HEADER_BYTES + 16, 0, 2);
		mcfg[HEADER_BYTES + 18] = 0;
		mcfg[HEADER_BYTES + 19] = (uint8_t)(m->pci_ecam_len / BB_ECAM_BUS_BYTES - 1);
		seal(mcfg, MCFG_BYTES);
	}

	uint8_t *dsdt = out + at_dsdt;
	header(dsdt, "DSDT", dsdt_len, 2);
	memcpy(dsdt + HEADER_BYTES, dsdt_aml.bytes, dsdt_aml.len);
	seal(dsdt, dsdt_len);
	bb_aml_free(&dsdt_aml);
	return total;
}
