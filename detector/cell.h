/* cell.h: one shadow cell, the record of one access to 1-8 bytes of an
 * 8-byte granule of application memory.
 *
 * A cell is 64 bits, read and written with relaxed atomics (threads update
 * shadow without locks, as ThreadSanitizer does; a lost update can only
 * lose history, never invent a race):
 *
 *   bits  0..41  clock   position in the accessing thread slot's event
 *                        trace; it doubles as that slot's vector-clock
 *                        value (FastTrack epoch = slot @ clock)
 *   bits 42..55  slot    thread slot (1..16383); 0 with a non-zero cell is
 *                        reserved
 *   bit  56      freed   the access was free(): reports say "Previous free"
 *   bits 57..59  offset  first byte inside the granule (0..7)
 *   bits 60..61  sizelog size is 1 << sizelog bytes (1, 2, 4, 8)
 *   bit  62      write
 *   bit  63      atomic
 *
 * A cell of value 0 is empty: clocks start at 1. */
#ifndef RW_CELL_H
#define RW_CELL_H

#include <stdint.h>

typedef uint64_t rw_cell;

#define RW_CLOCK_BITS 42
#define RW_CLOCK_MASK ((UINT64_C(1) << RW_CLOCK_BITS) - 1)
#define RW_SLOT_SHIFT 42
#define RW_SLOT_BITS 14
#define RW_MAX_SLOTS (1u << RW_SLOT_BITS)
#define RW_FREED_BIT (UINT64_C(1) << 56)
#define RW_OFFSET_SHIFT 57
#define RW_SIZELOG_SHIFT 60
#define RW_WRITE_BIT (UINT64_C(1) << 62)
#define RW_ATOMIC_BIT (UINT64_C(1) << 63)

static inline rw_cell rw_cell_make(unsigned slot, uint64_t clock, unsigned offset,
                                   unsigned sizelog, int write, int atomic)
{
    return (clock & RW_CLOCK_MASK) | ((uint64_t)slot << RW_SLOT_SHIFT) |
           ((uint64_t)offset << RW_OFFSET_SHIFT) | ((uint64_t)sizelog << RW_SIZELOG_SHIFT) |
           (write ? RW_WRITE_BIT : 0) | (atomic ? RW_ATOMIC_BIT : 0);
}

static inline uint64_t rw_cell_clock(rw_cell c) { return c & RW_CLOCK_MASK; }
static inline unsigned rw_cell_slot(rw_cell c) { return (unsigned)(c >> RW_SLOT_SHIFT) & (RW_MAX_SLOTS - 1); }
static inline unsigned rw_cell_offset(rw_cell c) { return (unsigned)(c >> RW_OFFSET_SHIFT) & 7; }
static inline unsigned rw_cell_size(rw_cell c) { return 1u << ((c >> RW_SIZELOG_SHIFT) & 3); }
static inline int rw_cell_is_write(rw_cell c) { return (c & RW_WRITE_BIT) != 0; }
static inline int rw_cell_is_atomic(rw_cell c) { return (c & RW_ATOMIC_BIT) != 0; }
static inline int rw_cell_is_freed(rw_cell c) { return (c & RW_FREED_BIT) != 0; }

/* Byte mask of a cell's bytes, indexed by its offset and size-log bits
 * (bits 57..61): one load instead of two shifts by variable amounts.
 * Offsets past the end of the granule do not occur. */
static const uint8_t rw_cell_mask_by_bits[32] = {
    0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80,   /* 1 byte at 0..7 */
    0x03, 0x06, 0x0c, 0x18, 0x30, 0x60, 0xc0, 0x80,   /* 2 bytes */
    0x0f, 0x1e, 0x3c, 0x78, 0xf0, 0xe0, 0xc0, 0x80,   /* 4 bytes */
    0xff, 0xfe, 0xfc, 0xf8, 0xf0, 0xe0, 0xc0, 0x80,   /* 8 bytes */
};

/* Byte mask of the granule bytes the cell covers (bit i = byte i). */
static inline unsigned rw_cell_mask(rw_cell c)
{
    return rw_cell_mask_by_bits[(c >> RW_OFFSET_SHIFT) & 31];
}

/* Everything but the clock: two accesses with equal keys are the same kind
 * of access by the same slot to the same bytes. */
static inline uint64_t rw_cell_key(rw_cell c) { return c & ~RW_CLOCK_MASK; }

#endif
