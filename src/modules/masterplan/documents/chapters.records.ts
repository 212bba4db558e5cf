/**
 * The chapters made of the plan's records (records/records.chapters.ts writes
 * their sections): the region's overview and the strategies in Buku I, the
 * development plans and the plan's adoption in Buku II.
 */
import { adoptionBlocks, currentConditionBlocks, developmentBlocks, strategyBlocks, type Place } from '../records/records.chapters.ts';
import type { Records } from '../records/records.contract.ts';
import type { Block } from './export.content.ts';
import type { Chapter } from './book.ts';

/** A chapter of records' sections; the book numbers them (BookWriter.put), so their own place is only a starting point. */
const fromRecords = (title: string, sections: (r: Records, place: Place) => Block[]): Chapter => ({
  title,
  build(w, data) {
    if (!data.records) w.empty('Data ini belum diisi.');
    else w.put(sections(data.records, { chapter: 0, section: 1 }));
  },
});

/** Profile, current condition and strategic issues per dimension, the ICT already in place (with the platform's own count). */
export const regionOverview = fromRecords('GAMBARAN UMUM DAERAH', currentConditionBlocks);
/** Strategies drawn from the SWOT (SO/ST/WO/WT) and the goals per dimension. */
export const strategies = fromRecords('STRATEGI DAN TUJUAN', strategyBlocks);
/** Regulation, institutions, people and infrastructure, year by year within the plan's period. */
export const developmentPlans = fromRecords('RENCANA PENGEMBANGAN', developmentBlocks);
/** Where the plan stands (draft, Perbup, RPJMD) and its appendices. */
export const adoption = fromRecords('PENETAPAN DAN LAMPIRAN', adoptionBlocks);
