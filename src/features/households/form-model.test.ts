import { describe, expect, it } from 'vitest';
import { splitPhones } from './form-model';

describe('splitPhones', () => {
  it('splits numbers written on one line with a slash or a space between them, and keeps a label with its number', () => {
    expect(splitPhones('090-1111-2222 / 03-3333-4444')).toEqual(['090-1111-2222', '03-3333-4444']);
    expect(splitPhones('090-1111-2222　03-3333-4444')).toEqual(['090-1111-2222', '03-3333-4444']);
    expect(splitPhones('夜間 090-1111-2222、03-3333-4444 夜間不可')).toEqual(['夜間 090-1111-2222', '03-3333-4444 夜間不可']);
    expect(splitPhones('047-111-2222\n\n携帯 080-1234-5678')).toEqual(['047-111-2222', '携帯 080-1234-5678']);
  });
});
