/**
 * The editor's keyboard shortcuts: one table that the key handler matches
 * against and the shortcut sheet lists, so the two cannot drift apart. Pure.
 *
 * Every shortcut that works inside a text field carries a modifier, so typing
 * is never taken over. Letters are matched by physical key (`code`), since
 * Alt/Option+Shift+letter produces a different character on a Mac or on an
 * AZERTY layout. `?` is the one bare key, and only outside text fields.
 */

export type ShortcutId =
  | 'confirmNext'
  | 'nextParagraph'
  | 'prevParagraph'
  | 'nextUnconfirmed'
  | 'nextFinding'
  | 'applyFix'
  | 'copyMt'
  | 'comments'
  | 'memory'
  | 'save'
  | 'submit'
  | 'help';

/** What a matcher reads of a keyboard event. */
export interface KeyLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export interface Shortcut {
  id: ShortcutId;
  /** The keys as the sheet shows them, with `Mod` standing for Ctrl (⌘ on a Mac). */
  keys: string;
  description: string;
  /** Whether it works while the caret is in a text field. */
  inTextFields: boolean;
  /** Handled by the key handler in admin/src/articles/keyboard (false: by the row or the save bar, listed here for the sheet). */
  handledHere: boolean;
  match: (e: KeyLike) => boolean;
}

/** Ctrl, or ⌘ on a Mac (either is accepted anywhere: a Mac user with Ctrl is not refused). */
const mod = (e: KeyLike) => (e.ctrlKey || e.metaKey) && !(e.ctrlKey && e.metaKey);
const altShift = (e: KeyLike, code: string) => e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === code;

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'confirmNext', keys: 'Mod+Enter', description: 'Confirm the paragraph (saving first if there are unsaved changes) and go to the next unconfirmed one', inTextFields: true, handledHere: true, match: (e) => mod(e) && !e.altKey && !e.shiftKey && e.key === 'Enter' },
  { id: 'nextParagraph', keys: 'Alt+↓', description: 'Next paragraph', inTextFields: true, handledHere: false, match: (e) => e.altKey && !e.shiftKey && !e.ctrlKey && !e.metaKey && e.key === 'ArrowDown' },
  { id: 'prevParagraph', keys: 'Alt+↑', description: 'Previous paragraph', inTextFields: true, handledHere: false, match: (e) => e.altKey && !e.shiftKey && !e.ctrlKey && !e.metaKey && e.key === 'ArrowUp' },
  { id: 'nextUnconfirmed', keys: 'Alt+Shift+U', description: 'Next unconfirmed paragraph', inTextFields: true, handledHere: true, match: (e) => altShift(e, 'KeyU') },
  { id: 'nextFinding', keys: 'Alt+Shift+F', description: 'Next quality finding', inTextFields: true, handledHere: true, match: (e) => altShift(e, 'KeyF') },
  { id: 'applyFix', keys: 'Alt+Shift+X', description: 'Apply the current finding’s suggested fix (not saved yet)', inTextFields: true, handledHere: true, match: (e) => altShift(e, 'KeyX') },
  { id: 'copyMt', keys: 'Alt+Shift+M', description: 'Copy the MT into the current paragraph (not saved yet)', inTextFields: true, handledHere: true, match: (e) => altShift(e, 'KeyM') },
  { id: 'comments', keys: 'Alt+Shift+C', description: 'Comments on the current paragraph (the comment box takes the focus)', inTextFields: true, handledHere: true, match: (e) => altShift(e, 'KeyC') },
  { id: 'memory', keys: 'Mod+Shift+1…5', description: 'Insert translation-memory match 1…5', inTextFields: true, handledHere: false, match: (e) => mod(e) && e.shiftKey && !e.altKey && /^Digit[1-5]$/.test(e.code) },
  { id: 'save', keys: 'Mod+S', description: 'Save', inTextFields: true, handledHere: false, match: (e) => mod(e) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 's' },
  { id: 'submit', keys: 'Mod+Shift+Enter', description: 'Submit for review (saving first; asks when paragraphs are unconfirmed or errors open)', inTextFields: true, handledHere: true, match: (e) => mod(e) && e.shiftKey && !e.altKey && e.key === 'Enter' },
  { id: 'help', keys: '?', description: 'This list of shortcuts (outside text fields)', inTextFields: false, handledHere: true, match: (e) => e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey },
];

/** The shortcut the key handler acts on for `e`, or null. `inTextField`: the event comes from an input, textarea or editable element. */
export function matchShortcut(e: KeyLike, inTextField: boolean): ShortcutId | null {
  for (const s of SHORTCUTS) {
    if (!s.handledHere) continue;
    if (inTextField && !s.inTextFields) continue;
    if (s.match(e)) return s.id;
  }
  return null;
}

/** "Mod+Shift+Enter" as this platform writes it: "Ctrl+Shift+Enter", or "⌘+Shift+Enter" on a Mac. */
export function displayKeys(keys: string, mac: boolean): string {
  return keys.replace(/^Mod\b/, mac ? '⌘' : 'Ctrl').replace(/^Alt\b/, mac ? '⌥' : 'Alt');
}
