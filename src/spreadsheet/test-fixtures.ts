/** Helpers for the spreadsheet tests: temp dirs and hand-made zip / XLSX files. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'spreadsheet-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A zip archive of stored (uncompressed) entries, in the given order. */
export function makeZip(entries: { name: string; data: string | Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : e.data;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/**
 * A minimal XLSX whose shared strings and styles come before the worksheets
 * (so exceljs streams the sheet without a temp file), with two sheets where
 * the first in workbook order is sheet2.xml.
 */
export function makeHandmadeXlsx(opts: { date1904?: boolean } = {}): Buffer {
  const sharedStrings = ['NIK', 'Nama', 'Tanggal Lahir', 'No HP', 'Aktif', 'Rumus', 'Nilai'];
  const sst =
    XML +
    `<sst xmlns="${NS}" count="8" uniqueCount="8">` +
    sharedStrings.map((s) => `<si><t>${s}</t></si>`).join('') +
    '<si><r><t xml:space="preserve">Bu </t></r><r><rPr><b/></rPr><t>Siti &amp; Co</t></r></si>' +
    '</sst>';
  const styles =
    XML +
    `<styleSheet xmlns="${NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>` +
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>' +
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>' +
    '<borders count="1"><border/></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
    '</styleSheet>';
  const workbook =
    XML +
    `<workbook xmlns="${NS}" xmlns:r="${NS_R}"><workbookPr${opts.date1904 ? ' date1904="1"' : ''}/>` +
    '<sheets><sheet name="Peserta" sheetId="2" r:id="rId2"/><sheet name="Lain" sheetId="1" r:id="rId1"/></sheets>' +
    '</workbook>';
  const rels =
    XML +
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    `<Relationship Id="rId1" Type="${NS_R}/worksheet" Target="worksheets/sheet1.xml"/>` +
    `<Relationship Id="rId2" Type="${NS_R}/worksheet" Target="worksheets/sheet2.xml"/>` +
    `<Relationship Id="rId3" Type="${NS_R}/sharedStrings" Target="sharedStrings.xml"/>` +
    `<Relationship Id="rId4" Type="${NS_R}/styles" Target="styles.xml"/>` +
    '</Relationships>';
  const sheet = (rows: string) => XML + `<worksheet xmlns="${NS}"><sheetData>${rows}</sheetData></worksheet>`;
  const other = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>wrong sheet</t></is></c></row>');
  const main = sheet(
    // blank row 1 (only a styled empty cell), header in row 2
    '<row r="1"><c r="A1" s="2"/></row>' +
      '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="s"><v>2</v></c>' +
      '<c r="D2" t="s"><v>3</v></c><c r="E2" t="s"><v>4</v></c><c r="F2" t="s"><v>5</v></c>' +
      '<c r="G2" t="s"><v>6</v></c></row>' +
      '<row r="3"><c r="A3"><v>3171014101900000</v></c><c r="B3" t="s"><v>7</v></c>' +
      '<c r="C3" s="1"><v>32874</v></c><c r="D3" t="inlineStr"><is><t>081234567890</t></is></c>' +
      '<c r="E3" t="b"><v>1</v></c><c r="F3" t="str"><f>D3</f><v>081234567890</v></c>' +
      '<c r="G3"><v>1.5E+21</v></c></row>' +
      '<row r="5"><c r="A5" s="2" t="s"><v>0</v></c><c r="C5" s="1"><v>60</v></c>' +
      '<c r="E5" t="b"><v>0</v></c><c r="F5" s="1"><f>TODAY()</f><v>45292</v></c>' +
      '<c r="G5"><v>0.30000000000000004</v></c><c r="H5"><v>99</v></c></row>' +
      '<row r="6"><c r="A6" t="e"><v>#N/A</v></c><c r="G6"><v>1E-7</v></c></row>',
  );
  return makeZip([
    {
      name: '[Content_Types].xml',
      data:
        XML +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/></Types>',
    },
    { name: 'xl/workbook.xml', data: workbook },
    { name: 'xl/_rels/workbook.xml.rels', data: rels },
    { name: 'xl/sharedStrings.xml', data: sst },
    { name: 'xl/styles.xml', data: styles },
    { name: 'xl/worksheets/sheet1.xml', data: other },
    { name: 'xl/worksheets/sheet2.xml', data: main },
  ]);
}
