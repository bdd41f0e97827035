import { useEffect, useRef, useState } from 'react';
import { Box, Button, GlobalStyles } from '@mui/material';
import KeyboardIcon from '@mui/icons-material/Keyboard';
import { useFormContext } from 'react-hook-form';
import { useNotify } from 'react-admin';
import type { Finding } from '../../qa/types';
import type { ArticleFormValues, ArticleRecord } from '../../types';
import { useConfirm } from '../confirm/ConfirmContext';
import { isConfirmed, nextIndex, rowVisible } from '../confirm/progress';
import { findingsInOrder, findingToFix, nextFinding, type FindingRef } from './findingNav';
import { matchShortcut } from './shortcuts';
import { ShortcutSheet } from './ShortcutSheet';
import { paragraphInputId } from '../ParagraphRow';

/** The row an element belongs to: a paragraph's index, -1 for the title row, else null. */
function rowOf(el: EventTarget | null): number | null {
  if (!(el instanceof Element)) return null;
  const row = el.closest('[data-paragraph-index]');
  return row ? Number(row.getAttribute('data-paragraph-index')) : null;
}

function isTextField(el: EventTarget | null): boolean {
  return el instanceof HTMLElement && (el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit'].includes((el as HTMLInputElement).type)) || el.isContentEditable);
}

/** The edit field of a row (the title's input for -1). */
function fieldOf(index: number): HTMLTextAreaElement | HTMLInputElement | null {
  return document.getElementById(paragraphInputId(index)) as HTMLTextAreaElement | HTMLInputElement | null;
}

function focusRow(index: number): boolean {
  const el = fieldOf(index);
  if (!el) return false;
  el.focus();
  el.setSelectionRange(el.value.length, el.value.length);
  (el.closest('[data-paragraph-index]') ?? el).scrollIntoView({ block: 'nearest' });
  return true;
}

/** The container of a row's findings list (rendered by admin/src/qa/QaParagraphFindings.tsx). */
const findingsSelector = (index: number) => `[data-testid="${index < 0 ? 'qa-title' : `qa-${index}`}"] > ul > li`;

interface Props {
  record: ArticleRecord;
  byParagraph: ReadonlyMap<number, readonly Finding[]>;
  editable: boolean;
  onComments: (index: number | null) => void;
}

/**
 * The workspace's keyboard layer (see ./shortcuts.ts): one window key handler
 * acting on the focused row (or the last one focused), the shortcut sheet and
 * its help button, and a live region that says what a shortcut did.
 */
export function WorkspaceKeys(props: Props) {
  const api = useConfirm();
  const form = useFormContext<ArticleFormValues>();
  const notify = useNotify();
  const [help, setHelp] = useState(false);
  const [current, setCurrent] = useState<FindingRef | null>(null);
  const [said, setSaid] = useState('');
  const lastRow = useRef<number | null>(null);
  const latest = useRef({ props, api, current, form, notify });
  useEffect(() => {
    latest.current = { props, api, current, form, notify };
  });

  useEffect(() => {
    const onFocus = (e: FocusEvent) => {
      const i = rowOf(e.target);
      if (i !== null) lastRow.current = i;
    };
    const onKey = (e: KeyboardEvent) => {
      // Row handlers (Alt+↓, memory inserts) and dialogs (this sheet, submit, conflicts) keep their keys.
      if (e.defaultPrevented || (e.target instanceof Element && e.target.closest('.MuiModal-root, [role="dialog"]'))) return;
      const id = matchShortcut(e, isTextField(e.target));
      if (!id) return;
      const { props: p, api: a, current: cur, form: f, notify: say } = latest.current;
      if (id === 'help') {
        e.preventDefault();
        setHelp(true);
        return;
      }
      if (!a || !p.editable) return;
      e.preventDefault();
      const here = rowOf(e.target) ?? lastRow.current;
      const order = [-1, ...p.record.paragraphs.map((x) => x.index)];
      const rows = a.currentRows();
      const count = (i: number) => p.byParagraph.get(i)?.length ?? 0;
      const visible = (i: number) => {
        const r = rows.find((x) => x.index === i);
        return i < 0 || (r !== undefined && rowVisible(r, a.filters, a.confirmedSaved, count));
      };
      const unconfirmedAfter = (from: number | null, alsoDone?: number) =>
        nextIndex(order, from, (i) => i !== alsoDone && visible(i) && !isConfirmed(rows.find((x) => x.index === i) ?? rows[0], a.confirmedSaved));
      const goTo = (i: number | null, none: string) => {
        if (i === null || !focusRow(i)) setSaid(none);
      };
      switch (id) {
        case 'confirmNext': {
          if (here === null) return;
          a.confirm(here);
          setSaid(`${here < 0 ? 'Title' : `Paragraph ${here + 1}`} confirmed.`);
          const next = unconfirmedAfter(here, here);
          if (next === null) setSaid('Every paragraph is confirmed.');
          else focusRow(next);
          return;
        }
        case 'nextUnconfirmed':
          return goTo(unconfirmedAfter(here), 'No unconfirmed paragraph is shown.');
        case 'nextFinding': {
          const all = findingsInOrder(order, count);
          const next = nextFinding(all, order, cur, here, visible);
          if (!next) return setSaid('No quality findings are shown.');
          setCurrent(next);
          focusRow(next.paragraphIndex);
          const finding = p.byParagraph.get(next.paragraphIndex)?.[next.n];
          setSaid(`Finding ${all.findIndex((x) => x.paragraphIndex === next.paragraphIndex && x.n === next.n) + 1} of ${all.length}, ${next.paragraphIndex < 0 ? 'title' : `paragraph ${next.paragraphIndex + 1}`}: ${finding?.message ?? ''}`);
          return;
        }
        case 'applyFix': {
          if (here === null) return;
          const items = Array.from(document.querySelectorAll(findingsSelector(here)));
          const button = (n: number) => items[n]?.querySelector<HTMLButtonElement>('button[aria-label^="Fix"]:not(:disabled)') ?? null;
          const n = findingToFix(here, cur, items.length, (k) => button(k) !== null);
          if (n === null) return say('No finding with a fix to apply here.', { type: 'info' });
          button(n)?.click();
          fieldOf(here)?.focus();
          setSaid(`Fix applied (not saved yet): ${p.byParagraph.get(here)?.[n]?.message ?? ''}`);
          return;
        }
        case 'copyMt': {
          if (here === null) return;
          const para = here < 0 ? null : p.record.paragraphs.find((x) => x.index === here);
          if (here >= 0 && !para) return;
          if (para?.meta?.locked === true) return say('This paragraph is locked.', { type: 'info' });
          const name = para ? (`paragraphs.${para.index}.text` as const) : ('title' as const);
          const [mt, saved] = para ? [para.mt, para.text] : [p.record.mtTitle, p.record.title];
          // Back to the saved text: reset the field, since setValue leaves the form's isDirty set.
          if (mt === saved) f.resetField(name);
          else f.setValue(name, mt, { shouldDirty: true });
          setSaid('MT copied into the text (not saved yet).');
          return;
        }
        case 'comments':
          return p.onComments(here !== null && here >= 0 ? here : null);
        case 'submit': {
          const start = () => {
            if (!latest.current.api?.startSubmit()) latest.current.notify('This article cannot be submitted now.', { type: 'info' });
          };
          if (a.hasUnsavedText()) a.saveThen(start);
          else start();
          return;
        }
      }
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('focusin', onFocus);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('focusin', onFocus);
    };
  }, []);

  const mark = current ? `${findingsSelector(current.paragraphIndex)}:nth-of-type(${current.n + 1})` : null;
  return (
    <>
      {mark ? <GlobalStyles styles={{ [mark]: { outline: '2px solid #1565c0', outlineOffset: 2, borderRadius: 2 } }} /> : null}
      <Button size="small" startIcon={<KeyboardIcon />} onClick={() => setHelp(true)} aria-keyshortcuts="?" data-testid="shortcut-help">
        Shortcuts (?)
      </Button>
      <Box role="status" aria-live="polite" data-testid="keyboard-status" sx={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>
        {said}
      </Box>
      <ShortcutSheet open={help} onClose={() => setHelp(false)} />
    </>
  );
}
