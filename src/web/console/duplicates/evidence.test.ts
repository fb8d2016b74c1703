import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import en from '../../i18n/en.json' with { type: 'json' };
import id from '../../i18n/id.json' with { type: 'json' };
import type { Evidence } from './data.ts';
import { nameView, nikPart, nikSentences, placeVerdict, writtenParts } from './evidence.ts';

const i18n = i18next.createInstance();
await i18n.init({
  lng: 'id',
  resources: { id: { translation: id }, en: { translation: en } },
  interpolation: { escapeValue: false },
});
const tId = i18n.getFixedT('id');
const tEn = i18n.getFixedT('en');
const pct = (x: number) => `${Math.round(x)}%`;

describe('duplicate evidence in plain words', () => {
  it('counts NIK positions from 1 and names the part a digit is in', () => {
    expect([1, 4, 5, 6, 7, 12, 13, 16].map(nikPart)).toEqual([
      'province',
      'regency',
      'district',
      'district',
      'birth',
      'birth',
      'serial',
      'serial',
    ]);
    // the API's position 5 is the sixth digit, the second kecamatan digit
    const n = { kind: 'one_digit', position: 5, serial: false } as const;
    expect(nikSentences(n, tId)).toEqual([
      'NIK berbeda satu digit (posisi 6)',
      'Digit itu bagian dari kode kecamatan.',
    ]);
    expect(nikSentences(n, tEn)[0]).toBe('NIK one digit apart (position 6)');
    expect(nikSentences({ kind: 'one_digit', position: 15, serial: true }, tEn)).toEqual([
      'NIK one digit apart (position 16)',
      'They differ only in the serial number, as the NIKs of twins or siblings do.',
    ]);
    expect(nikSentences({ kind: 'transposed', position: 6, serial: false }, tEn)).toEqual([
      'Two neighbouring NIK digits swapped (positions 7 and 8)',
      'Both digits are part of the birth date.',
    ]);
    expect(nikSentences({ kind: 'two_digits', positions: [5, 9], serial: false }, tId)).toEqual([
      'NIK berbeda dua digit (posisi 6, 10)',
    ]);
  });

  it('shows the name parts as they were written', () => {
    const w = writtenParts('M. Rizky Saputra, S.E.');
    expect(w.get('muhamad')).toBe('M');
    expect(w.get('riski')).toBe('Rizky');
    expect(w.get('saputra')).toBe('Saputra');
    const ev: Evidence['name'] = {
      similarity: 1,
      matched: [
        { a: 'muhamad', b: 'muhamad', similarity: 1 },
        { a: 'riski', b: 'riski', similarity: 1 },
        { a: 'saputra', b: 'saputra', similarity: 1 },
      ],
      unmatchedA: [],
      unmatchedB: [],
      distinctiveParts: 2,
      common: false,
    };
    const v = nameView(ev, 'Muhammad Rizki Saputra', 'M. Rizky Saputra', tId, pct);
    expect(v.verdict).toBe('close');
    expect(v.sentences).toEqual(['Nama sama setelah ejaan disamakan']);
    expect(v.matched).toEqual(['Muhammad = M', 'Rizki = Rizky', 'Saputra']);
    expect(nameView(ev, 'Rizki Saputra', 'rizki  saputra', tEn, pct).sentences).toEqual(['Same name']);
    const partly = nameView(
      {
        ...ev,
        similarity: 0.71,
        matched: [{ a: 'hasibuan', b: 'hasibuan', similarity: 1 }],
        unmatchedA: ['rina'],
        unmatchedB: ['dewi'],
      },
      'Rina Hasibuan',
      'Dewi Hasibuan',
      tEn,
      pct,
    );
    expect(partly).toMatchObject({
      verdict: 'different',
      sentences: ['Different names (71% alike)'],
      onlyA: ['Rina'],
      onlyB: ['Dewi'],
    });
  });

  it('marks the place by how close the two addresses are', () => {
    expect(placeVerdict('rt')).toBe('same');
    expect(placeVerdict('village')).toBe('close');
    expect(placeVerdict('different')).toBe('different');
    expect(tId('console.duplicates.evidence.place.rt')).toBe('Sama RT/RW');
    expect(tEn('console.duplicates.evidence.phone.same')).toBe('Same phone');
  });
});
