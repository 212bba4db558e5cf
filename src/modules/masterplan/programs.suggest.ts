/**
 * Suggests a smart city dimension and element for a program from its
 * Indonesian words: a keyword table per element, matched on light stems
 * (the common affixes peN-/pe-/ke-/-an/-kan/-nya removed), so "pelayanan",
 * "layanan" and "dilayani" meet.
 */
export interface Suggestion { dimensionKey: string; elementKey: string; score: number; words: string[] }

const TABLE: Record<string, Record<string, string[]>> = {
  governance: {
    service: ['pelayanan', 'layanan publik', 'perizinan', 'mal pelayanan', 'pengaduan', 'administrasi kependudukan', 'dukcapil', 'e-government', 'egovernment', 'aplikasi', 'sistem informasi', 'website', 'portal'],
    bureaucracy: ['birokrasi', 'spbe', 'jaringan', 'intra pemerintah', 'persandian', 'keamanan informasi', 'pusat data', 'statistik', 'satu data', 'kepegawaian', 'reformasi', 'akuntabilitas', 'kinerja', 'arsip', 'e-office', 'tte', 'informatika'],
    policy: ['kebijakan', 'regulasi', 'peraturan', 'perencanaan', 'penganggaran', 'evaluasi', 'pengawasan', 'hukum', 'produk hukum', 'musrenbang'],
  },
  branding: {
    tourism: ['pariwisata', 'wisata', 'destinasi', 'budaya', 'kebudayaan', 'festival', 'cagar budaya', 'kesenian', 'museum'],
    business: ['promosi', 'branding', 'citra', 'pameran', 'produk unggulan', 'ekonomi kreatif', 'kreatif', 'investasi daerah'],
    appearance: ['taman', 'ruang terbuka', 'penataan kota', 'wajah kota', 'estetika', 'gapura', 'reklame', 'penerangan jalan', 'pju', 'alun-alun'],
  },
  economy: {
    industry: ['industri', 'umkm', 'ukm', 'koperasi', 'usaha mikro', 'perdagangan', 'pasar', 'investasi', 'penanaman modal', 'pertanian', 'perkebunan', 'perikanan', 'peternakan', 'karet', 'sawit'],
    welfare: ['kesejahteraan', 'kemiskinan', 'bantuan sosial', 'tenaga kerja', 'ketenagakerjaan', 'pelatihan kerja', 'lapangan kerja', 'pangan', 'ketahanan pangan', 'perlindungan sosial'],
    transaction: ['transaksi', 'non tunai', 'nontunai', 'qris', 'elektronifikasi', 'pajak daerah', 'retribusi', 'pendapatan daerah', 'keuangan daerah', 'bumd', 'bank'],
  },
  living: {
    harmony: ['perumahan', 'permukiman', 'kawasan kumuh', 'air minum', 'sanitasi', 'tata ruang', 'rumah layak', 'drainase', 'jalan', 'jembatan', 'irigasi', 'spam'],
    health: ['kesehatan', 'puskesmas', 'rumah sakit', 'stunting', 'gizi', 'imunisasi', 'jaminan kesehatan', 'posyandu', 'obat', 'sehat'],
    mobility: ['transportasi', 'perhubungan', 'lalu lintas', 'angkutan', 'terminal', 'parkir', 'rambu', 'mobilitas', 'atcs'],
  },
  society: {
    community: ['partisipasi', 'pemberdayaan masyarakat', 'interaksi masyarakat', 'desa', 'pemuda', 'olahraga', 'perempuan', 'anak', 'gender', 'komunitas', 'kepemudaan'],
    learning: ['pendidikan', 'sekolah', 'literasi', 'perpustakaan', 'guru', 'pelajar', 'paud', 'beasiswa', 'belajar', 'digital talent', 'pelatihan'],
    security: ['keamanan', 'ketertiban', 'ketenteraman', 'bencana', 'kebakaran', 'damkar', 'satpol', 'linmas', 'cctv', 'kedaruratan', 'siaga'],
  },
  environment: {
    protection: ['lingkungan', 'lingkungan hidup', 'banjir', 'pencemaran', 'kualitas udara', 'udara', 'hutan', 'konservasi', 'sungai', 'iklim', 'emisi', 'penghijauan', 'kebakaran hutan'],
    waste: ['sampah', 'limbah', 'persampahan', 'bank sampah', 'tpa', 'tps', 'daur ulang', 'b3'],
    energy: ['energi', 'listrik', 'ketenagalistrikan', 'surya', 'tenaga surya', 'plts', 'hemat energi', 'energi terbarukan', 'biogas'],
  },
};

/** Light stemming: strip particles and the commonest affixes of Indonesian. */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (w.length <= 4) return w;
  w = w.replace(/(lah|kah|nya)$/, '');
  w = w.replace(/(kan|an|i)$/, (m, _g, offset: number) => (offset >= 4 ? '' : m));
  const prefixes: [RegExp, string][] = [[/^(meny|peny)/, 's'], [/^(mem|pem)(?=[aiueo])/, 'p'], [/^(men|pen)(?=[aiueo])/, 't'], [/^(meng|peng)/, ''], [/^(mem|pem|men|pen|me|pe|di|ke|ter|ber|se)/, '']];
  for (const [re, put] of prefixes) {
    if (re.test(w) && w.length > 5) {
      w = w.replace(re, put);
      break;
    }
  }
  return w;
}

const tokens = (text: string) => text.toLowerCase().replace(/e-/g, 'e').split(/[^a-z0-9]+/).filter((t) => t.length > 1);

interface Entry { dimensionKey: string; elementKey: string; phrase: string; stems: string[] }
const ENTRIES: Entry[] = Object.entries(TABLE).flatMap(([dimensionKey, elements]) =>
  Object.entries(elements).flatMap(([elementKey, phrases]) => phrases.map((phrase) => ({ dimensionKey, elementKey, phrase, stems: tokens(phrase).map(stem) }))),
);

/**
 * The best element for a text, with a score 0–1 and the words that matched;
 * null when no word of the table occurs. A phrase of several words counts more.
 */
export function suggest(...texts: (string | null | undefined)[]): Suggestion | null {
  const raw = ` ${tokens(texts.filter(Boolean).join(' ')).join(' ')} `;
  const stems = tokens(raw).map(stem);
  if (stems.length === 0) return null;
  const joined = ` ${stems.join(' ')} `;
  const scores = new Map<string, { dimensionKey: string; elementKey: string; points: number; words: string[] }>();
  for (const e of ENTRIES) {
    if (!joined.includes(` ${e.stems.join(' ')} `)) continue;
    const k = `${e.dimensionKey}.${e.elementKey}`;
    const s = scores.get(k) ?? scores.set(k, { dimensionKey: e.dimensionKey, elementKey: e.elementKey, points: 0, words: [] }).get(k)!;
    // the word as written counts more than a match through its stem ("rumah tangga" is not "perumahan")
    s.points += e.stems.length + (raw.includes(` ${tokens(e.phrase).join(' ')} `) ? 0.5 : 0);
    s.words.push(e.phrase);
  }
  const ranked = [...scores.values()].sort((a, b) => b.points - a.points || b.words.length - a.words.length);
  const best = ranked[0];
  if (!best) return null;
  const total = ranked.reduce((sum, r) => sum + r.points, 0);
  // confidence: the share of the evidence for the best element, damped when little matched
  const score = Math.round((best.points / total) * Math.min(1, 0.5 + best.points / 4) * 100) / 100;
  return { dimensionKey: best.dimensionKey, elementKey: best.elementKey, score, words: best.words };
}
