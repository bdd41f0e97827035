/** A `<trans-unit>` (XLIFF 1.x) or `<unit>` (XLIFF 2.x) as found in the markup. */
export interface XliffUnitOutline {
  id?: string;
  /** `resname` (1.x) or `name` (2.x). */
  name?: string;
  /** 1-based line of the start tag. */
  line: number;
  /** Number of `<segment>` children (2.x only). */
  segments: number;
  /** Whether some enclosing `<group>` has no id. */
  inGroupWithoutId: boolean;
}

/** A `<file>` element and its units in document order. */
export interface XliffFileOutline {
  attributes: Record<string, string>;
  line: number;
  hasBody: boolean;
  units: XliffUnitOutline[];
}

/** The structure of an XLIFF document: its root element and files. */
export interface XliffOutline {
  root?: { name: string; attributes: Record<string, string>; line: number };
  files: XliffFileOutline[];
}

interface OpenElement {
  name: string;
  hasId: boolean;
  unit?: XliffUnitOutline;
}

const TAG = /<(\/?)([A-Za-z_][\w.:-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
const ATTRIBUTE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/**
 * Lists the files and units of an XLIFF document in document order, with line numbers.
 *
 * The xliff package returns units as object keys, which loses what this needs: document order
 * (integer-like ids are re-sorted by JavaScript), duplicate ids (the last silently wins), units
 * with no content and units inside id-less groups (both dropped), extra 2.x segments (only the
 * last is kept) and line numbers. A light tag scan recovers those; the text itself still comes
 * from the library. It expects markup the XML parser has accepted and does not validate it.
 */
export function scanXliff(text: string): XliffOutline {
  const markup = maskNonMarkup(text);
  const outline: XliffOutline = { files: [] };
  const stack: OpenElement[] = [];
  let line = 1;
  let lineCountedTo = 0;

  for (const match of markup.matchAll(TAG)) {
    for (let i = markup.indexOf('\n', lineCountedTo); i !== -1 && i < match.index; i = markup.indexOf('\n', i + 1)) line += 1;
    lineCountedTo = match.index;
    const [, closing, qualifiedName, attributeText, selfClosing] = match;
    const name = qualifiedName.slice(qualifiedName.indexOf(':') + 1);

    if (closing) {
      const open = lastIndexWhere(stack, (element) => element.name === name);
      if (open !== -1) stack.length = open;
      continue;
    }

    const attributes = parseAttributes(attributeText);
    const element: OpenElement = { name, hasId: attributes.id !== undefined };
    if (!outline.root) outline.root = { name, attributes, line };
    const file = outline.files.at(-1);

    if (name === 'file') {
      outline.files.push({ attributes, line, hasBody: false, units: [] });
    } else if (name === 'body' && file) {
      file.hasBody = true;
    } else if ((name === 'trans-unit' || name === 'unit') && file) {
      element.unit = {
        ...(attributes.id !== undefined ? { id: attributes.id } : {}),
        ...(attributes.resname ?? attributes.name ? { name: attributes.resname ?? attributes.name } : {}),
        line,
        segments: 0,
        inGroupWithoutId: stack.some((open) => open.name === 'group' && !open.hasId),
      };
      file.units.push(element.unit);
    } else if (name === 'segment') {
      const unit = stack[lastIndexWhere(stack, (open) => open.unit !== undefined)]?.unit;
      if (unit) unit.segments += 1;
    }
    if (!selfClosing) stack.push(element);
  }
  return outline;
}

function lastIndexWhere<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) return i;
  return -1;
}

/** Blanks out comments, CDATA, processing instructions and DOCTYPE, keeping newlines so lines still count. */
function maskNonMarkup(text: string): string {
  return text.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>/g, (hidden) =>
    hidden.replace(/[^\n]/g, ' '),
  );
}

function parseAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [, name, double, single] of text.matchAll(ATTRIBUTE)) attributes[name] = decodeEntities(double ?? single ?? '');
  return attributes;
}

function decodeEntities(value: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return value.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot|apos));/gi, (entity, hex, dec, name) => {
    if (name) return named[name.toLowerCase()] ?? entity;
    const code = hex ? parseInt(hex, 16) : Number(dec);
    return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}
