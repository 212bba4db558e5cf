import { AppError } from '../../core/errors.ts';

/** Indonesia's three zones have no daylight saving, so each province has one fixed offset. */
const WITA_PROVINCES = new Set(['51', '52', '53', '63', '64', '65', '71', '72', '73', '74', '75', '76']);
const WIT_PROVINCES = new Set(['81', '82', '91', '92', '93', '94', '95', '96', '97']);

export function timezoneOfProvince(provinceCode: string): string {
  if (WIT_PROVINCES.has(provinceCode)) return 'Asia/Jayapura';
  if (WITA_PROVINCES.has(provinceCode)) return 'Asia/Makassar';
  return 'Asia/Jakarta';
}

/** Title case for the all-caps names of the Kemendagri list: KABUPATEN MUSI RAWAS → Kabupaten Musi Rawas. */
function titleCase(name: string): string {
  return name.toLowerCase().replace(/(^|[\s(.-])(\p{L})/gu, (_, pre: string, ch: string) => pre + ch.toUpperCase());
}

export interface RegencyFacts {
  code: string;
  name: string;
  provinceCode: string;
  provinceName: string;
  timezone: string;
  districts: { code: string; name: string }[];
}

/** A regency or city with its kecamatan, from the Kemendagri codes of idn-area-data. */
export async function regencyFacts(code: string): Promise<RegencyFacts> {
  // Loaded when first asked (settings of the region), not at start: the country's area lists stay out of an idle server.
  const { getDistricts, getProvinces, getRegencies } = await import('idn-area-data');
  const regency = (await getRegencies()).find((r) => r.code === code);
  if (!regency) throw new AppError('REGION_NOT_FOUND', `no regency or city has the Kemendagri code ${code}`);
  const province = (await getProvinces()).find((p) => p.code === regency.province_code);
  const districts = (await getDistricts()).filter((d) => d.regency_code === code);
  return {
    code,
    name: titleCase(regency.name),
    provinceCode: regency.province_code,
    provinceName: province ? titleCase(province.name) : regency.province_code,
    timezone: timezoneOfProvince(regency.province_code),
    districts: districts.map((d) => ({ code: d.code, name: d.name })),
  };
}
