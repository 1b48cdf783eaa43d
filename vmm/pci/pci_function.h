/* One PCI function's configuration space (a type 0 header, PCI Local Bus
 * 3.0 section 6.1), as pure state with no KVM: the ECAM handler feeds it
 * the guest's accesses, of any width and alignment, and it answers as
 * hardware does. Each byte has a mask of the bits the guest may write;
 * everything else reads back as the device set it. BARs are sized the
 * standard way (all ones written, the size read back) and capabilities
 * are chained from 0x34 as they are added. */
#ifndef BOOTBENCH_PCI_FUNCTION_H
#define BOOTBENCH_PCI_FUNCTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* the space ECAM gives a function; past the 256-byte header and its
 * capabilities, extended capabilities start at 0x100: none here, so
 * that space reads 0 and ignores writes (PCIe 3.0 section 7.9.1) */
#define BB_PCI_CONFIG_SPACE 4096u
#define BB_PCI_HEADER_SPACE 256u
#define BB_PCI_BARS 6

#define BB_PCI_VENDOR_ID 0x00
#define BB_PCI_DEVICE_ID 0x02
#define BB_PCI_COMMAND 0x04
#define BB_PCI_STATUS 0x06
#define BB_PCI_REVISION 0x08
#define BB_PCI_CLASS_PROG 0x09
#define BB_PCI_HEADER_TYPE 0x0e
#define BB_PCI_BAR0 0x10
#define BB_PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define BB_PCI_SUBSYSTEM_ID 0x2e
#define BB_PCI_CAPABILITY_LIST 0x34
#define BB_PCI_INTERRUPT_LINE 0x3c
#define BB_PCI_INTERRUPT_PIN 0x3d

#define BB_PCI_COMMAND_IO 0x1u
#define BB_PCI_COMMAND_MEMORY 0x2u
#define BB_PCI_COMMAND_MASTER 0x4u
#define BB_PCI_COMMAND_INTX_DISABLE 0x400u
#define BB_PCI_STATUS_CAP_LIST 0x10u

#define BB_PCI_CAP_ID_MSIX 0x11
#define BB_PCI_CAP_ID_VNDR 0x09

enum bb_pci_bar_kind {
	BB_PCI_BAR_NONE,
	BB_PCI_BAR_MEM32,
	BB_PCI_BAR_MEM64, /* takes this BAR and the next */
	BB_PCI_BAR_IO,
	BB_PCI_BAR_MEM64_HIGH, /* the upper half of the 64-bit BAR before it */
};

struct bb_pci_bar {
	enum bb_pci_bar_kind kind;
	uint64_t size; /* a power of two: at least 16 for memory, 4 for I/O */
};

struct bb_pci_function {
	uint8_t config[BB_PCI_HEADER_SPACE];
	uint8_t wmask[BB_PCI_HEADER_SPACE]; /* the bits the guest may write */
	struct bb_pci_bar bars[BB_PCI_BARS];
	uint8_t next_cap; /* where the next capability goes */
	uint8_t last_cap; /* the capability whose next pointer a new one fills */
};

/* What a configuration write changed, for the VMM to act on: a BAR moved
 * (bit i for BAR i), the command register (decoding turned on or off),
 * or a byte inside a capability (the caller looks at its own). */
#define BB_PCI_WROTE_BAR(i) (1u << (i))
#define BB_PCI_WROTE_COMMAND (1u << 6)
#define BB_PCI_WROTE_CAPABILITY (1u << 7)

/* A function with these IDs and class (base, sub, prog-if as 0xBBSSPP),
 * no BAR, no capability, no INTx pin: it interrupts by MSI-X alone. */
void bb_pci_function_init(struct bb_pci_function *f, uint16_t vendor, uint16_t device, uint32_t class_code,
			  uint8_t revision, uint16_t subsystem_vendor, uint16_t subsystem);
/* -1 for a BAR already taken, a size that is no power of two or too
 * small, or a 64-bit BAR at index 5. */
int bb_pci_add_bar(struct bb_pci_function *f, unsigned index, enum bb_pci_bar_kind kind, uint64_t size);
/* Appends a capability of len bytes (its ID and next pointer first, then
 * body, len - 2 bytes of it), read-only until bb_pci_writable(). Its
 * offset, or 0 when the header has no room left. */
uint8_t bb_pci_add_capability(struct bb_pci_function *f, uint8_t id, const void *body, uint8_t len);
/* Lets the guest write mask's bits of the bytes at offset. */
void bb_pci_writable(struct bb_pci_function *f, uint8_t offset, const uint8_t *mask, uint8_t len);

/* A read of len (1 to 8) bytes at offset, little-endian; bytes past the
 * header read 0. */
uint64_t bb_pci_config_read(const struct bb_pci_function *f, uint32_t offset, uint32_t len);
/* A write of len (1 to 8) bytes; only the writable bits change. Returns
 * the BB_PCI_WROTE_ bits for what changed. */
uint32_t bb_pci_config_write(struct bb_pci_function *f, uint32_t offset, uint32_t len, uint64_t value);

/* The guest-physical (or port) address BAR index decodes, 0 while the
 * command register has its kind of decoding off, while the BAR is being
 * sized (all its address bits set) or before the guest placed it. */
uint64_t bb_pci_bar_address(const struct bb_pci_function *f, unsigned index);
/* A 16-bit or 32-bit field, little-endian, as the device set it. */
uint16_t bb_pci_get16(const struct bb_pci_function *f, uint8_t offset);
void bb_pci_set16(struct bb_pci_function *f, uint8_t offset, uint16_t value);
void bb_pci_set32(struct bb_pci_function *f, uint8_t offset, uint32_t value);

#endif
