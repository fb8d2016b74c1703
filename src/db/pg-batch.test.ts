import { describe, expect, it } from 'vitest';
import { copyText } from './pg-batch.ts';

describe('copyText (PostgreSQL COPY text format)', () => {
  it('writes null as \\N and escapes the characters that would break a row', () => {
    expect(copyText(null)).toBe('\\N');
    expect(copyText(undefined)).toBe('\\N');
    expect(copyText('plain')).toBe('plain');
    expect(copyText(42)).toBe('42');
    expect(copyText(true)).toBe('t');
    expect(copyText('a\tb\nc\rd')).toBe('a\\tb\\nc\\rd');
    // a literal backslash-N stays text, never a null
    expect(copyText('\\N')).toBe('\\\\N');
    expect(copyText('C:\\temp')).toBe('C:\\\\temp');
  });
});
