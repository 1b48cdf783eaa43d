#include "linux_fdt.h"

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#define GIC_PHANDLE 1
#define ITS_PHANDLE 2
#define PCI_SPACE_MEM32 0x02000000u /* a PCI address's space code: 32-bit memory */
#define PCI_RIDS 0x10000u           /* requester IDs: every bus, device and function */
#define GIC_SPI 0
#define GIC_PPI 1
#define IRQ_TYPE_EDGE_RISING 1
#define IRQ_TYPE_LEVEL_HIGH 4
#define UART_CLOCK_HZ 1843200 /* the 16550's usual crystal: divisors as on a PC */

/* Each libfdt call returns 0 or a negative FDT_ERR_*; the first failure
 * is kept and the rest skipped. */
struct writer {
	void *fdt;
	int err;
};

static void check(struct writer *w, int rc)
{
	if (w->err == 0 && rc < 0)
		w->err = rc;
}

static void begin(struct writer *w, const char *name)
{
	if (!w->err)
		check(w, fdt_begin_node(w->fdt, name));
}

static void end(struct writer *w)
{
	if (!w->err)
		check(w, fdt_end_node(w->fdt));
}

static void prop_string(struct writer *w, const char *name, const char *value)
{
	if (!w->err)
		check(w, fdt_property_string(w->fdt, name, value));
}

static void prop_u32(struct writer *w, const char *name, uint32_t value)
{
	if (!w->err)
		check(w, fdt_property_u32(w->fdt, name, value));
}

static void prop_empty(struct writer *w, const char *name)
{
	if (!w->err)
		check(w, fdt_property(w->fdt, name, NULL, 0));
}

/* A list of big-endian cells: 64-bit values as two (the root's
 * #address-cells and #size-cells are 2). */
