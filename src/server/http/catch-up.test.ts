import { describe, expect, it } from 'vitest';
import { CatchUpMemory } from './catch-up';

describe('[A12] what the lane remembers of pulls', () => {
  it('a page larger than the app’s catches up whoever asks; a device is told by its last page and its hub’s head once it has pulled here', () => {
    const memory = new CatchUpMemory(2_000, 10);
    expect(memory.catchesUp('phone-1', 1, 2_001)).toBe(true);
    // not remembered (the server just started): its page alone tells
    expect(memory.catchesUp('phone-1', 1, 2_000)).toBe(false);
    memory.answered('phone-1', 'hub-a', { hasMore: true, head: 10_000 });
    expect(memory.catchesUp('phone-1', 8_000, 2_000)).toBe(true);
    memory.answered('phone-1', 'hub-a', { hasMore: false, head: 10_000 });
    expect(memory.catchesUp('phone-1', 8_000, 2_000)).toBe(false);
    expect(memory.catchesUp('phone-1', 7_999, 2_000)).toBe(true);
    // another hub's head says nothing of this device
    memory.answered('phone-2', 'hub-b', { hasMore: false, head: 50_000 });
    expect(memory.catchesUp('phone-1', 9_000, 2_000)).toBe(false);
  });

  it('forgets the device seen longest ago past its bound', () => {
    const memory = new CatchUpMemory(2, 2);
    memory.answered('phone-1', 'hub-a', { hasMore: true, head: undefined });
    memory.answered('phone-2', 'hub-a', { hasMore: true, head: undefined });
    memory.answered('phone-1', 'hub-a', { hasMore: true, head: undefined });
    memory.answered('phone-3', 'hub-a', { hasMore: true, head: undefined });
    expect(['phone-1', 'phone-2', 'phone-3'].map((id) => memory.catchesUp(id, 5, 1))).toEqual([true, false, true]);
  });
});
