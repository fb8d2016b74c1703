import { describe, expect, it } from 'vitest';
import { conversions } from '../dashboard/funnel.ts';
import { actionKey, changesOf, duplicateEventOf, fieldKey, patchOf, valuesOf } from './logic.ts';

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
  it('field and action keys for labels', () => {
    expect(fieldKey('domicile.villageCode')).toBe('domicile_villageCode');
    expect(fieldKey('fullName')).toBe('fullName');
    expect(actionKey('participant.merge')).toBe('merge');
    expect(actionKey('duplicate.not_duplicate')).toBe('duplicate_not_duplicate');
  });
  it('duplicate decisions read from the side of the record whose history it is', () => {
    const note = { pair: 'p', kept: 'K', merged: 'M', note: 'sama', unflagged: ['M'] };
    expect(duplicateEventOf('participant.merge', { note }, 'M')).toEqual({
      kind: 'mergedInto',
      otherId: 'K',
      note: 'sama',
      unflagged: true,
    });
    expect(duplicateEventOf('participant.merge', { note }, 'K')).toEqual({
      kind: 'absorbed',
      otherId: 'M',
      note: 'sama',
      unflagged: null,
    });
    const un = { note: { pair: 'p', kept: 'K', restored: 'M', note: null, flagged: ['K', 'M'] } };
    expect(duplicateEventOf('participant.unmerge', un, 'M')).toMatchObject({
      kind: 'unmergedFrom',
      otherId: 'K',
      unflagged: false,
    });
    expect(duplicateEventOf('participant.unmerge', un, 'K')).toMatchObject({
      kind: 'unmergedOther',
      otherId: 'M',
    });
    // an older unmerge entry did not name the kept record: a sentence without a link
    expect(
      duplicateEventOf('participant.unmerge', { note: { pair: 'p', restored: 'M', note: null } }, 'M'),
    ).toMatchObject({ kind: 'unmergedFrom', otherId: null });
    for (const [action, kind] of [
      ['duplicate.not_duplicate', 'notDuplicate'],
      ['duplicate.later', 'later'],
      ['duplicate.reopen', 'reopened'],
    ])
      expect(duplicateEventOf(action, { note: { pair: 'p', other: 'O', note: null } }, 'X')).toMatchObject({
        kind,
        otherId: 'O',
      });
    expect(duplicateEventOf('participant.update', { before: {}, after: {}, note: null }, 'X')).toBeNull();
  });
  it('funnel conversion is from the previous stage, one decimal', () => {
    const b = (key: string, count: number) => ({ key, name: key, count });
    expect(conversions([b('P1', 1000), b('P2', 623), b('P3', 0), b('P4', 0)])).toEqual([null, 62.3, 0, null]);
  });
});
