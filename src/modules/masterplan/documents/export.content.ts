/**
 * The master plan documents as lists of blocks (headings, paragraphs, lists,
 * tables, charts), in Bahasa Indonesia. The books and their chapters are in
 * documents/ (books.ts); the DOCX and PDF writers render the same blocks.
 */
import type { Png } from './export.charts.ts';
import { BOOK_ALIASES, BOOK_KEYS, BOOKS, type BookKey } from './books.ts';
import { writeBook, type BookData } from './book.ts';
import { quickWinBook } from '../quickwins/quickwins.chapters.ts';

/** A book of documents/books.ts, the Quick Win document (quickwins/), or a name the earlier API used for a book. */
export type Book = BookKey | 'quickwin' | keyof typeof BOOK_ALIASES;
export const BOOK_NAMES = [...BOOK_KEYS, 'quickwin', 'masterplan', 'strategic'] as const satisfies readonly Book[];

export type Block =
  | { kind: 'h'; level: 1 | 2 | 3; text: string }
  | { kind: 'p'; text: string; italic?: boolean }
  | { kind: 'ul'; items: string[]; numbered?: boolean }
  | { kind: 'table'; caption: string; headers: string[]; rows: string[][]; widths: number[]; align?: ('l' | 'r' | 'c')[]; rowStyles?: RowStyle[] }
  | { kind: 'image'; png: Png; caption: string }
  | { kind: 'pagebreak' };

/** How a row of a hierarchical table is set: its level (the column `indentColumn` is indented) and whether it is a subtotal or total (bold). */
export interface RowStyle { indent: number; bold: boolean; indentColumn: number }

export interface DocumentContent {
  title: string;
  subtitle: string;
  blocks: Block[];
}

export const bookKey = (book: Exclude<Book, 'quickwin'>): BookKey => (book === 'masterplan' || book === 'strategic' ? BOOK_ALIASES[book] : book);

export async function buildContent(data: BookData, book: Book, options: { charts: boolean }): Promise<DocumentContent> {
  // the Quick Win document is a book of its own, written from the quick win records (quickwins/quickwins.chapters.ts)
  if (book === 'quickwin') return quickWinBook({ regionName: data.regionName, periodStart: data.plan.periodStart, periodEnd: data.plan.periodEnd, year: data.year, ministry: data.ministry }, data.quickwins);
  return writeBook(BOOKS[bookKey(book)], data, options);
}
