/** Default categories (services) of a region, seeded when it has none. */
export type AttributeDatatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

export interface CategoryAttribute {
  code: string;
  datatype: AttributeDatatype;
  required: boolean;
  descriptionId: string;
  descriptionEn: string;
  values?: { key: string; name: string }[];
}

export interface Category {
  code: string;
  nameId: string;
  nameEn: string;
  descriptionId: string;
  descriptionEn: string;
  group: string;
  /** the region's OPD this category routes to, resolved from opdCode; null when that OPD does not exist (yet) */
  opdId: string | null;
  opdCode: string | null;
  defaultSeverity: IncidentSeverity;
  keywords: string[];
  attributes: CategoryAttribute[];
  active: boolean;
}

export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

export type CategorySeed = Omit<Category, 'opdId'>;

export const DEFAULT_CATEGORIES: CategorySeed[] = [
  {
    code: 'roads',
    nameId: 'Jalan / jembatan rusak',
    nameEn: 'Damaged road or bridge',
    descriptionId: 'Jalan berlubang, amblas, gorong-gorong runtuh, jembatan rusak.',
    descriptionEn: 'Potholes, subsidence, collapsed culverts, damaged bridges.',
    group: 'infrastruktur',
    opdCode: 'PUPR',
    defaultSeverity: 'medium',
    keywords: ['jalan', 'jembatan', 'lubang', 'gorong-gorong', 'amblas', 'road', 'bridge', 'pothole', 'culvert'],
    attributes: [
      {
        code: 'passable',
        datatype: 'singlevaluelist',
        required: true,
        descriptionId: 'Apakah jalan masih bisa dilalui?',
        descriptionEn: 'Can the road still be used?',
        values: [
          { key: 'yes', name: 'Bisa dilalui / Passable' },
          { key: 'partly', name: 'Sebagian / Partly' },
          { key: 'no', name: 'Tidak bisa / Impassable' },
        ],
      },
    ],
    active: true,
  },
  {
    code: 'flooding',
    nameId: 'Banjir',
    nameEn: 'Flooding',
    descriptionId: 'Genangan atau banjir di permukiman, jalan, atau lahan.',
    descriptionEn: 'Standing water or floods in homes, roads or fields.',
    group: 'bencana',
    opdCode: 'BPBD',
    defaultSeverity: 'high',
    keywords: ['banjir', 'genangan', 'luapan', 'sungai', 'flood', 'water'],
    attributes: [
      { code: 'water_depth_cm', datatype: 'number', required: true, descriptionId: 'Perkiraan tinggi air (cm)', descriptionEn: 'Estimated water depth (cm)' },
    ],
    active: true,
  },
  {
    code: 'street_lights',
    nameId: 'PJU mati',
    nameEn: 'Street light out',
    descriptionId: 'Lampu penerangan jalan umum mati atau berkedip.',
    descriptionEn: 'A public street light is out or flickering.',
    group: 'infrastruktur',
    // Street lights are run by the transport office (Dishub) in Musi Rawas, as in many regencies.
    opdCode: 'DISHUB',
    defaultSeverity: 'low',
    keywords: ['pju', 'lampu', 'penerangan', 'street light', 'lamp'],
    attributes: [],
    active: true,
  },
  {
    code: 'waste',
    nameId: 'Sampah',
    nameEn: 'Waste',
    descriptionId: 'Sampah menumpuk, tidak diangkut, atau dibuang sembarangan.',
    descriptionEn: 'Waste piling up, not collected, or dumped.',
    group: 'lingkungan',
    opdCode: 'DLH',
    defaultSeverity: 'low',
    keywords: ['sampah', 'tps', 'limbah', 'waste', 'garbage', 'rubbish'],
    attributes: [],
    active: true,
  },
  {
    code: 'fallen_trees',
    nameId: 'Pohon tumbang',
    nameEn: 'Fallen tree',
    descriptionId: 'Pohon tumbang atau rawan tumbang di jalan atau permukiman.',
    descriptionEn: 'A tree fallen or about to fall on a road or homes.',
    group: 'lingkungan',
    opdCode: 'DLH',
    defaultSeverity: 'medium',
    keywords: ['pohon', 'tumbang', 'dahan', 'tree', 'fallen'],
    attributes: [],
    active: true,
  },
  {
    code: 'forest_fires',
    nameId: 'Kebakaran hutan dan lahan',
    nameEn: 'Forest and land fire',
    descriptionId: 'Api atau asap dari hutan, kebun, atau lahan gambut (karhutla).',
    descriptionEn: 'Fire or smoke from forest, plantations or peatland.',
    group: 'bencana',
    opdCode: 'BPBD',
    defaultSeverity: 'critical',
    keywords: ['karhutla', 'kebakaran', 'api', 'asap', 'hutan', 'lahan', 'fire', 'smoke'],
    attributes: [],
    active: true,
  },
  {
    code: 'clean_water',
    nameId: 'Air bersih',
    nameEn: 'Clean water',
    descriptionId: 'Air bersih tidak mengalir, keruh, atau pipa bocor. Sambungan rumah PDAM diteruskan ke PDAM.',
    descriptionEn: 'No running water, dirty water, or a leaking pipe. Household PDAM connections are passed on to the PDAM (water utility).',
    group: 'infrastruktur',
    opdCode: 'PUPR',
    defaultSeverity: 'medium',
    keywords: ['air', 'pdam', 'pipa', 'bocor', 'keruh', 'water', 'pipe'],
    attributes: [],
    active: true,
  },
  {
    code: 'public_facilities',
    nameId: 'Fasilitas umum rusak',
    nameEn: 'Damaged public facility',
    descriptionId: 'Taman, halte, pasar, toilet umum, atau gedung publik yang rusak.',
    descriptionEn: 'Damaged parks, bus stops, markets, public toilets or buildings.',
    group: 'infrastruktur',
    opdCode: 'PUPR',
    defaultSeverity: 'low',
    keywords: ['fasilitas', 'taman', 'halte', 'gedung', 'facility', 'park'],
    attributes: [],
    active: true,
  },
  {
    code: 'health_services',
    nameId: 'Layanan kesehatan',
    nameEn: 'Health services',
    descriptionId: 'Keluhan layanan puskesmas atau rumah sakit daerah, wabah, atau sanitasi.',
    descriptionEn: 'Complaints about community health centres or the regional hospital, outbreaks, sanitation.',
    group: 'layanan',
    opdCode: 'DINKES',
    defaultSeverity: 'medium',
    keywords: ['puskesmas', 'rumah sakit', 'kesehatan', 'dbd', 'health', 'clinic'],
    attributes: [],
    active: true,
  },
  {
    code: 'other',
    nameId: 'Lainnya',
    nameEn: 'Other',
    descriptionId: 'Hal lain; admin menentukan OPD yang menangani.',
    descriptionEn: 'Anything else; an admin decides which OPD handles it.',
    group: 'lainnya',
    opdCode: null,
    defaultSeverity: 'low',
    keywords: [],
    attributes: [],
    active: true,
  },
];
