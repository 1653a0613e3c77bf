/**
 * Which shared-memory slot each backend id has. The primary assigns them; a slot comes
 * back into use only when its backend has left and nothing is in flight on it any more,
 * so a late release of a departed backend's request never lands on a newcomer.
 */
export class SlotTable {
  private readonly byId = new Map<string, number>();
  private readonly leaving = new Map<string, number>();
  private readonly free: number[];
  private readonly idBySlot: (string | undefined)[];

  constructor(slots: number) {
    this.free = Array.from({ length: slots }, (_, i) => slots - 1 - i);
    this.idBySlot = new Array<string | undefined>(slots);
  }

  /**
   * Makes `ids` the current backends: new ids get a slot, ids that left wait in `leaving`
   * until `inFlight(slot)` is 0. Returns the slot of every current id; an id gets -1 only
   * when every slot is taken (its in-flight count is then not shared).
   */
  update(ids: readonly string[], inFlight: (slot: number) => number): ReadonlyMap<string, number> {
    const current = new Set(ids);
    for (const [id, slot] of this.byId) {
      if (current.has(id)) continue;
      this.byId.delete(id);
      if (slot >= 0) this.leaving.set(id, slot);
    }
    for (const [id, slot] of this.leaving) {
      if (current.has(id)) {
        // Back before its slot was reused: it keeps it (and what is still in flight on it).
        this.leaving.delete(id);
        this.byId.set(id, slot);
      } else if (inFlight(slot) === 0) {
        this.leaving.delete(id);
        this.idBySlot[slot] = undefined;
        this.free.push(slot);
      }
    }
    for (const id of ids) {
      // A backend without a slot (all were taken) tries again at every update.
      if ((this.byId.get(id) ?? -1) >= 0) continue;
      const slot = this.free.pop() ?? -1;
      this.byId.set(id, slot);
      if (slot >= 0) this.idBySlot[slot] = id;
    }
    return this.byId;
  }

  slotOf(id: string): number | undefined {
    return this.byId.get(id) ?? this.leaving.get(id);
  }

  /** The backend (current or leaving) in `slot`. */
  idOf(slot: number): string | undefined {
    return this.idBySlot[slot];
  }
}
