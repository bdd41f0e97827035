/** What kind of text a string is, so notes can say where a change was made. */
export type TextKind = 'title' | 'paragraph' | 'source title' | 'source paragraph';

// C0 and C1 control characters other than tab, LF and CR: they never belong in article text and
// usually come from a broken export, so they are dropped (and reported) rather than kept invisibly.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/**
 * Normalises article text the same way for every format and counts what it changed, so that each
 * article can report its normalisations once ("collapsed repeated spaces in 3 paragraphs") instead
 * of once per paragraph.
 */
export class TextNormaliser {
  private readonly collapsed = new Map<TextKind, number>();
  private readonly nfc = new Map<TextKind, number>();
  private readonly controls = new Map<TextKind, { texts: number; chars: number }>();

  /**
   * Returns `raw` in NFC with control characters removed, line breaks turned into single spaces,
   * runs of spaces and tabs collapsed and the ends trimmed. Typographic quotes and every other
   * character are kept exactly. May return '' (the caller decides whether that is an error).
   */
  normalise(raw: string, kind: TextKind): string {
    let text = raw;
    const nfc = text.normalize('NFC');
    if (nfc !== text) bump(this.nfc, kind);
    text = nfc;

    const controlCount = text.match(CONTROL_CHARS)?.length ?? 0;
    if (controlCount > 0) {
      text = text.replace(CONTROL_CHARS, '');
      const tally = this.controls.get(kind) ?? { texts: 0, chars: 0 };
      tally.texts += 1;
      tally.chars += controlCount;
      this.controls.set(kind, tally);
    }

    // A line break inside one paragraph is a soft wrap: it becomes one space and is not worth a note.
    text = text.replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/g, ' ').trim();
    // Only runs of two or more spaces (or tabs) count as collapsing; MT output often has them.
    if (/[ \t]{2,}|\t/.test(text)) {
      text = text.replace(/[ \t]+/g, ' ');
      bump(this.collapsed, kind);
    }
    return text;
  }

  /** Human-readable notes describing everything normalised so far. */
  notes(): string[] {
    const notes: string[] = [];
    for (const [kind, count] of this.collapsed) notes.push(`collapsed repeated spaces in ${where(kind, count)}`);
    for (const [kind, count] of this.nfc) notes.push(`normalised ${where(kind, count)} to Unicode NFC`);
    for (const [kind, { texts, chars }] of this.controls) {
      notes.push(`removed ${chars} control character${chars === 1 ? '' : 's'} from ${where(kind, texts)}`);
    }
    return notes;
  }
}

function bump(map: Map<TextKind, number>, kind: TextKind): void {
  map.set(kind, (map.get(kind) ?? 0) + 1);
}

function where(kind: TextKind, count: number): string {
  if (kind === 'title' || kind === 'source title') return `the ${kind}`;
  return `${count} ${kind}${count === 1 ? '' : 's'}`;
}

/**
 * Splits a block of text into paragraphs on blank lines (a line holding only whitespace counts as
 * blank); the lines within one paragraph are kept joined by '\n' for {@link TextNormaliser.normalise}.
 */
export function splitParagraphs(text: string): string[] {
  return text
    .split(/(?:\r\n|\r|\n)(?:[ \t\f\v\u00A0\u3000]*(?:\r\n|\r|\n))+/)
    .map((block) => block.trim())
    .filter((block) => block.length > 0);
}
