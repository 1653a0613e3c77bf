import { createRandom } from '@lbpoc/algorithms';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../src/event-queue.js';
import { FifoQueue } from '../src/fifo-queue.js';

describe('EventQueue', () => {
  it('pops in time order, and in insertion order among equal times', () => {
    const queue = new EventQueue<string>();
    queue.push(3, 'c');
    queue.push(1, 'a1');
    queue.push(2, 'b');
    queue.push(1, 'a2');
    queue.push(1, 'a3');
    expect(queue.peekTime()).toBe(1);
    const order: string[] = [];
    for (let event = queue.pop(); event !== undefined; event = queue.pop()) order.push(event.value);
    expect(order).toEqual(['a1', 'a2', 'a3', 'b', 'c']);
    expect(queue.size).toBe(0);
    expect(queue.pop()).toBeUndefined();
  });

  it('agrees with a stable sort on thousands of interleaved pushes and pops with many ties', () => {
    const random = createRandom(7);
    const queue = new EventQueue<number>();
    const reference: { time: number; id: number }[] = [];
    const popped: number[] = [];
    const expected: number[] = [];
    for (let id = 0; id < 5_000; id++) {
      const time = Math.floor(random() * 50); // few distinct times: ties everywhere
      queue.push(time, id);
      reference.push({ time, id });
      if (random() < 0.4) {
        popped.push(queue.pop()!.value);
        reference.sort((a, b) => a.time - b.time || a.id - b.id);
        expected.push(reference.shift()!.id);
      }
    }
    while (queue.size > 0) popped.push(queue.pop()!.value);
    reference.sort((a, b) => a.time - b.time || a.id - b.id);
    expected.push(...reference.map((entry) => entry.id));
    expect(popped).toEqual(expected);
  });
});

describe('FifoQueue', () => {
  it('keeps first-in first-out order across growth and wrap-around', () => {
    const queue = new FifoQueue();
    const out: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7; i++) queue.push(next++);
      for (let i = 0; i < 5; i++) out.push(queue.shift()!);
    }
    while (queue.size > 0) out.push(queue.shift()!);
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
    expect(queue.shift()).toBeUndefined();
  });
});
