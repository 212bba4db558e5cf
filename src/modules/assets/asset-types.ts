/** The asset types the web app knows icons and names for; other slugs are allowed too. */
export const ASSET_TYPES: { type: string; id: string; en: string }[] = [
  { type: 'river_gauge', id: 'Pos duga air sungai', en: 'River gauge' },
  { type: 'rain_gauge', id: 'Penakar hujan', en: 'Rain gauge' },
  { type: 'air_quality', id: 'Pemantau kualitas udara', en: 'Air quality monitor' },
  { type: 'bridge', id: 'Jembatan', en: 'Bridge' },
  { type: 'road_segment', id: 'Ruas jalan', en: 'Road segment' },
  { type: 'street_light', id: 'Penerangan jalan umum', en: 'Street light' },
  { type: 'pump', id: 'Pompa', en: 'Pump' },
  { type: 'puskesmas', id: 'Puskesmas', en: 'Community health centre' },
  { type: 'school', id: 'Sekolah', en: 'School' },
  { type: 'market', id: 'Pasar', en: 'Market' },
  { type: 'cctv', id: 'Titik CCTV', en: 'CCTV point' },
  { type: 'vehicle', id: 'Kendaraan', en: 'Vehicle' },
  { type: 'office', id: 'Kantor', en: 'Office' },
];
