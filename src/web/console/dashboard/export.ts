/**
 * Client-side exports of a dashboard figure: CSV built as a string (UTF-8 with a BOM so Excel reads the
 * accents) and XLSX through write-excel-file, loaded only when someone asks for it.
 */
export type Table = { columns: string[]; rows: (string | number | null)[][] };

function csvCell(v: string | number | null): string {
  if (v == null) return '';
  const s = String(v);
  // a leading =, +, - or @ would be read as a formula by spreadsheets (CSV injection)
  const safe = typeof v === 'string' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(t: Table): string {
  const lines = [t.columns, ...t.rows].map((r) => r.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function fileSlug(name: string): string {
  return (
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'data'
  );
}

function download(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadCsv(t: Table, name: string) {
  download(new Blob([toCsv(t)], { type: 'text/csv;charset=utf-8' }), `${fileSlug(name)}.csv`);
}

export async function downloadXlsx(t: Table, name: string) {
  const { default: writeXlsxFile } = await import('write-excel-file/browser');
  const header = t.columns.map((c) => ({ value: c, fontWeight: 'bold' as const }));
  const rows = t.rows.map((r) => r.map((v) => (v == null ? null : { value: v })));
  const blob = await writeXlsxFile([header, ...rows]).toBlob();
  download(blob, `${fileSlug(name)}.xlsx`);
}
