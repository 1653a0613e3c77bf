import { describe, expect, it } from 'vitest';
import { SlotTable } from './slot-table.js';

describe('SlotTable', () => {
  it('gives each backend a slot and keeps it while the backend stays', () => {
    const table = new SlotTable(4);
    const first = new Map(table.update(['a', 'b'], () => 0));
    expect(new Set(first.values()).size).toBe(2);
    expect(table.update(['b', 'a', 'c'], () => 0).get('a')).toBe(first.get('a'));
    expect(table.idOf(first.get('b')!)).toBe('b');
  });

  it('reuses the slot of a backend that left only once nothing is in flight on it', () => {
    const table = new SlotTable(2);
    const slotOfA = table.update(['a', 'b'], () => 0).get('a')!;
    const busy = new Set([slotOfA]);
    // a leaves with a request in flight: c cannot have its slot, and none is free.
    expect(table.update(['b', 'c'], (slot) => (busy.has(slot) ? 1 : 0)).get('c')).toBe(-1);
    expect(table.slotOf('a')).toBe(slotOfA);
    expect(table.idOf(slotOfA)).toBe('a');
    busy.clear();
    table.update(['b'], () => 0);
    expect(table.update(['b', 'c'], () => 0).get('c')).toBe(slotOfA);
  });

  it('a backend that comes back before its slot was reused keeps it', () => {
    const table = new SlotTable(3);
    const slot = table.update(['a'], () => 0).get('a');
    table.update([], () => 1);
    expect(table.update(['a'], () => 1).get('a')).toBe(slot);
  });
});
