/**
 * How the editor lays out its rows: density, which columns show, the word
 * diff and the findings. Remembered per browser in localStorage; the parsing
 * is pure and tolerant (a stored value from an older layout or a hand-edited
 * one falls back to the defaults field by field).
 */

export type Density = 'comfortable' | 'compact';
/** The word diff drawn in place of the MT: none, MT → current text, or last save → current text. */
export type DiffMode = 'off' | 'mt' | 'saved';

export interface EditorView {
  density: Density;
  showSource: boolean;
  showMt: boolean;
  diff: DiffMode;
  showQa: boolean;
  showMemory: boolean;
}

export const DEFAULT_VIEW: Readonly<EditorView> = Object.freeze({ density: 'comfortable', showSource: true, showMt: true, diff: 'off', showQa: true, showMemory: true });

export const VIEW_STORAGE_KEY = 'copydesk.editor.view';

const bool = (v: unknown, fallback: boolean): boolean => (typeof v === 'boolean' ? v : fallback);

/** The view stored as JSON, each unknown or ill-typed field replaced by its default. */
export function parseView(raw: string | null): EditorView {
  let stored: Record<string, unknown> = {};
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) stored = parsed as Record<string, unknown>;
  } catch {
    // A corrupt stored value is not the editor's problem: the defaults apply.
    stored = {};
  }
  return {
    density: stored.density === 'compact' || stored.density === 'comfortable' ? stored.density : DEFAULT_VIEW.density,
    showSource: bool(stored.showSource, DEFAULT_VIEW.showSource),
    showMt: bool(stored.showMt, DEFAULT_VIEW.showMt),
    diff: stored.diff === 'mt' || stored.diff === 'saved' || stored.diff === 'off' ? stored.diff : DEFAULT_VIEW.diff,
    showQa: bool(stored.showQa, DEFAULT_VIEW.showQa),
    showMemory: bool(stored.showMemory, DEFAULT_VIEW.showMemory),
  };
}

/**
 * The row grid's columns: the gutter (number, findings badge), then source,
 * MT and the edited text as shown, then the actions column (comments and
 * whatever the row's `actions` slot holds).
 */
export function gridColumns(view: Pick<EditorView, 'showSource' | 'showMt'>, hasSource: boolean): string {
  const cols = ['2.5rem'];
  const source = hasSource && view.showSource;
  if (source) cols.push('minmax(0,1fr)');
  if (view.showMt) cols.push('minmax(0,1fr)');
  cols.push(source || view.showMt ? 'minmax(0,1.3fr)' : 'minmax(0,1fr)');
  cols.push('auto');
  return cols.join(' ');
}
