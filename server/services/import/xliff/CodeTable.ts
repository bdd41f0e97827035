import { CODE_LIMIT, codeChar, type InlineCode, type InlineCodeKind } from '../../../../shared/inlineCodes';

/** A code as the reader meets it, before it has a place in the table. */
export interface CodeInput {
  /** The id in the file, or undefined when the element has none (one is generated). */
  id: string | undefined;
  kind: InlineCodeKind;
  element: string;
  xml: string;
  label: string;
}

/**
 * The inline-code table of one segment, shared by its source and its target: a code with the
 * same kind, element and id on both sides is one entry, so the QA check can tell a code the
 * translation lost from one it never had.
 */
export class CodeTable {
  readonly codes: InlineCode[] = [];
  private readonly byKey = new Map<string, number>();

  constructor(readonly family: '1' | '2') {}

  /** A writer for one side (source or target) of the segment. */
  side(): SideText {
    return new SideText(this);
  }

  /** The index of the code, adding it on first sight. Returns undefined when the table is full. */
  place(input: CodeInput, key: string): number | undefined {
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    if (this.codes.length >= CODE_LIMIT) return undefined;
    const index = this.codes.length;
    this.codes.push({ id: input.id ?? `${input.element}${index + 1}`, kind: input.kind, element: input.element, family: this.family, xml: input.xml, label: input.label });
    this.byKey.set(key, index);
    return index;
  }

  /** Links an open and a close code as partners. */
  pair(open: number, close: number): void {
    this.codes[open].pair = close;
    this.codes[close].pair = open;
  }
}

/** The text of one side of a segment, with each code as its code character. */
export class SideText {
  text = '';
  /** Set when the table could not take another code. */
  overflow = false;
  private readonly unnamed = new Map<string, number>();
  private readonly containers: number[] = [];
  private readonly openById = new Map<string, number>();

  constructor(readonly table: CodeTable) {}

  append(text: string): void {
    this.text += text;
  }

  /** Writes a code and returns its index. */
  code(input: CodeInput): number | undefined {
    // Codes without an id are matched between source and target by their order of appearance.
    let id = input.id;
    if (id === undefined) {
      const n = (this.unnamed.get(`${input.kind}|${input.element}`) ?? 0) + 1;
      this.unnamed.set(`${input.kind}|${input.element}`, n);
      id = `#${n}`;
    }
    const index = this.table.place(input, `${input.kind}|${input.element}|${id}`);
    if (index === undefined) {
      this.overflow = true;
      return undefined;
    }
    this.text += codeChar(index);
    return index;
  }

  /** The start tag of a container element (g, pc, mrk): its end tag closes it. */
  openContainer(input: CodeInput): void {
    this.containers.push(this.code(input) ?? -1);
  }

  closeContainer(xml: string): void {
    const open = this.containers.pop();
    if (open === undefined || open < 0) return;
    const start = this.table.codes[open];
    const close = this.code({ id: start.id, kind: 'close', element: start.element, xml, label: `/${start.label}` });
    if (close !== undefined) this.table.pair(open, close);
  }

  /** An opening code closed later by a separate element (bpt/ept, bx/ex, sc/ec, sm/em). */
  openPaired(input: CodeInput, pairKey: string | undefined): void {
    const index = this.code(input);
    if (index !== undefined && pairKey !== undefined) this.openById.set(`${input.element}|${pairKey}`, index);
  }

  closePaired(input: CodeInput, openElement: string, pairKey: string | undefined): void {
    const index = this.code(input);
    const open = pairKey === undefined ? undefined : this.openById.get(`${openElement}|${pairKey}`);
    if (index !== undefined && open !== undefined) this.table.pair(open, index);
  }
}
