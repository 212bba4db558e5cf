/**
 * The master plan document writers: DOCX (docx: real Word headings and styles, a
 * table of contents field, editable tables, charts as images) and PDF (pdfkit, its
 * standard fonts, the same blocks in a simpler layout). Pure CPU work on plain
 * blocks: export.worker.ts runs them on a worker thread, away from the event loop
 * that ingests telemetry. Nothing here does I/O or imports the rest of the platform.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableOfContents,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
  type FileChild,
} from 'docx';
import PDFDocument from 'pdfkit';
import type { Block, DocumentContent } from './export.content.ts';

/** What the title page says besides the content: the region's name, the date, formatted, and the programme with its ministry. */
export interface WriterMeta { region: string; date: string; programme?: string }

const ALIGN = { l: AlignmentType.LEFT, r: AlignmentType.RIGHT, c: AlignmentType.CENTER } as const;
const MAX_IMAGE_PX = 600;
/** one level of the program → kegiatan → sub kegiatan hierarchy in a table cell */
const INDENT_TWIPS = 220;
const INDENT_PT = 9;

/** Renders the blocks as a Word document. */
export async function writeDocx(content: DocumentContent, meta: WriterMeta): Promise<Buffer> {
  const children: FileChild[] = [];
  let list = 0;
  // Title page
  children.push(new Paragraph({ spacing: { before: 2400 }, alignment: AlignmentType.CENTER, heading: HeadingLevel.TITLE, children: [new TextRun({ text: content.title })] }));
  children.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 400 }, children: [new TextRun({ text: content.subtitle, bold: true, size: 32 })] }));
  children.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 2400 }, children: [new TextRun({ text: `Pemerintah ${meta.region}`, size: 26 })] }));
  if (meta.programme) children.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 200 }, children: [new TextRun({ text: meta.programme, size: 20 })] }));
  children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: `Dokumen kerja, dibuat ${meta.date}`, size: 20, italics: true })] }));
  children.push(new Paragraph({ children: [new PageBreak()] }));
  children.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text: 'DAFTAR ISI', bold: true, size: 28 })] }));
  children.push(new TableOfContents('Daftar Isi', { hyperlink: true, headingStyleRange: '1-2' }));
  children.push(new Paragraph({ children: [new PageBreak()] }));

  for (const block of content.blocks) {
    switch (block.kind) {
      case 'h':
        children.push(new Paragraph({ heading: block.level === 1 ? HeadingLevel.HEADING_1 : block.level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3, children: [new TextRun(block.text)] }));
        break;
      case 'p':
        children.push(new Paragraph({ alignment: AlignmentType.JUSTIFIED, spacing: { after: 120 }, children: [new TextRun({ text: block.text, italics: block.italic ?? false })] }));
        break;
      case 'ul': {
        const instance = ++list;
        for (const item of block.items) {
          children.push(
            block.numbered
              ? new Paragraph({ numbering: { reference: 'angka', level: 0, instance }, children: [new TextRun(item)] })
              : new Paragraph({ bullet: { level: 0 }, children: [new TextRun(item)] }),
          );
        }
        break;
      }
      case 'table':
        children.push(new Paragraph({ style: 'Caption', keepNext: true, children: [new TextRun({ text: block.caption, bold: true })] }));
        children.push(docxTable(block));
        children.push(new Paragraph({ text: '' }));
        break;
      case 'image': {
        const scale = Math.min(1, MAX_IMAGE_PX / block.png.width);
        children.push(new Paragraph({ alignment: AlignmentType.CENTER, keepNext: true, children: [new ImageRun({ type: 'png', data: block.png.data, transformation: { width: Math.round(block.png.width * scale), height: Math.round(block.png.height * scale) }, altText: { name: block.caption, description: block.caption, title: block.caption } })] }));
        children.push(new Paragraph({ style: 'Caption', alignment: AlignmentType.CENTER, children: [new TextRun({ text: block.caption, italics: true })] }));
        break;
      }
      case 'pagebreak':
        children.push(new Paragraph({ children: [new PageBreak()] }));
        break;
    }
  }

  const doc = new Document({
    creator: 'Cerdas',
    title: `${content.title} ${content.subtitle}`,
    description: 'Masterplan smart city, disusun dari data platform Cerdas; dapat disunting.',
    features: { updateFields: true },
    styles: {
      default: {
        document: { run: { font: 'Arial', size: 22 } },
        title: { run: { font: 'Arial', size: 48, bold: true, color: '1F3864' } },
        heading1: { run: { font: 'Arial', size: 32, bold: true, color: '1F3864' }, paragraph: { spacing: { before: 360, after: 200 } } },
        heading2: { run: { font: 'Arial', size: 26, bold: true, color: '2F5496' }, paragraph: { spacing: { before: 240, after: 120 } } },
        heading3: { run: { font: 'Arial', size: 23, bold: true }, paragraph: { spacing: { before: 200, after: 80 } } },
      },
      paragraphStyles: [
        { id: 'Caption', name: 'Caption', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { size: 18, color: '404040' }, paragraph: { spacing: { before: 120, after: 60 } } },
        { id: 'TableText', name: 'Table Text', basedOn: 'Normal', quickFormat: true, run: { size: 18 }, paragraph: { spacing: { before: 0, after: 0 } } },
        { id: 'TableHeading', name: 'Table Heading', basedOn: 'TableText', quickFormat: true, run: { size: 18, bold: true }, paragraph: { alignment: AlignmentType.CENTER } },
      ],
    },
    numbering: { config: [{ reference: 'angka', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START, style: { paragraph: { indent: { left: 560, hanging: 360 } } } }] }] },
    sections: [
      {
        // the title page has a footer of its own (empty); every other page says its number
        properties: { titlePage: true, page: { size: { width: 11906, height: 16838 }, margin: { top: 1440, bottom: 1440, left: 1440, right: 1440 } } },
        footers: {
          first: new Footer({ children: [new Paragraph({ text: '' })] }),
          default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['Halaman ', PageNumber.CURRENT], size: 18 })] })] }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

