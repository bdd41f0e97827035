import type { SaxesTagNS } from 'saxes';
import type { CodeInput, SideText } from './CodeTable';

type Frame =
  | { kind: 'plain' }
  | { kind: 'container' }
  | { kind: 'foreign' }
  | { kind: 'nested' }
  | { kind: 'segment' }
  | { kind: 'native'; local: string; attrs: Record<string, string>; start: number; native: string };

export interface InlineReaderOptions {
  side: SideText;
  family: '1' | '2';
  /** The whole document, to cut each code's markup out of it exactly as written. */
  text: string;
  /** Offset just past the tag the parser reported last. */
  position: () => number;
  /** 2.x originalData of the unit, by id: the native code a code stands for. */
  data: ReadonlyMap<string, string>;
  /** Refuses text the product cannot hold (characters it reserves for codes). */
  check: (text: string) => void;
  /** Called when the <source>/<target> element ends. */
  onEnd?: () => void;
  /** 1.x <mrk mtype="seg">: where the text of that segment goes (undefined: drop it). */
  segmentMark?: (mid: string) => SideText | undefined;
}

const LABEL_MAX = 32;
/** The ctype of Copydesk's XLIFF 1.2 placeholder for a character XML cannot carry (renderXliffInline.ts). */
const XLIFF12_CP_CTYPE = 'x-copydesk-cp';

/**
 * Reads the inline content of one XLIFF <source> or <target> (or 1.x <seg-source>): text is
 * appended, each inline element becomes a code character of the segment's code table. The
 * elements that carry native code as content in 1.x (<ph>, <bpt>, <ept>, <it>) are one code
 * each, their content is the code's label, never article text.
 */
export class InlineReader {
  private readonly stack: Frame[] = [];
  /**
   * Where content goes: the element's own side, plus, inside a 1.x <mrk mtype="seg">, that
   * segment's side (so a unit with one segment mark can still be read whole, codes around the
   * mark included).
   */
  private readonly sides: SideText[];
  private hidden = 0;

  constructor(private readonly o: InlineReaderOptions) {
    this.sides = [o.side];
  }

  private get side(): SideText {
    return this.sides[this.sides.length - 1];
  }

  private each(write: (side: SideText) => void): void {
    for (const side of this.sides) write(side);
  }

  open(tag: SaxesTagNS, xliffElement: boolean): void {
    if (this.hidden > 0) {
      this.hidden++;
      this.stack.push({ kind: 'nested' });
      return;
    }
    if (!xliffElement) {
      this.hidden++;
      this.stack.push({ kind: 'foreign' });
      return;
    }
    const a: Record<string, string> = {};
    for (const attr of Object.values(tag.attributes)) if (attr.uri === '') a[attr.local] = attr.value;
    const position = this.o.position();
    const start = this.o.text.lastIndexOf('<', position - 1);
    const xml = this.o.text.slice(start, position);
    const local = tag.local;
    const id = a.id;
    const selfClosing = tag.isSelfClosing;

    if (this.o.family === '1') {
      if (local === 'ph' || local === 'bpt' || local === 'ept' || local === 'it') {
        if (selfClosing) {
          this.emitNative(local, a, xml, '');
          this.stack.push({ kind: 'plain' });
        } else {
          this.hidden++;
          this.stack.push({ kind: 'native', local, attrs: a, start, native: '' });
        }
        return;
      }
      if (local === 'mrk' && a.mtype === 'seg' && this.o.segmentMark) {
        this.sides.push(this.o.segmentMark(a.mid ?? '') ?? this.side.table.side());
        this.stack.push({ kind: 'segment' });
        return;
      }
      const label = clip(a['equiv-text'] ?? ctype(a.ctype) ?? (local === 'mrk' ? a.mtype : undefined) ?? named(local, id));
      if (local === 'x') this.each((side) => side.code({ id, kind: 'standalone', element: local, xml, label }));
      else if (local === 'bx') this.each((side) => side.openPaired({ id, kind: 'open', element: local, xml, label }, a.rid ?? id));
      else if (local === 'ex') this.each((side) => side.closePaired({ id, kind: 'close', element: local, xml, label: `/${label}` }, 'bx', a.rid ?? id));
      else return this.container(local, id, xml, label, selfClosing);
      this.stack.push({ kind: 'plain' });
      return;
    }

    const data = (ref: string | undefined) => (ref === undefined ? undefined : this.o.data.get(ref));
    switch (local) {
      case 'ph':
        this.each((side) => side.code({ id, kind: 'standalone', element: local, xml, label: clip(a.equiv ?? a.disp ?? data(a.dataRef) ?? named(local, id)) }));
        break;
      case 'cp':
        this.each((side) => side.code({ id, kind: 'standalone', element: local, xml, label: `U+${(a.hex ?? '').toUpperCase()}` }));
        break;
      case 'sc':
      case 'sm':
        this.each((side) => side.openPaired({ id, kind: 'open', element: local, xml, label: clip(a.equiv ?? a.disp ?? data(a.dataRef) ?? a.type ?? named(local, id)) }, id));
        break;
      case 'ec':
      case 'em':
        this.each((side) => side.closePaired({ id: id ?? a.startRef, kind: 'close', element: local, xml, label: clip(a.equiv ?? a.disp ?? data(a.dataRef) ?? `/${named(local === 'ec' ? 'sc' : 'sm', a.startRef ?? id)}`) }, local === 'ec' ? 'sc' : 'sm', a.startRef ?? id));
        break;
      default:
        return this.container(local, id, xml, clip(a.equivStart ?? a.dispStart ?? data(a.dataRefStart) ?? (local === 'mrk' ? a.type : undefined) ?? named(local, id)), selfClosing);
    }
    this.stack.push({ kind: 'plain' });
  }

