import { describe, expect, it } from 'vitest';
import * as identity from './index.ts';

const { IDENTITY_CODES, MESSAGES, issue, message } = identity;

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('MESSAGES', () => {
  it('covers exactly the identity codes, all UPPER_SNAKE and unique', () => {
    expect(new Set(IDENTITY_CODES).size).toBe(IDENTITY_CODES.length);
    expect(Object.keys(MESSAGES).sort()).toEqual([...IDENTITY_CODES].sort());
    for (const code of IDENTITY_CODES) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/);
  });

  it('has an Indonesian and an English text for every code, with the same placeholders', () => {
    for (const code of IDENTITY_CODES) {
      const { id, en } = MESSAGES[code];
      expect(id.length, code).toBeGreaterThan(20);
      expect(en.length, code).toBeGreaterThan(20);
      expect(id, code).not.toBe(en);
      expect(placeholders(id), code).toEqual(placeholders(en));
    }
  });
});

describe('message', () => {
  it('fills placeholders in either language', () => {
    expect(message('NIK_LENGTH', 'en', { length: 15 })).toContain('but 15 were entered');
    expect(message('NIK_LENGTH', 'id', { length: 15 })).toContain('yang diisi 15 digit');
  });

  it('leaves unknown placeholders visible and returns the template without params', () => {
    expect(message('NIK_LENGTH', 'en')).toContain('{length}');
    expect(message('NIK_LENGTH', 'en', {})).toContain('{length}');
    expect(message('NIK_REQUIRED', 'id')).toBe(MESSAGES.NIK_REQUIRED.id);
  });
});

describe('issue', () => {
  it('builds an English issue and keeps the params', () => {
    expect(issue('NIK_REQUIRED')).toEqual({ code: 'NIK_REQUIRED', message: MESSAGES.NIK_REQUIRED.en });
    expect(issue('NIK_LENGTH', { length: 3 })).toEqual({
      code: 'NIK_LENGTH',
      message: message('NIK_LENGTH', 'en', { length: 3 }),
      params: { length: 3 },
    });
  });
});

describe('index', () => {
  it('re-exports every module', () => {
    for (const name of [
      'normalizeRegionCode',
      'getRegion',
      'childrenOf',
      'ancestorsOf',
      'isWithin',
      'isRetiredRegion',
      'RETIRED_REGION_CODES',
      'regionSourceVersion',
      'parseNik',
      'maskNik',
      'checkNikAgrees',
      'normalizePhone',
      'maskPhone',
      'formatPhoneLocal',
      'checkNpwp',
      'checkNib',
      'checkPostalCode',
      'checkEmail',
      'checkRtRw',
      'checkKbli',
      'parseSector',
      'sectorFromKbli',
      'SECTORS',
      'sizeClass',
    ]) {
      expect(identity, name).toHaveProperty(name);
    }
  });
});