function docxTable(block: Extract<Block, { kind: 'table' }>): Table {
  const total = block.widths.reduce((a, b) => a + b, 0);
  const TABLE_TWIPS = 9026; // A4 width less 2 × 1 inch margins
  const widths = block.widths.map((w) => Math.round((w / total) * TABLE_TWIPS));
  const border = { style: BorderStyle.SINGLE, size: 4, color: '8EAADB' };
  // Borders, margins and the text size live on the table and in two paragraph styles, not on every
  // cell and run: a table of 2,000 programs is 12,000 cells.
  const paragraphs = (text: string, style: string, align: (typeof AlignmentType)[keyof typeof AlignmentType] | undefined, indent = 0, bold = false) =>
    text.split('\n').map((line) => new Paragraph({ style, ...(align !== undefined && { alignment: align }), ...(indent > 0 && { indent: { left: indent * INDENT_TWIPS } }), children: [new TextRun({ text: line, bold })] }));
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: block.headers.map((h, i) => new TableCell({ width: { size: widths[i]!, type: WidthType.DXA }, shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'D9E2F3' }, children: paragraphs(h, 'TableHeading', undefined) })),
  });
  const aligns = block.headers.map((_, i) => (block.align?.[i] && block.align[i] !== 'l' ? ALIGN[block.align[i]!] : undefined));
  return new Table({
    width: { size: TABLE_TWIPS, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    rows: [
      header,
      ...block.rows.map((r, n) => {
        const look = block.rowStyles?.[n];
        return new TableRow({ cantSplit: true, children: r.map((c, i) => new TableCell({ children: paragraphs(c, 'TableText', aligns[i], look && look.indentColumn === i ? look.indent : 0, look?.bold ?? false) })) });
      }),
    ],
  });
}

