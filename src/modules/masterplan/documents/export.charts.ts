/**
 * Charts of the master plan document, drawn as SVG from the data and rendered
 * to PNG with sharp (librsvg, local fonts: no network), so that Word, LibreOffice
 * and the PDF show them alike.
 */

export interface Png { data: Buffer; width: number; height: number }

const FONT = "font-family='DejaVu Sans, Arial, Helvetica, sans-serif'";
const PALETTE = ['#1d4ed8', '#16a34a', '#ea580c', '#9333ea', '#0891b2', '#dc2626', '#ca8a04'];

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

async function toPng(svg: string, width: number, height: number): Promise<Png> {
  // Rendered at twice the size for print, placed at the nominal size.
  // Loaded on the first chart (libvips is ~10 MB): most servers never write a document.
  const { default: sharp } = await import('sharp');
  const data = await sharp(Buffer.from(svg), { density: 144 }).png({ compressionLevel: 6 }).toBuffer();
  return { data, width, height };
}

/** A radar (spider) chart: one axis per label, series of values from 0 to max. */
export function radarSvg(title: string, labels: string[], series: { name: string; values: number[]; color?: string }[], max: number, width = 560, height = 460): string {
  const cx = width / 2;
  const cy = height / 2 + 14;
  const r = Math.min(width, height) / 2 - 80;
  const n = Math.max(labels.length, 3);
  const angle = (i: number) => -Math.PI / 2 + (2 * Math.PI * i) / n;
  const pt = (i: number, v: number) => [cx + Math.cos(angle(i)) * r * (v / max), cy + Math.sin(angle(i)) * r * (v / max)] as const;
  const parts: string[] = [];
  parts.push(`<rect width='${width}' height='${height}' fill='white'/>`);
  parts.push(`<text x='${cx}' y='22' text-anchor='middle' font-size='15' font-weight='bold' ${FONT}>${esc(title)}</text>`);
  for (let ring = 1; ring <= 4; ring++) {
    const v = (max * ring) / 4;
    const poly = Array.from({ length: n }, (_, i) => pt(i, v).join(',')).join(' ');
    parts.push(`<polygon points='${poly}' fill='none' stroke='#d1d5db' stroke-width='1'/>`);
    parts.push(`<text x='${cx + 3}' y='${cy - (r * ring) / 4 - 2}' font-size='9' fill='#6b7280' ${FONT}>${Number.isInteger(v) ? v : v.toFixed(1)}</text>`);
  }
  for (let i = 0; i < n; i++) {
    const [x, y] = pt(i, max);
    parts.push(`<line x1='${cx}' y1='${cy}' x2='${x}' y2='${y}' stroke='#d1d5db'/>`);
    const [lx, ly] = pt(i, max * 1.16);
    const anchor = Math.abs(lx - cx) < 10 ? 'middle' : lx > cx ? 'start' : 'end';
    parts.push(`<text x='${lx}' y='${ly + 4}' text-anchor='${anchor}' font-size='11' ${FONT}>${esc(labels[i] ?? '')}</text>`);
  }
  series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length]!;
    const poly = s.values.map((v, i) => pt(i, Math.max(0, Math.min(max, v))).join(',')).join(' ');
    parts.push(`<polygon points='${poly}' fill='${color}' fill-opacity='0.18' stroke='${color}' stroke-width='2'/>`);
    parts.push(`<rect x='${20 + k * 150}' y='${height - 22}' width='12' height='12' fill='${color}'/>`);
    parts.push(`<text x='${36 + k * 150}' y='${height - 12}' font-size='11' ${FONT}>${esc(s.name)}</text>`);
  });
  return `<svg xmlns='http://www.w3.org/2000/svg' width='${width}' height='${height}' viewBox='0 0 ${width} ${height}'>${parts.join('')}</svg>`;
}

/** A horizontal bar chart with value labels. */
export function barsSvg(title: string, bars: { label: string; value: number }[], format: (v: number) => string, width = 620): string {
  const rowH = 28;
  const top = 40;
  const left = 180;
  const right = 150;
  const height = top + Math.max(bars.length, 1) * rowH + 16;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const parts: string[] = [`<rect width='${width}' height='${height}' fill='white'/>`];
  parts.push(`<text x='${width / 2}' y='22' text-anchor='middle' font-size='15' font-weight='bold' ${FONT}>${esc(title)}</text>`);
  bars.forEach((b, i) => {
    const y = top + i * rowH;
    const w = Math.max(0, ((width - left - right) * b.value) / max);
    parts.push(`<text x='${left - 8}' y='${y + 17}' text-anchor='end' font-size='11' ${FONT}>${esc(b.label)}</text>`);
    parts.push(`<rect x='${left}' y='${y + 4}' width='${w}' height='${rowH - 10}' fill='${PALETTE[i % PALETTE.length]}'/>`);
    parts.push(`<text x='${left + w + 6}' y='${y + 17}' font-size='11' ${FONT}>${esc(format(b.value))}</text>`);
  });
  return `<svg xmlns='http://www.w3.org/2000/svg' width='${width}' height='${height}' viewBox='0 0 ${width} ${height}'>${parts.join('')}</svg>`;
}

/** Vertical columns over the years (the evaluation index, 0–5). */
export function columnsSvg(title: string, columns: { label: string; value: number }[], max: number, width = 560, height = 300): string {
  const top = 40;
  const bottom = 36;
  const left = 40;
  const plotH = height - top - bottom;
  const n = Math.max(columns.length, 1);
  const slot = (width - left - 20) / n;
  const parts: string[] = [`<rect width='${width}' height='${height}' fill='white'/>`];
  parts.push(`<text x='${width / 2}' y='22' text-anchor='middle' font-size='15' font-weight='bold' ${FONT}>${esc(title)}</text>`);
  for (let t = 0; t <= max; t++) {
    const y = top + plotH - (plotH * t) / max;
    parts.push(`<line x1='${left}' y1='${y}' x2='${width - 20}' y2='${y}' stroke='#e5e7eb'/>`);
    parts.push(`<text x='${left - 6}' y='${y + 4}' text-anchor='end' font-size='10' ${FONT}>${t}</text>`);
  }
  columns.forEach((c, i) => {
    const h = (plotH * Math.max(0, Math.min(max, c.value))) / max;
    const x = left + i * slot + slot * 0.2;
    parts.push(`<rect x='${x}' y='${top + plotH - h}' width='${slot * 0.6}' height='${h}' fill='${PALETTE[0]}'/>`);
    parts.push(`<text x='${x + slot * 0.3}' y='${top + plotH - h - 5}' text-anchor='middle' font-size='11' ${FONT}>${c.value.toFixed(2).replace('.', ',')}</text>`);
    parts.push(`<text x='${x + slot * 0.3}' y='${height - 14}' text-anchor='middle' font-size='11' ${FONT}>${esc(c.label)}</text>`);
  });
  return `<svg xmlns='http://www.w3.org/2000/svg' width='${width}' height='${height}' viewBox='0 0 ${width} ${height}'>${parts.join('')}</svg>`;
}

export async function renderSvg(svg: string): Promise<Png> {
  const m = /width='(\d+(?:\.\d+)?)' height='(\d+(?:\.\d+)?)'/.exec(svg);
  return toPng(svg, Number(m?.[1] ?? 600), Number(m?.[2] ?? 400));
}
