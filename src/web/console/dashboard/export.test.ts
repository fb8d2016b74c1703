import { describe, expect, it } from 'vitest';
import { fileSlug, toCsv } from './export.ts';

describe('dashboard CSV export', () => {
  it('starts with a BOM, quotes what needs quoting and defuses formulas', () => {
    const csv = toCsv({
      columns: ['Kota', 'Jumlah'],
      rows: [
        ['Jakarta "Selatan", DKI', 1200],
        ['=HYPERLINK("x")', 3],
        [null, 0],
      ],
    });
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1).split('\r\n')).toEqual([
      'Kota,Jumlah',
      '"Jakarta ""Selatan"", DKI",1200',
      `"'=HYPERLINK(""x"")",3`,
      ',0',
      '',
    ]);
  });
  it('makes file names from titles', () => {
    expect(fileSlug('Per kota / kabupaten')).toBe('per-kota-kabupaten');
    expect(fileSlug('Tren per bulan é')).toBe('tren-per-bulan-e');
  });
});
