/**
 * The parameters of a KPI's live metric, chosen by name: the reading from the device profiles (*Tinggi
 * muka air (m)*), the device and asset types, the alarm level, the report category and the OPD; the
 * number of days typed in the screen's language. The API keeps keys and codes; the screen never shows them.
 */
import { useEffect, useState } from 'preact/hooks';
import type { MetricDef } from '../../../src/modules/masterplan/kpis/kpis.contract.js';
import type { Category } from '../../../src/modules/incidents/incidents.contract.js';
import { GENERAL_SEVERITIES, WARNING_LEVELS } from '../../../src/modules/alarms/alarms.constants.ts';
import { ASSET_TYPES } from '../../../src/modules/assets/asset-types.ts';
import { api } from '../api.js';
import { formatNumber } from '../format.js';
import { html } from '../html.js';
import { getLang, severityName, texts } from '../i18n.js';
import { assetTypeLabel, labelOf, typeLabel, unitOf, useProfiles } from '../profiles.js';
import { L, useOpds } from './masterplan-common.js';

type ParamDef = MetricDef['params'][number];

const px = texts({
  all: ['— semua —', '— all —'],
  choose: ['— pilih —', '— choose —'],
  notDays: ['Jumlah hari harus bilangan bulat 1–3660.', 'The number of days must be a whole number 1–3660.'],
});

let categories: Promise<Category[]> | null = null;
/** The report categories, read once per page. */
function useCategoryList(): Category[] {
  const [list, setList] = useState<Category[]>([]);
  useEffect(() => {
    let live = true;
    categories ??= api<Category[]>('GET', '/incident-categories').catch(() => {
      categories = null;
      return [];
    });
    void categories.then((c) => live && setList(c));
    return () => void (live = false);
  }, []);
  return list;
}

/** Every key the device profiles describe, once (the first profile naming it words it), by its label. */
function profileKeys(profiles: ReturnType<typeof useProfiles>): { key: string; type: string }[] {
  const seen = new Map<string, string>();
  for (const [type, profile] of profiles) for (const k of profile.keys) if (!seen.has(k.key)) seen.set(k.key, type);
  return [...seen].map(([key, type]) => ({ key, type })).sort((a, b) => labelOf(a.type, a.key).localeCompare(labelOf(b.type, b.key)));
}

/** A reading's label with its unit: *Tinggi muka air (m)*. */
function keyWithUnit(type: string, key: string): string {
  const unit = unitOf(type, key);
  return unit ? `${labelOf(type, key)} (${unit})` : labelOf(type, key);
}

/** The choices of a parameter the platform knows the values of, as [value, name]; null for one typed in. */
function useChoices(key: string): [string, string][] | null {
  const profiles = useProfiles();
  const opds = useOpds();
  const cats = useCategoryList();
  const lang = getLang();
  switch (key) {
    case 'key':
      return profileKeys(profiles).map(({ key: k, type }) => [k, keyWithUnit(type, k)]);
    case 'deviceType':
      return [...profiles.keys()].map((type) => [type, typeLabel(type)]);
    case 'assetType':
      return ASSET_TYPES.map((a) => [a.type, a[lang]]);
    case 'severity':
      return [...WARNING_LEVELS, ...GENERAL_SEVERITIES].map((s) => [s, severityName(s)]);
    case 'categoryCode':
      return cats.map((c) => [c.code, L(c.nameId, c.nameEn)]);
    case 'opdId':
      return (opds ?? []).map((o) => [o.id, o.name]);
    default:
      return null;
  }
}

/** A whole number of days 1–3660 from what was typed, or NaN; '' stays '' (not given). */
export function parseDays(text: string): number | '' {
  const t = text.trim();
  if (t === '') return '';
  return /^\d{1,4}$/.test(t) && Number(t) >= 1 && Number(t) <= 3660 ? Number(t) : NaN;
}
export const notDaysText = () => px('notDays');

/** One parameter of the chosen metric: a list of names where the platform knows the values, else a text field. */
export function MetricParamInput({ param, value, onChange }: { param: ParamDef; value: string; onChange: (value: string) => void }) {
  const choices = useChoices(param.key);
  const label = L(param.labelId, param.labelEn);
  const name = `param-${param.key}`;
  if (choices) {
    // A value kept that the lists no longer hold (a category switched off) is still shown, by its code.
    const known = value === '' || choices.some(([v]) => v === value);
    return html`<label>${label}<select name=${name} required=${param.required} value=${value} onChange=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}>
      <option value="">${param.required ? px('choose') : px('all')}</option>
      ${!known && html`<option value=${value}>${value}</option>`}
      ${choices.map(([v, n]) => html`<option value=${v}>${n}</option>`)}
    </select></label>`;
  }
  const days = param.type === 'number';
  return html`<label>${label}<input name=${name} required=${param.required} inputmode=${days ? 'numeric' : 'text'} value=${value} onInput=${(e: Event) => onChange((e.target as HTMLInputElement).value)} /></label>`;
}

/** The metric's parameters in words for a KPI's row: *Tinggi muka air (m) · 7 hari terakhir*. */
export function MetricParamsText({ metric, params }: { metric: MetricDef | undefined; params: Record<string, unknown> }) {
  const profiles = useProfiles();
  const opds = useOpds();
  const cats = useCategoryList();
  if (!metric) return '';
  const words: string[] = [];
  for (const p of metric.params) {
    const v = params[p.key];
    if (v === undefined || v === null || v === '') continue;
    const s = String(v);
    if (p.key === 'key') {
      const type = [...profiles].find(([, profile]) => profile.keys.some((k) => k.key === s))?.[0];
      words.push(type ? keyWithUnit(type, s) : s);
    } else if (p.key === 'deviceType') words.push(typeLabel(s));
    else if (p.key === 'assetType') words.push(assetTypeLabel(s));
    else if (p.key === 'severity') words.push(severityName(s));
    else if (p.key === 'categoryCode') {
      const cat = cats.find((c) => c.code === s);
      words.push(cat ? L(cat.nameId, cat.nameEn) : s);
    }
    else if (p.key === 'opdId') words.push(opds?.find((o) => o.id === s)?.name ?? s);
    else if (p.key === 'days' && typeof v === 'number') {
      const n = formatNumber(v, getLang(), 0);
      words.push(getLang() === 'id' ? `${n} hari terakhir` : `last ${n} days`);
    }
    else words.push(s);
  }
  return words.join(' · ');
}
