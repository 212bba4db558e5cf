/**
 * What a book is made of: an ordered list of chapters, each a function that
 * writes its blocks through a BookWriter. The writer numbers the chapters
 * (BAB I, II, …), their sections (1.1, 1.2, …), the tables and the figures, so
 * a chapter can be moved or slotted into another book by one line in books.ts.
 */
import { renderSvg } from './export.charts.ts';
import type { Block, DocumentContent } from './export.content.ts';
import type { ExportData } from './export.data.ts';
import type { Initiative, InitiativeList } from '../initiatives/initiatives.contract.ts';

type Table = Omit<Extract<Block, { kind: 'table' }>, 'kind'>;

/** Everything the books show: the plan's data (export.data.ts) and its initiatives as the initiatives service answers them. */
export interface BookData extends ExportData {
  initiatives: InitiativeList;
  /** OPD id → code, for the OPDs the initiatives name */
  opdCodes: Map<string, string>;
}

export interface Chapter {
  /** the heading after "BAB N " */
  title: string;
  build(w: BookWriter, data: BookData, book: BookSpec): void | Promise<void>;
}

export interface BookSpec {
  key: string;
  /** the title page's title */
  title: string;
  /** "Buku II" */
  label: string;
  /** what the book is for, one sentence (Bab I) */
  purpose: string;
  chapters: Chapter[];
}

const ROMAN: [number, string][] = [[10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
export function roman(n: number): string {
  let out = '';
  for (const [v, s] of ROMAN) while (n >= v) {
    out += s;
    n -= v;
  }
  return out;
}

export class BookWriter {
  readonly blocks: Block[] = [];
  private readonly charts: boolean;
  private chapterNo = 0;
  private sectionNo = 0;
  private tableNo = 0;
  private figureNo = 0;
  constructor(options: { charts: boolean }) {
    this.charts = options.charts;
  }

  chapter(title: string): void {
    if (this.blocks.length) this.blocks.push({ kind: 'pagebreak' });
    this.chapterNo++;
    this.sectionNo = 0;
    this.blocks.push({ kind: 'h', level: 1, text: `BAB ${roman(this.chapterNo)} ${title}` });
  }

  /** "2.3 Title" within the current chapter. */
  section(title: string): void {
    this.blocks.push({ kind: 'h', level: 2, text: `${this.chapterNo}.${++this.sectionNo} ${title}` });
  }

  sub(title: string): void {
    this.blocks.push({ kind: 'h', level: 3, text: title });
  }

  p(text: string, italic = false): void {
    this.blocks.push(italic ? { kind: 'p', text, italic } : { kind: 'p', text });
  }

  /** A paragraph in italics saying what is not filled in yet. */
  empty(text: string): void {
    this.p(text, true);
  }

  ul(items: string[], numbered = false): void {
    this.blocks.push(numbered ? { kind: 'ul', items, numbered } : { kind: 'ul', items });
  }

  table(t: Table): void {
    this.blocks.push({ ...t, kind: 'table', caption: `Tabel ${++this.tableNo}. ${t.caption}` });
  }

  /**
   * Blocks a chapter written elsewhere made (its tables captioned without a
   * number, its sections as "n.m Title"): numbered here in this book's order.
   */
  put(blocks: Block[]): void {
    for (const block of blocks) {
      if (block.kind === 'table') this.table(block);
      else if (block.kind === 'h' && block.level === 2) this.section(block.text.replace(/^\d+\.\d+\s+/, ''));
      else this.blocks.push(block);
    }
  }

  async figure(svg: string, caption: string): Promise<void> {
    if (!this.charts) return;
    this.blocks.push({ kind: 'image', png: await renderSvg(svg), caption: `Gambar ${++this.figureNo}. ${caption}` });
  }
}

export const periodOf = (data: ExportData) => (data.plan.periodStart && data.plan.periodEnd ? `${data.plan.periodStart}–${data.plan.periodEnd}` : null);

/** The book's blocks, its chapters in their order. */
export async function writeBook(book: BookSpec, data: BookData, options: { charts: boolean }): Promise<DocumentContent> {
  const w = new BookWriter(options);
  for (const chapter of book.chapters) {
    w.chapter(chapter.title);
    await chapter.build(w, data, book);
  }
  const period = periodOf(data);
  return { title: book.title, subtitle: `${data.regionName.toUpperCase()}${period ? ` ${period}` : ` ${data.year}`}`, blocks: w.blocks };
}

/** The initiatives of a dimension (and element), in the service's order. */
export const initiativesOf = (data: BookData, dimensionKey: string, elementKey?: string | null): Initiative[] =>
  data.initiatives.items.filter((i) => i.dimensionKey === dimensionKey && (elementKey === undefined || i.elementKey === elementKey));
