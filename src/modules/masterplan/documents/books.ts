/**
 * The books a region delivers under Gerakan Menuju 100 Smart City, each an
 * ordered list of chapters (book.ts numbers them): a chapter goes in by one
 * line at its place. The records' chapters are in chapters.records.ts, the
 * quick wins' and the roadmap's in chapters.delivery.ts.
 */
import type { BookSpec } from './book.ts';
import { introduction, readiness, strategy } from './chapters.analysis.ts';
import { currentCondition } from './chapters.condition.ts';
import { monitoring, quickWins, roadmap } from './chapters.delivery.ts';
import { adoption, developmentPlans, regionOverview, strategies } from './chapters.records.ts';
import { financing } from './chapters.financing.ts';
import { initiatives } from './chapters.initiatives.ts';
import { dimensionsSummary, headlines, indexSummary, quickWinsSummary, visionSummary } from './chapters.summary.ts';

export const BOOK_KEYS = ['analisis', 'rencana', 'ringkasan'] as const;
export type BookKey = (typeof BOOK_KEYS)[number];

export const BOOKS: Record<BookKey, BookSpec> = {
  analisis: {
    key: 'analisis',
    label: 'Buku I Analisis Strategis',
    title: 'BUKU I ANALISIS STRATEGIS SMART CITY',
    purpose: 'memuat kondisi daerah saat ini per dimensi smart city, kesiapan daerah, analisis SWOT dan arah strategisnya.',
    chapters: [
      introduction,
      regionOverview,
      currentCondition,
      readiness,
      strategy,
      strategies,
    ],
  },
  rencana: {
    key: 'rencana',
    label: 'Buku II Rencana Induk',
    title: 'BUKU II RENCANA INDUK (MASTERPLAN) SMART CITY',
    purpose: 'memuat inisiatif per dimensi beserta jejak pendanaannya, quick win, roadmap, pembiayaan serta implementasi dan monitoring.',
    chapters: [
      introduction,
      initiatives,
      quickWins,
      roadmap,
      developmentPlans,
      financing,
      monitoring,
      adoption,
    ],
  },
  ringkasan: {
    key: 'ringkasan',
    label: 'Buku III Ringkasan Eksekutif',
    title: 'BUKU III RINGKASAN EKSEKUTIF SMART CITY',
    purpose: 'merangkum visi, inisiatif per dimensi, angka utama, quick win dan indeks smart city.',
    chapters: [visionSummary, dimensionsSummary, headlines, quickWinsSummary, indexSummary],
  },
};

/** Book names of the earlier API: `masterplan` is Buku II, `strategic` Buku I. */
export const BOOK_ALIASES = { masterplan: 'rencana', strategic: 'analisis' } as const satisfies Record<string, BookKey>;

/** "buku-2-rencana-induk" */
export const bookSlug = (key: BookKey) => BOOKS[key].label.toLowerCase().replace(/^buku (i+)\b/, (_, n: string) => `buku ${n.length}`).replace(/[^a-z0-9]+/g, '-');
