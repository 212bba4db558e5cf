/**
 * Reading the master plan documents back as a reader would: the DOCX's body in
 * order (captions, paragraphs, tables with each row's indent and weight) and the
 * PDF's text per page (pdfkit's content streams, inflated, its hex strings decoded).
 */
import zlib from 'node:zlib';

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const textOf = (xml: string) => [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => decode(m[1]!)).join('');

export interface DocxRow { cells: string[]; indent: number; bold: boolean }
export type DocxBlock = { kind: 'p'; text: string; style: string | null } | { kind: 'table'; rows: DocxRow[] };

/** The body of word/document.xml, top-level paragraphs and tables in order. */
export function docxBlocks(xml: string): DocxBlock[] {
  const body = xml.slice(xml.indexOf('<w:body>'));
  const out: DocxBlock[] = [];
  for (const m of body.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>|<w:p\b[^>]*>[\s\S]*?<\/w:p>|<w:p\b[^>]*\/>/g)) {
    const chunk = m[0];
    if (chunk.startsWith('<w:tbl>')) {
      const rows = [...chunk.matchAll(/<w:tr\b[^>]*>[\s\S]*?<\/w:tr>/g)].map((tr) => {
        const cells = [...tr[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((tc) => tc[0]);
        const indent = Math.max(0, ...cells.map((c) => Number(/<w:ind w:left="(\d+)"/.exec(c)?.[1] ?? 0)));
        return { cells: cells.map((c) => [...c.matchAll(/<w:p\b[^>]*>[\s\S]*?<\/w:p>/g)].map((p) => textOf(p[0])).join('\n')), indent, bold: /<w:b\/>|<w:b w:val="(true|1)"\/>/.test(tr[0]) };
      });
      out.push({ kind: 'table', rows });
    } else {
      out.push({ kind: 'p', text: textOf(chunk), style: /<w:pStyle w:val="([^"]+)"/.exec(chunk)?.[1] ?? null });
    }
  }
  return out;
}

/** The tables with the caption paragraph right above each. */
export function captionedTables(blocks: DocxBlock[]): { caption: string; rows: DocxRow[] }[] {
  const out: { caption: string; rows: DocxRow[] }[] = [];
  blocks.forEach((b, i) => {
    const above = blocks[i - 1];
    if (b.kind === 'table') out.push({ caption: above?.kind === 'p' ? above.text : '', rows: b.rows });
  });
  return out;
}

/** "Rp 1.250.000.000" → 1250000000 */
export function rupiah(text: string): number {
  const m = /^Rp (-?[\d.]+)$/.exec(text.trim());
  if (!m) throw new Error(`not an amount: "${text}"`);
  return Number(m[1]!.replace(/\./g, ''));
}

/** Every "Rp …" amount in a text, in order (a line break may fall after "Rp"; a justified PDF line keeps no spaces). */
export function amounts(text: string): number[] {
  return [...text.matchAll(/Rp\s*(-?\d{1,3}(?:\.\d{3})*)(?![\d.]*\d)/g)].map((m) => Number(m[1]!.replace(/\./g, '')));
}

/** The text of each PDF page, in page order: each text object on a line. */
export function pdfPages(pdf: Buffer): string[] {
  const s = pdf.toString('latin1');
  const objects = new Map<number, string>();
  for (const m of s.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) objects.set(Number(m[1]), m[2]!);
  const streamOf = (id: number) => {
    const obj = objects.get(id) ?? '';
    // the stream is /Length bytes after "stream" and its line end: compressed bytes may end in \r or \n themselves
    const start = /stream\r?\n/.exec(obj);
    const length = Number(/\/Length (\d+)/.exec(obj)?.[1]);
    if (!start || !Number.isFinite(length)) return '';
    const raw = Buffer.from(obj.slice(start.index + start[0].length, start.index + start[0].length + length), 'latin1');
    return /\/FlateDecode/.test(obj) ? zlib.inflateSync(raw).toString('latin1') : raw.toString('latin1');
  };
  const root = [...objects.values()].find((o) => /\/Type \/Pages/.test(o) && /\/Kids/.test(o));
  const kids = [...(/\/Kids \[([^\]]*)\]/.exec(root ?? '')?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
  return kids.map((id) => {
    const page = objects.get(id) ?? '';
    const contents = [...(/\/Contents (\[[^\]]*\]|\d+ 0 R)/.exec(page)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
    const content = contents.map(streamOf).join('\n');
    // One TJ array is one run of text; kerning numbers between its hex strings are not spaces.
    return [...content.matchAll(/\[((?:<[0-9a-fA-F]*>\s*-?[\d.]*\s*)*)\] TJ/g)]
      .map((m) => [...m[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join(''))
      .join('\n');
  });
}