static void prop_cells(struct writer *w, const char *name, const uint32_t *cells, size_t n)
{
	fdt32_t be[16];
	for (size_t i = 0; i < n && i < 16; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	if (!w->err)
		check(w, fdt_property(w->fdt, name, be, (int)(n * sizeof(be[0]))));
}

static void prop_reg(struct writer *w, uint64_t base, uint64_t len)
{
	const uint32_t cells[4] = { (uint32_t)(base >> 32), (uint32_t)base, (uint32_t)(len >> 32), (uint32_t)len };
	prop_cells(w, "reg", cells, 4);
}

static void spi(struct writer *w, uint32_t gsi, uint32_t type)
{
	/* a device's GSI is its SPI number: KVM routes GSI n to INTID 32 + n */
	const uint32_t cells[3] = { GIC_SPI, gsi, type };
	prop_cells(w, "interrupts", cells, 3);
}

static void cpus(struct writer *w, uint32_t n)
{
	begin(w, "cpus");
	prop_u32(w, "#address-cells", 1);
	prop_u32(w, "#size-cells", 0);
	for (uint32_t i = 0; i < n; i++) {
		/* KVM's MPIDR for vCPU i: Aff0 its low four bits, Aff1 the rest */
		uint32_t mpidr = ((i >> 4) << 8) | (i & 0xf);
		char name[32];
		snprintf(name, sizeof(name), "cpu@%x", mpidr);
		begin(w, name);
		prop_string(w, "device_type", "cpu");
		prop_string(w, "compatible", "arm,arm-v8");
		prop_string(w, "enable-method", "psci");
		prop_u32(w, "reg", mpidr);
		end(w);
	}
	end(w);
}

static void gic(struct writer *w, const struct bb_machine *m)
{
	char name[48];
	snprintf(name, sizeof(name), "intc@%llx", (unsigned long long)m->gic_dist);
	begin(w, name);
	prop_string(w, "compatible", "arm,gic-v3");
	prop_u32(w, "#interrupt-cells", 3);
	prop_empty(w, "interrupt-controller");
	const uint32_t reg[8] = { (uint32_t)(m->gic_dist >> 32), (uint32_t)m->gic_dist, 0, (uint32_t)m->gic_dist_len,
				  (uint32_t)(m->gic_redist >> 32), (uint32_t)m->gic_redist, 0, (uint32_t)m->gic_redist_len };
	prop_cells(w, "reg", reg, 8);
	prop_u32(w, "phandle", GIC_PHANDLE);
	if (m->gic_its_len) {
		/* the ITS's frame, in the GIC's own address space (the root's) */
		prop_u32(w, "#address-cells", 2);
		prop_u32(w, "#size-cells", 2);
		prop_empty(w, "ranges");
		snprintf(name, sizeof(name), "msi-controller@%llx", (unsigned long long)m->gic_its);
		begin(w, name);
		prop_string(w, "compatible", "arm,gic-v3-its");
		prop_empty(w, "msi-controller");
		prop_u32(w, "#msi-cells", 1);
		prop_reg(w, m->gic_its, m->gic_its_len);
		prop_u32(w, "phandle", ITS_PHANDLE);
		end(w);
	}
	end(w);
}

/* The generic ECAM host bridge (Linux's pci-host-ecam-generic) with bus 0,
 * its memory window mapped one to one, and every requester's MSIs sent
 * to the ITS by its requester ID. No interrupt-map: the functions
 * interrupt by MSI-X alone. */
static void pci_host(struct writer *w, const struct bb_machine *m)
{
	char name[48];
	snprintf(name, sizeof(name), "pcie@%llx", (unsigned long long)m->pci_ecam);
	begin(w, name);
	prop_string(w, "compatible", "pci-host-ecam-generic");
	prop_string(w, "device_type", "pci");
	prop_u32(w, "#address-cells", 3);
	prop_u32(w, "#size-cells", 2);
	prop_reg(w, m->pci_ecam, m->pci_ecam_len);
	const uint32_t buses[2] = { 0, (uint32_t)(m->pci_ecam_len / BB_ECAM_BUS_BYTES - 1) };
	prop_cells(w, "bus-range", buses, 2);
	prop_u32(w, "linux,pci-domain", 0);
	const uint32_t ranges[7] = { PCI_SPACE_MEM32, (uint32_t)(m->pci_mmio32 >> 32), (uint32_t)m->pci_mmio32,
				     (uint32_t)(m->pci_mmio32 >> 32), (uint32_t)m->pci_mmio32,
				     (uint32_t)(m->pci_mmio32_len >> 32), (uint32_t)m->pci_mmio32_len };
	prop_cells(w, "ranges", ranges, 7);
	const uint32_t msi_map[4] = { 0, ITS_PHANDLE, 0, PCI_RIDS };
	prop_cells(w, "msi-map", msi_map, 4);
	prop_empty(w, "dma-coherent");
	end(w);
}

static void timer(struct writer *w)
{
	/* secure, non-secure, virtual and hypervisor physical timers' PPIs */
	const uint32_t irqs[12] = { GIC_PPI, 13, IRQ_TYPE_LEVEL_HIGH, GIC_PPI, 14, IRQ_TYPE_LEVEL_HIGH,
				    GIC_PPI, 11, IRQ_TYPE_LEVEL_HIGH, GIC_PPI, 10, IRQ_TYPE_LEVEL_HIGH };
	begin(w, "timer");
	prop_string(w, "compatible", "arm,armv8-timer");
	prop_cells(w, "interrupts", irqs, 12);
	prop_empty(w, "always-on");
	end(w);
}

static void devices(struct writer *w, const struct bb_machine *m, char *uart_path, size_t len)
{
	for (uint32_t i = 0; i < m->nr_devices; i++) {
		const struct bb_machine_device *d = &m->devices[i];
		char name[64];
		if (!strcmp(d->type, "uart-8250")) {
			snprintf(name, sizeof(name), "uart@%llx", (unsigned long long)d->gpa);
			snprintf(uart_path, len, "/%s", name);
			begin(w, name);
			prop_string(w, "compatible", "ns16550a");
			prop_reg(w, d->gpa, d->len);
			spi(w, d->irq, IRQ_TYPE_LEVEL_HIGH);
			prop_u32(w, "clock-frequency", UART_CLOCK_HZ);
			end(w);
		} else if (!strcmp(d->type, "virtio-blk")) {
			snprintf(name, sizeof(name), "virtio_mmio@%llx", (unsigned long long)d->gpa);
			begin(w, name);
			prop_string(w, "compatible", "virtio,mmio");
			prop_reg(w, d->gpa, d->len);
			spi(w, d->irq, IRQ_TYPE_EDGE_RISING);
			prop_empty(w, "dma-coherent");
			end(w);
		}
	}
}

static void chosen(struct writer *w, const struct bb_fdt_setup *s, const char *uart_path)
{
	begin(w, "chosen");
	prop_string(w, "bootargs", s->cmdline);
	if (uart_path[0])
		prop_string(w, "stdout-path", uart_path);
	if (s->initrd_end > s->initrd_start) {
		if (!w->err)
			check(w, fdt_property_u64(w->fdt, "linux,initrd-start", s->initrd_start));
		if (!w->err)
			check(w, fdt_property_u64(w->fdt, "linux,initrd-end", s->initrd_end));
	}
	end(w);
}

size_t bb_linux_fdt_build(void *buf, size_t len, const struct bb_machine *m, const struct bb_fdt_setup *s, char *why,
			  size_t whylen)
{
	struct writer w = { .fdt = buf };
	char uart_path[64] = "", memory[48];

	if (!m->gic_dist || !m->gic_redist) {
		snprintf(why, whylen, "the machine has no GICv3 to describe: the Linux guest needs irqchip=true");
		return 0;
	}
	if (m->pci_ecam_len && !m->gic_its_len) {
		snprintf(why, whylen, "the machine has a PCI host bridge but no ITS for its MSIs (bootbench bug)");
		return 0;
	}
	check(&w, fdt_create(buf, (int)(len > BB_FDT_MAX_BYTES ? BB_FDT_MAX_BYTES : len)));
	if (!w.err)
		check(&w, fdt_finish_reservemap(buf));
	begin(&w, "");
	prop_u32(&w, "#address-cells", 2);
	prop_u32(&w, "#size-cells", 2);
	prop_string(&w, "compatible", "linux,dummy-virt");
	prop_u32(&w, "interrupt-parent", GIC_PHANDLE);
	snprintf(memory, sizeof(memory), "memory@%llx", (unsigned long long)m->ram_gpa);
	begin(&w, memory);
	prop_string(&w, "device_type", "memory");
	prop_reg(&w, m->ram_gpa, m->ram_bytes);
	end(&w);
	cpus(&w, m->vcpus);
	begin(&w, "psci");
	prop_string(&w, "compatible", "arm,psci-0.2");
	prop_string(&w, "method", "hvc");
	end(&w);
	gic(&w, m);
	if (m->pci_ecam_len)
		pci_host(&w, m);
	timer(&w);
	devices(&w, m, uart_path, sizeof(uart_path));
	chosen(&w, s, uart_path);
	end(&w);
	if (!w.err)
		check(&w, fdt_finish(buf));
	if (w.err) {
		snprintf(why, whylen, "the device tree cannot be written: %s", fdt_strerror(w.err));
		return 0;
	}
	return fdt_totalsize(buf);
}
