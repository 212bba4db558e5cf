/**
 * Where a process spent its CPU, from a V8 profile written by `node --cpu-prof`
 * (the ingest benchmark's `--cpu-prof` flag writes one per server process):
 *
 *   node bench/profile-top.ts <file.cpuprofile> [top=25] [from_s] [to_s]
 *
 * Prints a timeline (busy share per second, to find a load window), then, for
 * the samples between from_s and to_s seconds after the profile's start (all by
 * default): self time by package or source folder, the functions with the most
 * self time, and the project's own functions with the most total (inclusive) time.
 */
import fs from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const file = process.argv[2];
const top = Number(process.argv[3] ?? 25);
const fromS = Number(process.argv[4] ?? 0);
const toS = Number(process.argv[5] ?? Infinity);
if (!file) throw new Error('give a .cpuprofile file');
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;

const byId = new Map<number, ProfileNode>();
const parent = new Map<number, number>();
for (const node of profile.nodes) {
  byId.set(node.id, node);
  for (const child of node.children ?? []) parent.set(child, node.id);
}

const ROOT_MARK = '/work/';
function where(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, '');
  if (url === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1).split('/').slice(0, 3).join('/');
  return url.includes(ROOT_MARK) ? url.slice(url.indexOf(ROOT_MARK)) : url;
}
const label = (frame: CallFrame) => {
  const url = frame.url.replace(/^file:\/\//, '');
  const short = url.includes('/node_modules/') ? url.slice(url.lastIndexOf('/node_modules/') + 14) : url.includes('/src/') ? url.slice(url.indexOf('/src/') + 1) : url;
  return `${frame.functionName || '(anonymous)'} ${short}${short ? `:${frame.lineNumber + 1}` : ''}`;
};

const self = new Map<string, number>();
const selfByWhere = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
let at = 0; // ms since the profile's start
const perSecond: { busy: number; all: number }[] = [];
for (let i = 0; i < profile.samples.length; i++) {
  const dt = (profile.timeDeltas[i] ?? 0) / 1000; // ms
  at += dt;
  const node = byId.get(profile.samples[i]!);
  if (!node) continue;
  const second = Math.floor(at / 1000);
  if (second < 100_000) {
    while (perSecond.length <= second) perSecond.push({ busy: 0, all: 0 });
    perSecond[second]!.all += dt;
    if (node.callFrame.functionName !== '(idle)') perSecond[second]!.busy += dt;
  }
  if (at < fromS * 1000 || at >= toS * 1000) continue;
  all += dt;
  self.set(label(node.callFrame), (self.get(label(node.callFrame)) ?? 0) + dt);
  selfByWhere.set(where(node.callFrame), (selfByWhere.get(where(node.callFrame)) ?? 0) + dt);
  const seen = new Set<string>();
  for (let id: number | undefined = node.id, hops = 0; id !== undefined && hops < 10_000; id = parent.get(id), hops++) {
    const frame = byId.get(id)!.callFrame;
    if (!frame.url.includes('/src/')) continue;
    const l = label(frame);
    if (seen.has(l)) continue;
    seen.add(l);
    total.set(l, (total.get(l) ?? 0) + dt);
  }
}

const print = (title: string, map: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [k, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`${(ms / all * 100).toFixed(1).padStart(6)}%  ${ms.toFixed(0).padStart(7)} ms  ${k}`);
  }
};
console.log(`timeline (s: busy %): ${perSecond.map((p, i) => `${i}:${Math.round((p.busy / Math.max(1, p.all)) * 100)}`).join(' ')}`);
console.log(`${file}: ${(all / 1000).toFixed(1)} s sampled${fromS > 0 || toS < Infinity ? ` from ${fromS} s to ${toS} s` : ''}`);
print('self time by package / folder', selfByWhere, top);
print('self time by function', self, top);
print('total time of the project\'s functions (src/)', total, top);
