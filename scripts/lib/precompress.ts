import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Extensions worth compressing: text formats. Images and fonts are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.svg', '.json', '.txt', '.map', '.webmanifest', '.xml']);
/** Below this a compressed copy saves less than its headers cost. */
const MIN_BYTES = 1024;

/**
 * Writes `file.br` and `file.gz` beside every compressible file of `dir`
 * (recursively), at the strongest settings: this runs once per build, the
 * server then sends them without compressing anything per request. A copy
 * that would not be smaller is not written.
 */
export function precompressDir(dir: string): { files: number; bytes: number; br: number; gz: number } {
  const totals = { files: 0, bytes: 0, br: 0, gz: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = precompressDir(file);
      for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += sub[k];
      continue;
    }
    if (!COMPRESSIBLE.has(path.extname(entry.name)) || statSync(file).size < MIN_BYTES) continue;
    const data = readFileSync(file);
    const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
    const gz = gzipSync(data, { level: 9 });
    totals.files++;
    totals.bytes += data.length;
    if (br.length < data.length) {
      writeFileSync(`${file}.br`, br);
      totals.br += br.length;
    }
    if (gz.length < data.length) {
      writeFileSync(`${file}.gz`, gz);
      totals.gz += gz.length;
    }
  }
  return totals;
}
