// Preloaded into every process of a test run (scripts/test.ts puts it in NODE_OPTIONS): a test
// file's process, or a group's (several files in one process), writes, as it exits, its wall time
// and its CPU time — its own, and that of the children it has reaped (the platforms it spawned,
// Chromium) — to the run's folder (TEST_CPU_DIR). The runner prints the table at the end: where
// the suite's time goes.
import fs from 'node:fs';
import path from 'node:path';

const dir = process.env.TEST_CPU_DIR;
// A process running a group of files (scripts/test.ts) is named by the runner; the label is not
// handed down to the platforms it spawns, whose CPU its own record already counts.
const label = process.env.TEST_CPU_LABEL;
delete process.env.TEST_CPU_LABEL;
const file = label ?? process.argv[1] ?? '';
if (dir && (label !== undefined || file.endsWith('.test.ts'))) {
  process.once('exit', () => {
    const self = process.cpuUsage();
    // Children's CPU (Linux): cutime and cstime of /proc/self/stat, in clock ticks (100 a second).
    let children = 0;
    try {
      const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
      children = (Number(fields[13]) + Number(fields[14])) / 100;
    } catch {
      // not Linux: the process's own CPU only
    }
    const record = { file, wall: process.uptime(), cpu: (self.user + self.system) / 1e6, children };
    try {
      fs.writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify(record));
    } catch {
      // the run's folder is gone (the runner was interrupted): nothing to report
    }
  });
}
