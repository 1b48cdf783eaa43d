/* The table KVM_SET_GSI_ROUTING is given: the irqchip's own routes as KVM
 * sets them up (x86: GSIs 0-15 on the 8259s and the IOAPIC, 16-23 on the
 * IOAPIC; arm64: a GSI per SPI), then an MSI route for each MSI-X vector
 * the guest enabled and unmasked, and nothing for the others. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "irq_routing.h"

static void defaults_as_kvm_has_them(void **state)
{
	(void)state;
	struct bb_irq_routing r;
	assert_int_equal(bb_irq_routing_init(&r, 256), 0);
	uint32_t first_msi = bb_arch_default_routes(&r);
#if defined(__x86_64__)
	assert_int_equal(first_msi, 24);
	assert_int_equal(r.table->nr, 16 * 2 + 8);
	const struct kvm_irq_routing_entry *e = r.table->entries;
	assert_int_equal(e[0].gsi, 0);
	assert_int_equal(e[0].type, KVM_IRQ_ROUTING_IRQCHIP);
	assert_int_equal(e[0].u.irqchip.irqchip, KVM_IRQCHIP_PIC_MASTER);
	assert_int_equal(e[1].u.irqchip.irqchip, KVM_IRQCHIP_IOAPIC);
	assert_int_equal(e[1].u.irqchip.pin, 0);
	assert_int_equal(e[18].gsi, 9); /* the slave 8259's pin 1 */
	assert_int_equal(e[18].u.irqchip.irqchip, KVM_IRQCHIP_PIC_SLAVE);
	assert_int_equal(e[18].u.irqchip.pin, 1);
	assert_int_equal(e[39].gsi, 23);
	assert_int_equal(e[39].u.irqchip.irqchip, KVM_IRQCHIP_IOAPIC);
	assert_int_equal(e[39].u.irqchip.pin, 23);
#else
	assert_int_equal(first_msi, 96);
	assert_int_equal(r.table->nr, 96);
	assert_int_equal(r.table->entries[95].u.irqchip.pin, 95);
#endif
	/* no room: no GSI to start MSIs at */
	struct bb_irq_routing small;
	assert_int_equal(bb_irq_routing_init(&small, 8), 0);
	assert_int_equal(bb_arch_default_routes(&small), 0);
	bb_irq_routing_free(&small);
	bb_irq_routing_free(&r);
}

static void routed_vectors_only(void **state)
{
	(void)state;
	struct bb_pci_function f;
	struct bb_msix m;
	struct bb_msix_entry table[3];
	uint64_t pending[1];
	bb_pci_function_init(&f, 0x1af4, 0x1042, 0x018000, 1, 0x1af4, 2);
	assert_int_equal(bb_pci_add_bar(&f, 0, BB_PCI_BAR_MEM32, 0x1000), 0);
	assert_int_equal(bb_msix_init(&m, &f, table, pending, 3, 0, 0, 0, 0x800), 0);
	struct bb_irq_routing r;
	assert_int_equal(bb_irq_routing_init(&r, 4), 0);
	/* MSI-X off: nothing is routed */
	assert_int_equal(bb_irq_routing_add_msix(&r, &m, 24, -1, NULL), 0);
	bb_pci_config_write(&f, m.cap + 2u, 2, BB_MSIX_CONTROL_ENABLE);
	bb_msix_control_written(&m, &f);
	/* vectors 0 and 2 unmasked, 1 masked */
	bb_msix_table_write(&m, 0, 8, 0xfee00000);
	bb_msix_table_write(&m, 8, 4, 0x4021);
	bb_msix_table_write(&m, 12, 4, 0);
	bb_msix_table_write(&m, 32, 8, 0x1fee01000ull);
	bb_msix_table_write(&m, 40, 4, 0x4022);
	bb_msix_table_write(&m, 44, 4, 0);
	bool routed[3] = { false, true, false };
	assert_int_equal(bb_irq_routing_add_msix(&r, &m, 24, -1, routed), 2);
	assert_true(routed[0] && !routed[1] && routed[2]);
	const struct kvm_irq_routing_entry *e = r.table->entries;
	assert_int_equal(e[0].flags, 0);
	assert_int_equal(e[0].gsi, 24);
	assert_int_equal(e[0].type, KVM_IRQ_ROUTING_MSI);
	assert_int_equal(e[0].u.msi.address_lo, 0xfee00000);
	assert_int_equal(e[0].u.msi.address_hi, 0);
	assert_int_equal(e[0].u.msi.data, 0x4021);
	assert_int_equal(e[1].gsi, 26);
	assert_int_equal(e[1].u.msi.address_lo, 0xfee01000);
	assert_int_equal(e[1].u.msi.address_hi, 1);
	/* for an ITS each route names its requester (arm64): slot 3's devfn */
	r.table->nr = 0;
	assert_int_equal(bb_irq_routing_add_msix(&r, &m, 24, 3 << 3, NULL), 2);
	assert_int_equal(e[0].flags, KVM_MSI_VALID_DEVID);
	assert_int_equal(e[0].u.msi.devid, 0x18);
	assert_int_equal(e[1].flags, KVM_MSI_VALID_DEVID);
	assert_int_equal(e[1].u.msi.devid, 0x18);
	assert_int_equal(e[1].u.msi.data, 0x4022);
	/* full, and a GSI past KVM's limit */
	assert_int_equal(bb_irq_routing_add_msi(&r, 30, 0xfee00000, 0), 0);
	assert_int_equal(bb_irq_routing_add_msi(&r, 4096, 0xfee00000, 0), -1);
	assert_int_equal(bb_irq_routing_add_msi(&r, 31, 0xfee00000, 0), 0);
	assert_int_equal(bb_irq_routing_add_msix(&r, &m, 24, -1, NULL), -1);
	bb_irq_routing_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_as_kvm_has_them),
		cmocka_unit_test(routed_vectors_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