/** Lines of the table of contents that fit on one PDF page. */
const TOC_LINES_PER_PAGE = 40;

/**
 * Renders the blocks as a PDF with pdfkit's standard fonts (Helvetica), nothing
 * fetched: a title page, a table of contents (chapters and sections with their
 * pages, linked), the chapters, and "Halaman N" at the foot of every page but the
 * title page. Pages are numbered as Word numbers the DOCX: the title page is 1.
 */
export async function writePdf(content: DocumentContent, meta: WriterMeta): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margins: { top: 56, bottom: 56, left: 56, right: 56 }, bufferPages: true, info: { Title: `${content.title} ${content.subtitle}`.replace(/[\u2013\u2014]/g, '-'), Author: `Pemerintah ${meta.region}`, Subject: 'Masterplan smart city', Creator: 'Cerdas' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const ensure = (h: number) => {
    if (doc.y + h > bottom()) doc.addPage();
  };
  const pageIndex = () => doc.bufferedPageRange().count - 1;

  doc.font('Helvetica-Bold').fontSize(24).text(content.title, left, 220, { width, align: 'center' });
  doc.moveDown(0.8).fontSize(16).text(content.subtitle, { width, align: 'center' });
  doc.font('Helvetica').fontSize(13).text(`Pemerintah ${meta.region}`, left, 560, { width, align: 'center' });
  if (meta.programme) doc.font('Helvetica').fontSize(10).text(meta.programme, { width, align: 'center' });
  doc.font('Helvetica-Oblique').fontSize(10).text(`Dokumen kerja, dibuat ${meta.date}`, { width, align: 'center' });

  // The table of contents is written last, on pages kept for it here.
  const tocEntries = content.blocks.filter((b) => b.kind === 'h' && b.level <= 2).length;
  const tocFirst = pageIndex() + 1;
  const tocPages = Math.max(1, Math.ceil((tocEntries + 2) / TOC_LINES_PER_PAGE));
  for (let i = 0; i < tocPages; i++) doc.addPage();
  const toc: { level: number; text: string; page: number; dest: string }[] = [];

  let firstChapter = true;
  for (const block of content.blocks) {
    switch (block.kind) {
      case 'h': {
        if (block.level === 1) {
          if (firstChapter || doc.y > doc.page.margins.top + 1) doc.addPage();
          firstChapter = false;
          doc.outline.addItem(block.text);
        } else ensure(60);
        const dest = `h${toc.length + 1}`;
        if (block.level <= 2) {
          doc.addNamedDestination(dest);
          toc.push({ level: block.level, text: block.text, page: pageIndex() + 1, dest });
        }
        if (block.level === 1) doc.font('Helvetica-Bold').fontSize(16).fillColor('#1F3864').text(block.text, left, doc.y, { width });
        else doc.moveDown(0.6).font('Helvetica-Bold').fontSize(block.level === 2 ? 12.5 : 11).fillColor('#2F5496').text(block.text, left, doc.y, { width });
        doc.fillColor('black').moveDown(0.4);
        break;
      }
      case 'p':
        doc.font(block.italic ? 'Helvetica-Oblique' : 'Helvetica').fontSize(10.5).text(block.text, left, doc.y, { width, align: 'justify' }).moveDown(0.4);
        break;
      case 'ul':
        doc.font('Helvetica').fontSize(10.5);
        block.items.forEach((item, i) => {
          ensure(14);
          const mark = block.numbered ? `${i + 1}.` : '•';
          const y = doc.y;
          doc.text(mark, left + 8, y, { width: 18 });
          doc.text(item, left + 28, y, { width: width - 28 });
        });
        doc.moveDown(0.4);
        break;
      case 'table':
        pdfTable(doc, block, left, width, bottom);
        break;
      case 'image': {
        const scale = Math.min(1, (width * 0.9) / block.png.width);
        const w = block.png.width * scale;
        const h = block.png.height * scale;
        ensure(h + 24);
        doc.image(block.png.data, left + (width - w) / 2, doc.y, { width: w, height: h });
        doc.y += h + 4;
        doc.font('Helvetica-Oblique').fontSize(9).text(block.caption, left, doc.y, { width, align: 'center' }).moveDown(0.6);
        break;
      }
      case 'pagebreak':
        break; // every chapter starts on a page of its own anyway
    }
  }

  // The table of contents, on the pages kept for it.
  doc.switchToPage(tocFirst);
  doc.font('Helvetica-Bold').fontSize(14).fillColor('black').text('DAFTAR ISI', left, doc.page.margins.top, { width, align: 'center' }).moveDown(1);
  let tocPage = tocFirst;
  for (const e of toc) {
    if (doc.y + 16 > bottom() && tocPage < tocFirst + tocPages - 1) {
      doc.switchToPage(++tocPage);
      doc.y = doc.page.margins.top;
    }
    const indent = e.level === 1 ? 0 : 16;
    const y = doc.y;
    doc.font(e.level === 1 ? 'Helvetica-Bold' : 'Helvetica').fontSize(10.5);
    doc.text(e.text, left + indent, y, { width: width - indent - 40, lineBreak: false, ellipsis: true, height: 14, goTo: e.dest });
    doc.text(String(e.page), left + width - 40, y, { width: 40, align: 'right', lineBreak: false });
    doc.x = left;
    doc.y = y + 16;
  }

  // "Halaman N" in the bottom margin: the margin is lifted while it is written, or pdfkit would start a new page.
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(9).fillColor('#404040').text(`Halaman ${i + 1}`, left, doc.page.height - 36, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = margin;
  }
  doc.flushPages();
  doc.end();
  return done;
}

