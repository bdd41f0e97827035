import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureAdminBuilt, ROOT } from '../lib/prepare';
import { round } from './measure';
import type { Bench } from './types';

/** The admin's initial JavaScript (entry script plus modulepreloads in index.html), gzipped. */
export const bundleBench: Bench = {
  id: 'bundle',
  needsDb: false,
  async run() {
    ensureAdminBuilt();
    const dist = path.join(ROOT, 'admin', 'dist');
    const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
    const srcs = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)].map((m) => m[1] ?? m[2]);
    let raw = 0;
    let gz = 0;
    for (const src of new Set(srcs)) {
      const buf = readFileSync(path.join(dist, src.replace(/^\//, '')));
      raw += buf.length;
      gz += gzipSync(buf, { level: 9 }).length;
    }
    const kb = gz / 1024;
    return {
      id: 'bundle',
      measure: `initial JS of the admin (${srcs.length} file(s))`,
      baseline: 'a bare react-admin app is about 374 KB gzipped',
      figures: { gzip_kb: round(kb, 1), raw_kb: round(raw / 1024, 1), files: srcs.length },
      ratio: round(kb / 374),
      target: '≤ 400 KB gzipped',
      pass: kb <= 400,
    };
  },
};
