/**
 * Buku I's current condition per dimension: what the plan already funds in
 * each dimension (the mapped SIPD lines, counted once through the hierarchy),
 * the initiatives and the problems they answer, and the latest evaluation
 * index of the dimension.
 */
import { DIMENSIONS } from './export.data.ts';
import { buildHierarchy } from '../programs/programs.hierarchy.ts';
import { initiativesOf, type Chapter } from './book.ts';
import { count, rp, score } from './format.ts';

export const currentCondition: Chapter = {
  title: 'KONDISI SAAT INI PER DIMENSI',
  build(w, data) {
    const tree = buildHierarchy(data.programs);
    const last = [...data.evaluations].reverse().find((e) => e.weights !== null) ?? null;
    const perDim = DIMENSIONS.map((d) => {
      const keep = (p: (typeof data.programs)[number]) => p.dimensionKey === d.key;
      return { d, lines: data.programs.filter(keep).length, budget: tree.total(keep), initiatives: initiativesOf(data, d.key), index: last?.byDimension.find((x) => x.key === d.key)?.index ?? null };
    });
    w.p(`Kondisi saat ini setiap dimensi smart city dibaca dari dokumen perencanaan daerah yang dipetakan ke dimensi (anggaran dijumlahkan sekali melalui hierarki program, kegiatan dan sub kegiatan), inisiatif yang telah dirumuskan beserta permasalahan yang dijawabnya${last ? `, dan indeks evaluasi ${last.year}` : ''}.`);
    const unmappedKeep = (p: (typeof data.programs)[number]) => !DIMENSIONS.some((d) => d.key === p.dimensionKey);
    const unmapped = { lines: data.programs.filter(unmappedKeep).length, budget: tree.total(unmappedKeep) };
    const lines = perDim.reduce((a, x) => a + x.lines, 0) + unmapped.lines;
    const budget = perDim.reduce((a, x) => a + x.budget, 0) + unmapped.budget;
    const inits = perDim.reduce((a, x) => a + x.initiatives.length, 0);
    w.table({
      caption: 'Kondisi per dimensi smart city',
      headers: ['Dimensi', 'Baris anggaran', 'Anggaran dokumen perencanaan', 'Inisiatif', `Indeks${last ? ` ${last.year}` : ''} (0–5)`],
      widths: [26, 16, 26, 14, 18],
      align: ['l', 'r', 'r', 'r', 'r'],
      rows: [
        ...perDim.map((x) => [x.d.name, count(x.lines), rp(x.budget), count(x.initiatives.length), score(x.index)]),
        ...(unmapped.lines ? [['Belum dipetakan', count(unmapped.lines), rp(unmapped.budget), '0', '-']] : []),
        ['Jumlah', count(lines), rp(budget), count(inits), last?.index === undefined ? '-' : score(last.index)],
      ],
      rowStyles: [...perDim.map(() => ({ indent: 0, bold: false, indentColumn: 0 })), ...(unmapped.lines ? [{ indent: 0, bold: false, indentColumn: 0 }] : []), { indent: 0, bold: true, indentColumn: 0 }],
    });
    for (const x of perDim) {
      w.section(x.d.name);
      w.p(`Elemen: ${x.d.elements.map((e) => e.name).join(', ')}. ${x.lines ? `${count(x.lines)} baris dokumen perencanaan dengan anggaran ${rp(x.budget)} dipetakan ke dimensi ini.` : 'Belum ada baris dokumen perencanaan yang dipetakan ke dimensi ini.'}`);
      const problems = x.initiatives.filter((i) => i.problem.trim() !== '');
      if (problems.length) {
        w.p('Permasalahan yang dijawab inisiatif dimensi ini:');
        w.ul(problems.map((i) => `${i.problem.trim()} (${i.name})`));
      } else w.empty('Permasalahan dimensi ini belum dirumuskan dalam inisiatif.');
    }
  },
};
