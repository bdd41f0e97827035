// An independent reading of an XLIFF file for the corpus test, written from the XLIFF 1.2 and
// 2.x specifications with a different XML library (xml-js, a DOM-like tree) than the importer's
// streaming reader, sharing none of its code. It states what each segment must become: its
// target and source text, with every inline code written as a marker of its element and kind
// (⟨g⟩ … ⟨/g⟩, ⟨x⟩, ⟨bpt⟩ … ⟨/ept⟩), normalised as the product normalises text.
import { xml2js, type Element } from 'xml-js';

export interface ReferenceSegment {
  unitId?: string;
  target: string;
  source: string;
}
export interface ReferenceFile {
  segments: ReferenceSegment[];
}

const NATIVE_1 = new Set(['ph', 'bpt', 'ept', 'it']);
const CLOSERS = new Set(['ept', 'ex', 'ec', 'em']);

/** The files of the document, each with its segments that have any text, title unit included. */
export function referenceReading(text: string): ReferenceFile[] {
  const doc = xml2js(text, { compact: false, captureSpacesBetweenElements: true }) as Element;
  const root = doc.elements?.find((e) => e.type === 'element');
  if (!root) throw new Error('no root');
  const rootScope = scopeOf(root, new Map());
  const xliffNs = nsOf(root.name ?? '', rootScope);
  const version = String(root.attributes?.version ?? /document:(\d\.\d)/.exec(xliffNs)?.[1] ?? '1.2');
  const v2 = version.startsWith('2');

  const files: ReferenceFile[] = [];
  const isX = (e: Element, scope: Map<string, string>) => e.type === 'element' && nsOf(e.name ?? '', scope) === xliffNs;
  const local = (e: Element) => (e.name ?? '').replace(/^.*:/, '');

  const inline = (e: Element | undefined, scope: Map<string, string>): string => {
    let out = '';
    for (const child of e?.elements ?? []) {
      if (child.type === 'text') out += String(child.text);
      else if (child.type === 'cdata') out += String(child.cdata);
      else if (child.type === 'element') {
        const s = scopeOf(child, scope);
        if (!isX(child, s)) continue;
        const name = local(child);
        const a = child.attributes ?? {};
        const empty = !child.elements || child.elements.length === 0;
        if (!v2 && name === 'mrk' && a.mtype === 'seg') out += inline(child, s);
        else if (!v2 && NATIVE_1.has(name)) out += name === 'it' && a.pos === 'close' ? `⟨/${name}⟩` : CLOSERS.has(name) ? `⟨/${name}⟩` : `⟨${name}⟩`;
        else if (['x', 'bx', 'ex', 'ph', 'sc', 'ec', 'sm', 'em', 'cp'].includes(name)) out += CLOSERS.has(name) ? `⟨/${name}⟩` : `⟨${name}⟩`;
        else if (empty && isSelfClosingIn(text, child)) out += `⟨${name}⟩`;
        else out += `⟨${name}⟩${inline(child, s)}⟨/${name}⟩`;
      }
    }
    return out;
  };

  const walk = (e: Element, scope: Map<string, string>, file: ReferenceFile | undefined): void => {
    for (const child of e.elements ?? []) {
      if (child.type !== 'element') continue;
      const s = scopeOf(child, scope);
      if (!isX(child, s)) continue;
      const name = local(child);
      if (name === 'file') {
        const f: ReferenceFile = { segments: [] };
        files.push(f);
        walk(child, s, f);
      } else if (file && v2 && name === 'unit') {
        for (const seg of (child.elements ?? []).filter((c) => c.type === 'element' && isX(c, s) && local(c) === 'segment')) {
          const part = (n: string) => (seg.elements ?? []).find((c) => c.type === 'element' && local(c) === n);
          push(file, child.attributes?.id, inline(part('target'), s), inline(part('source'), s));
        }
      } else if (file && !v2 && name === 'trans-unit') {
        const part = (n: string) => (child.elements ?? []).find((c) => c.type === 'element' && isX(c, s) && local(c) === n);
        const marks = (el: Element | undefined): Element[] => {
          const found: Element[] = [];
          const visit = (x: Element) => {
            for (const c of x.elements ?? []) {
              if (c.type !== 'element') continue;
              if (local(c) === 'mrk' && c.attributes?.mtype === 'seg') found.push(c);
              else visit(c);
            }
          };
          if (el) visit(el);
          return found;
        };
        const sourceMarks = marks(part('seg-source'));
        const target = part('target');
        const targetMarks = marks(target);
        if (sourceMarks.length > 1 && (targetMarks.length > 0 || !normalise(inline(target, s)))) {
          for (const m of sourceMarks) {
            const t = targetMarks.find((x) => x.attributes?.mid === m.attributes?.mid);
            push(file, child.attributes?.id, t ? inline(t, s) : '', inline(m, s));
          }
        } else push(file, child.attributes?.id, inline(target, s), inline(part('source'), s));
      } else if (name === 'alt-trans' || name === 'bin-unit' || name === 'header') {
        continue;
      } else walk(child, s, file);
    }
  };
  walk(root, rootScope, undefined);
  return files;
}

function push(file: ReferenceFile, unitId: unknown, target: string, source: string): void {
  const t = normalise(target);
  const s = normalise(source);
  if (t === '' && s === '') return;
  file.segments.push({ ...(unitId !== undefined ? { unitId: String(unitId) } : {}), target: t, source: s });
}

/** The product's text normalisation (TextNormaliser): NFC, no controls, one space for runs of blanks and line breaks, trimmed. */
export function normalise(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '')
    .replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

function scopeOf(e: Element, parent: Map<string, string>): Map<string, string> {
  const attrs = Object.entries(e.attributes ?? {}).filter(([k]) => k === 'xmlns' || k.startsWith('xmlns:'));
  if (attrs.length === 0) return parent;
  const scope = new Map(parent);
  for (const [k, v] of attrs) scope.set(k === 'xmlns' ? '' : k.slice(6), String(v));
  return scope;
}

function nsOf(name: string, scope: Map<string, string>): string {
  const i = name.indexOf(':');
  return scope.get(i === -1 ? '' : name.slice(0, i)) ?? '';
}

// xml-js does not tell <g/> from <g></g>; the spec treats an empty container as one code only
// when written self-closing, so look at the markup.
function isSelfClosingIn(text: string, e: Element): boolean {
  const id = e.attributes?.id;
  if (id === undefined) return false;
  return new RegExp(`<${e.name}\\b[^>]*\\bid=["']${String(id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["'][^>]*/>`).test(text);
}
