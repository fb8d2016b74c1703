import { describe, expect, it } from 'vitest';
import { conversions } from '../dashboard/funnel.ts';
import { changesOf, patchOf, valuesOf } from './logic.ts';

describe('participant pages logic', () => {
  it('the merge patch carries only the changed fields (empty optional fields become null)', () => {
    const before = valuesOf(null);
    const after = {
      ...before,
      fullName: ' Siti ',
      email: '',
      business: { name: 'Dapur', sector: '' },
    };
    expect(patchOf(before, after)).toEqual({ fullName: 'Siti', business: { name: 'Dapur' } });
    expect(patchOf(before, { ...before, domicile: { villageCode: '31.74.05.1001', street: '' } })).toEqual({
      domicile: { villageCode: '31.74.05.1001' },
    });
  });
  it('audit data becomes one line per changed field', () => {
    expect(
      changesOf({
        before: { status: 'registered' },
        after: { status: 'verified', reason: null },
        note: null,
      }),
    ).toEqual({ changes: [{ field: 'status', before: 'registered', after: 'verified' }], note: null });
    expect(
      changesOf({ before: { business: { name: 'A' } }, after: { business: { name: 'B' } } }).changes,
    ).toEqual([{ field: 'business.name', before: 'A', after: 'B' }]);
    expect(changesOf(null)).toEqual({ changes: [], note: null });
  });
  it('funnel conversion is from the previous stage, one decimal', () => {
    const b = (key: string, count: number) => ({ key, name: key, count });
    expect(conversions([b('P1', 1000), b('P2', 623), b('P3', 0), b('P4', 0)])).toEqual([null, 62.3, 0, null]);
  });
});
