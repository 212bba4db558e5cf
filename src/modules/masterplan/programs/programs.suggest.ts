/**
 * Suggests a smart city dimension and element for a program from its
 * Indonesian words: a keyword table per element, matched on light stems
 * (the common affixes peN-/pe-/ke-/-an/-kan/-nya removed), so "pelayanan",
 * "layanan" and "dilayani" meet.
 */
interface Suggestion { dimensionKey: string; elementKey: string; score: number; words: string[] }

/**
 * Cue phrases per element. A phrase counts its words (a phrase of three words is
 * stronger evidence than one word), times its weight: 1 unless given. Generic words
 * that many OPDs use in other senses weigh ½ ("jaringan" is also a water pipe
 * network, "pelayanan" also a health or disaster service, "pengawasan" also of
 * cooperatives, "desa" also of village enterprises); a phrase that names one thing
 * only weighs 2 ("tenaga surya", "bank sampah", "peringatan dini").
 * Measured on examples/program-names-labelled.csv (programs.suggest.test.ts).
 */
type Cue = string | [phrase: string, weight: number];
const HALF = 0.5;
const STRONG = 2;

const TABLE: Record<string, Record<string, Cue[]>> = {
  governance: {
    service: [['pelayanan', HALF], ['layanan', HALF], 'layanan publik', 'pelayanan publik', 'perizinan', 'mal pelayanan', 'pengaduan', 'administrasi kependudukan', 'dukcapil', 'pendaftaran penduduk', 'pencatatan sipil', 'informasi publik', 'komunikasi publik', 'ppid', 'lapor', 'e-government', 'egovernment', ['aplikasi', HALF], ['sistem informasi', HALF], 'website', 'portal'],
    bureaucracy: ['birokrasi', 'spbe', ['jaringan', HALF], ['jaringan intra', STRONG], 'intra pemerintah', 'persandian', 'keamanan informasi', 'pusat data', 'statistik', 'satu data', 'kepegawaian', 'reformasi', 'akuntabilitas', ['kinerja', HALF], 'arsip', 'e-office', 'tte', 'tanda tangan elektronik', 'naskah dinas', 'nama domain', 'sub domain', 'server', 'inspektorat', 'informatika', 'pemerintahan berbasis elektronik', 'akses internet kantor'],
    policy: ['kebijakan', 'regulasi', ['peraturan', HALF], ['perencanaan', HALF], 'perencanaan pembangunan', 'penganggaran', ['anggaran', HALF], ['evaluasi', HALF], ['pengawasan', HALF], ['hukum', HALF], 'produk hukum', 'rancangan peraturan', 'peraturan bupati', 'musrenbang', 'musyawarah perencanaan', 'rpjmd', 'rkpd'],
  },
  branding: {
    tourism: ['pariwisata', 'wisata', 'destinasi', 'budaya', 'kebudayaan', 'festival', 'cagar budaya', 'kesenian', 'museum', 'kuliner', 'pokdarwis', 'sadar wisata'],
    business: ['promosi', 'branding', 'citra', 'pameran', 'produk unggulan', 'ekonomi kreatif', ['kreatif', HALF], 'investasi daerah', 'merek', 'indikasi geografis', 'video profil', 'tagline', 'logo'],
    appearance: ['taman kota', ['taman', HALF], 'ruang publik', 'penataan kota', 'wajah kota', 'estetika', 'gapura', 'tugu', 'reklame', 'alun-alun', 'lampu hias', 'ornamen', 'landmark', 'ikon', 'gerbang kota', 'tepian sungai', 'pedestrian', 'koridor'],
  },
  economy: {
    industry: ['industri', 'umkm', 'ukm', 'koperasi', 'usaha mikro', 'perdagangan', ['pasar', HALF], 'pasar rakyat', 'investasi', 'penanaman modal', 'pertanian', 'perkebunan', 'perikanan', 'peternakan', 'ternak', 'hewan', 'kesehatan hewan', 'karet', 'sawit', 'petani', 'benih', 'pupuk', 'tanaman pangan', 'hortikultura', 'bumdes', ['badan usaha milik desa', STRONG], 'harga barang', 'kebutuhan pokok', 'sentra'],
    welfare: ['kesejahteraan', 'kemiskinan', ['miskin', HALF], 'bantuan sosial', 'tenaga kerja', 'ketenagakerjaan', 'pelatihan kerja', 'balai latihan kerja', 'lapangan kerja', 'bursa kerja', 'pangan', 'ketahanan pangan', 'cadangan pangan', 'perlindungan sosial', 'jaminan sosial', 'rehabilitasi sosial', 'terlantar', 'disabilitas', 'lanjut usia', 'dtks'],
    transaction: ['transaksi', 'non tunai', 'nontunai', 'qris', 'elektronifikasi', 'pajak', 'pajak daerah', 'retribusi', 'pendapatan daerah', 'pendapatan asli daerah', 'bphtb', 'keuangan daerah', 'keuangan digital', 'laku pandai', 'bumd', 'bank', 'perbankan', 'kredit'],
  },
  living: {
    harmony: ['perumahan', 'permukiman', 'kawasan kumuh', 'kumuh', 'air minum', 'air bersih', 'sanitasi', 'tata ruang', 'rumah layak', 'layak huni', 'drainase', 'spam', 'perpipaan', 'sambungan rumah', 'bangunan gedung', 'utilitas', 'rencana detail tata ruang'],
    health: ['kesehatan', 'puskesmas', 'rumah sakit', 'stunting', 'gizi', 'imunisasi', 'jaminan kesehatan', 'posyandu', 'obat', ['sehat', HALF], 'penyakit', 'demam berdarah', 'malaria', 'ambulans', 'gawat darurat', 'telemedisin', 'rekam medis', 'ibu hamil'],
    mobility: ['transportasi', 'perhubungan', 'lalu lintas', 'angkutan', 'terminal', ['parkir', STRONG], 'rambu', 'marka', 'mobilitas', 'atcs', 'kendaraan', 'halte', 'pejalan kaki', ['jalan', HALF], 'jalan kabupaten', 'jembatan'],
  },
  society: {
    community: ['partisipasi', 'pemberdayaan masyarakat', 'interaksi masyarakat', ['desa', HALF], 'musyawarah desa', 'pemuda', 'kepemudaan', 'karang taruna', 'olahraga', 'perempuan', ['anak', HALF], 'layak anak', 'perlindungan anak', 'gender', 'komunitas', 'kerukunan', 'umat beragama', 'lembaga kemasyarakatan', 'lembaga adat', 'masyarakat hukum adat'],
    learning: ['pendidikan', 'sekolah', 'literasi', 'perpustakaan', 'taman bacaan', 'guru', 'pelajar', 'siswa', 'paud', 'beasiswa', 'belajar', 'pembelajaran', 'digital talent', ['pelatihan', HALF], 'keterampilan digital', 'kesetaraan'],
    security: ['keamanan', 'ketertiban', 'ketenteraman', 'bencana', 'rawan bencana', 'risiko bencana', ['peringatan dini', STRONG], 'tangguh bencana', 'kebakaran', 'damkar', 'satpol', 'pamong praja', 'linmas', 'perlindungan masyarakat', ['cctv', STRONG], 'kedaruratan', ['darurat', HALF], 'panggilan darurat', '112', 'siaga', 'konflik sosial', 'kewaspadaan', 'narkoba'],
  },
  environment: {
    protection: ['lingkungan', 'lingkungan hidup', 'banjir', 'pencemaran', 'kualitas udara', 'udara', 'hutan', 'konservasi', ['sungai', HALF], 'iklim', 'kampung iklim', 'emisi', 'gas rumah kaca', 'penghijauan', 'kebakaran hutan', 'lahan kritis', 'keanekaragaman hayati', 'amdal', 'izin lingkungan'],
    waste: ['sampah', 'limbah', 'persampahan', ['bank sampah', STRONG], 'tpa', 'tps', 'tpst', 'daur ulang', 'b3', 'kompos', ['limbah medis', STRONG], 'air limbah'],
    energy: ['energi', 'listrik', 'ketenagalistrikan', 'surya', ['tenaga surya', STRONG], 'plts', 'hemat energi', 'energi terbarukan', ['biogas', STRONG], 'mikrohidro', 'led', 'penerangan jalan umum', 'pju', 'meteran listrik'],
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

interface Entry { dimensionKey: string; elementKey: string; phrase: string; weight: number; stems: string[] }
const ENTRIES: Entry[] = Object.entries(TABLE).flatMap(([dimensionKey, elements]) =>
  Object.entries(elements).flatMap(([elementKey, cues]) =>
    cues.map((cue) => {
      const [phrase, weight] = typeof cue === 'string' ? [cue, 1] : cue;
      return { dimensionKey, elementKey, phrase, weight, stems: tokens(phrase).map(stem) };
    }),
  ),
);

/**
 * The bidang urusan of a Permendagri 90/2019 code (its first two parts, U.BB)
 * and the element its programs most often serve: a cue worth one plain word, so
 * that a name's own words still decide ("Pengembangan Aplikasi Layanan Publik"
 * under 1.02 Kesehatan stays governance) while a name with none of the table's
 * words, or a tie, follows its sector. The support affairs (4–8) give none, nor
 * program 01 of any bidang (PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH: the
 * OPD's offices, vehicles and stationery, in every sector alike).
 */
const BIDANG: Record<string, [dimensionKey: string, elementKey: string, name: string]> = {
  '1.01': ['society', 'learning', 'Pendidikan'],
  '1.02': ['living', 'health', 'Kesehatan'],
  '1.03': ['living', 'harmony', 'Pekerjaan Umum dan Penataan Ruang'],
  '1.04': ['living', 'harmony', 'Perumahan dan Kawasan Permukiman'],
  '1.05': ['society', 'security', 'Ketenteraman, Ketertiban Umum dan Pelindungan Masyarakat'],
  '1.06': ['economy', 'welfare', 'Sosial'],
  '2.07': ['economy', 'welfare', 'Tenaga Kerja'],
  '2.08': ['society', 'community', 'Pemberdayaan Perempuan dan Pelindungan Anak'],
  '2.09': ['economy', 'welfare', 'Pangan'],
  '2.11': ['environment', 'protection', 'Lingkungan Hidup'],
  '2.12': ['governance', 'service', 'Administrasi Kependudukan dan Pencatatan Sipil'],
  '2.13': ['society', 'community', 'Pemberdayaan Masyarakat dan Desa'],
  '2.15': ['living', 'mobility', 'Perhubungan'],
  '2.16': ['governance', 'bureaucracy', 'Komunikasi dan Informatika'],
  '2.17': ['economy', 'industry', 'Koperasi, Usaha Kecil dan Menengah'],
  '2.18': ['economy', 'industry', 'Penanaman Modal'],
  '2.19': ['society', 'community', 'Kepemudaan dan Olahraga'],
  '2.20': ['governance', 'bureaucracy', 'Statistik'],
  '2.21': ['governance', 'bureaucracy', 'Persandian'],
  '2.22': ['branding', 'tourism', 'Kebudayaan'],
  '2.23': ['society', 'learning', 'Perpustakaan'],
  '2.24': ['governance', 'bureaucracy', 'Kearsipan'],
  '3.25': ['economy', 'industry', 'Kelautan dan Perikanan'],
  '3.26': ['branding', 'tourism', 'Pariwisata'],
  '3.27': ['economy', 'industry', 'Pertanian'],
  '3.28': ['environment', 'protection', 'Kehutanan'],
  '3.29': ['environment', 'energy', 'Energi dan Sumber Daya Mineral'],
  '3.30': ['economy', 'industry', 'Perdagangan'],
  '3.31': ['economy', 'industry', 'Perindustrian'],
  '3.32': ['economy', 'welfare', 'Transmigrasi'],
};
/** what the bidang urusan adds: as much as one single word written as the table writes it */
const BIDANG_POINTS = 1.5;

/** The cue of a program code's bidang urusan, e.g. "1.03" → Smart Living, tata ruang (PUPR). */
export function bidangOf(code: string | null | undefined): { dimensionKey: string; elementKey: string; label: string } | null {
  const m = /^(\d)\.(\d{2})(?:\.(\d{2}))?/.exec(code ?? '');
  if (m?.[3] === '01') return null;
  const hit = m ? BIDANG[`${m[1]}.${m[2]}`] : undefined;
  return hit ? { dimensionKey: hit[0], elementKey: hit[1], label: `bidang urusan ${m![1]}.${m![2]} ${hit[2]}` } : null;
}

/** A program's suggestion from its name and indicator, with its code's bidang urusan as a cue. */
export function suggestProgram(p: { code?: string | null; name: string; indicator?: string | null }): Suggestion | null {
  return suggestFrom([p.name, p.indicator], bidangOf(p.code));
}

/**
 * The best element for a text, with a score 0–1 and the words that matched;
 * null when no word of the table occurs. A phrase of several words counts more.
 */
export function suggest(...texts: (string | null | undefined)[]): Suggestion | null {
  return suggestFrom(texts, null);
}

function suggestFrom(texts: (string | null | undefined)[], bidang: { dimensionKey: string; elementKey: string; label: string } | null): Suggestion | null {
  const raw = ` ${tokens(texts.filter(Boolean).join(' ')).join(' ')} `;
  const stems = tokens(raw).map(stem);
  if (stems.length === 0) return null;
  const joined = ` ${stems.join(' ')} `;
  const scores = new Map<string, { dimensionKey: string; elementKey: string; points: number; words: string[] }>();
  const add = (dimensionKey: string, elementKey: string, points: number, word: string) => {
    const k = `${dimensionKey}.${elementKey}`;
    const s = scores.get(k) ?? scores.set(k, { dimensionKey, elementKey, points: 0, words: [] }).get(k)!;
    s.points += points;
    s.words.push(word);
  };
  for (const e of ENTRIES) {
    if (!joined.includes(` ${e.stems.join(' ')} `)) continue;
    // the word as written counts more than a match through its stem ("rumah tangga" is not "perumahan")
    add(e.dimensionKey, e.elementKey, e.weight * (e.stems.length + (raw.includes(` ${tokens(e.phrase).join(' ')} `) ? 0.5 : 0)), e.phrase);
  }
  if (bidang) add(bidang.dimensionKey, bidang.elementKey, BIDANG_POINTS, bidang.label);
  const ranked = [...scores.values()].sort((a, b) => b.points - a.points || b.words.length - a.words.length);
  const best = ranked[0];
  if (!best) return null;
  const total = ranked.reduce((sum, r) => sum + r.points, 0);
  // confidence: the share of the evidence for the best element, damped when little matched
  const score = Math.round((best.points / total) * Math.min(1, 0.5 + best.points / 4) * 100) / 100;
  return { dimensionKey: best.dimensionKey, elementKey: best.elementKey, score, words: best.words };
}