function pdfTable(doc: PDFKit.PDFDocument, block: Extract<Block, { kind: 'table' }>, left: number, width: number, bottom: () => number): void {
  const total = block.widths.reduce((a, b) => a + b, 0);
  const widths = block.widths.map((w) => (w / total) * width);
  const pad = 3;
  const size = 8;
  const indentOf = (n: number | null, i: number) => {
    const look = n === null ? undefined : block.rowStyles?.[n];
    return look && look.indentColumn === i ? look.indent * INDENT_PT : 0;
  };
  const heightOf = (cells: string[], bold: boolean, n: number | null = null) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i]! - 2 * pad - indentOf(n, i) }))) + 2 * pad;
  };
  const drawRow = (cells: string[], header: boolean, n: number | null = null) => {
    const bold = header || (n !== null && (block.rowStyles?.[n]?.bold ?? false));
    const h = heightOf(cells, bold, n);
    let x = left;
    const y = doc.y;
    if (header) doc.rect(left, y, width, h).fill('#D9E2F3').fillColor('black');
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size);
    cells.forEach((c, i) => {
      const w = widths[i]!;
      const indent = indentOf(n, i);
      doc.rect(x, y, w, h).lineWidth(0.5).strokeColor('#8EAADB').stroke();
      doc.fillColor('black').text(c, x + pad + indent, y + pad, { width: w - 2 * pad - indent, align: header ? 'center' : block.align?.[i] === 'r' ? 'right' : block.align?.[i] === 'c' ? 'center' : 'left', lineBreak: true });
      x += w;
    });
    doc.y = y + h;
    doc.x = left;
  };
  if (doc.y + 40 > bottom()) doc.addPage();
  doc.font('Helvetica-Bold').fontSize(9).text(block.caption, left, doc.y, { width }).moveDown(0.2);
  drawRow(block.headers, true);
  for (const [n, row] of block.rows.entries()) {
    if (doc.y + heightOf(row, block.rowStyles?.[n]?.bold ?? false, n) > bottom()) {
      doc.addPage();
      drawRow(block.headers, true);
    }
    drawRow(row, false, n);
  }
  doc.moveDown(0.8);
}