  /** Returns true when the element that started this reader has ended. */
  close(tag: SaxesTagNS, xliffElement: boolean, xml: string): boolean {
    void tag;
    void xliffElement;
    const frame = this.stack.pop();
    if (!frame) {
      this.o.onEnd?.();
      return true;
    }
    switch (frame.kind) {
      case 'container':
        this.each((side) => side.closeContainer(xml));
        break;
      case 'segment':
        this.sides.pop();
        break;
      case 'foreign':
      case 'nested':
        this.hidden--;
        break;
      case 'native': {
        this.hidden--;
        this.emitNative(frame.local, frame.attrs, this.o.text.slice(frame.start, this.o.position()), frame.native);
        break;
      }
    }
    return false;
  }

  text(t: string): void {
    if (this.hidden > 0) {
      const native = this.stack.findLast((f) => f.kind === 'native');
      if (native?.kind === 'native') native.native += t;
      return;
    }
    this.o.check(t);
    this.each((side) => side.append(t));
  }

  private container(local: string, id: string | undefined, xml: string, label: string, selfClosing: boolean): void {
    if (selfClosing) {
      this.each((side) => side.code({ id, kind: 'standalone', element: local, xml, label }));
      this.stack.push({ kind: 'plain' });
      return;
    }
    this.each((side) => side.openContainer({ id, kind: 'open', element: local, xml, label }));
    this.stack.push({ kind: 'container' });
  }

  /** A 1.x code whose content is native code: ph, it, bpt, ept. */
  private emitNative(local: string, a: Record<string, string>, xml: string, native: string): void {
    // Copydesk's XLIFF 1.2 stand-in for <cp>: read as the <cp> of XLIFF 2 would be, so the
    // character is written back as itself in either version.
    const cp = local === 'ph' && a.ctype === XLIFF12_CP_CTYPE ? /^&#x([0-9A-Fa-f]{1,6});$/.exec(native.trim())?.[1] : undefined;
    if (cp !== undefined) {
      const hex = cp.toUpperCase().padStart(4, '0');
      this.each((side) => side.code({ id: a.id, kind: 'standalone', element: 'cp', xml: `<cp hex="${hex}"/>`, label: `U+${hex}` }));
      return;
    }
    const label = clip(a['equiv-text'] ?? (native.trim() || undefined) ?? ctype(a.ctype) ?? named(local, a.id));
    const input: CodeInput = { id: a.id, kind: 'standalone', element: local, xml, label };
    if (local === 'bpt') this.each((side) => side.openPaired({ ...input, kind: 'open' }, a.rid ?? a.id));
    else if (local === 'ept') this.each((side) => side.closePaired({ ...input, kind: 'close' }, 'bpt', a.rid ?? a.id));
    else if (local === 'it') this.each((side) => side.code({ ...input, kind: a.pos === 'close' ? 'close' : 'open' }));
    else this.each((side) => side.code(input));
  }
}

function named(element: string, id: string | undefined): string {
  return id === undefined ? element : `${element} ${id}`;
}

function ctype(value: string | undefined): string | undefined {
  return value?.replace(/^x-/, '') || undefined;
}

function clip(label: string): string {
  const flat = label.replace(/\s+/g, ' ').trim();
  return flat.length > LABEL_MAX ? `${flat.slice(0, LABEL_MAX - 1)}…` : flat || '?';
}
