import { useEffect, useRef, useState } from 'react';
import { Typography } from '@mui/material';
import { httpClient } from '../httpClient';

/** Someone else with the article open, as POST/GET /api/articles/:id/presence answer. */
interface PresenceEntry {
  userId: number;
  displayName: string;
  editing: boolean;
  secondsAgo: number;
}

/** How often the editor says it is still open; the server counts a user present for 60 s after a beat. */
export const HEARTBEAT_MS = 20_000;
/**
 * No beats after this long without a key press, click or scroll, nor while the
 * tab is hidden. Every request refreshes the session's idle timer, so a tab
 * left open would otherwise never be logged out; and someone away from the
 * desk is not really "also open".
 */
export const PRESENCE_IDLE_MS = 5 * 60_000;

/**
 * Sends the presence heartbeat while the article is open (with whether the
 * editor has unsaved changes), says goodbye when it closes, and returns who
 * else has it open. Failures are ignored: presence is a hint, never a gate.
 */
export function usePresence(articleId: number | undefined, editing: boolean, canBeat: boolean): PresenceEntry[] {
  const [others, setOthers] = useState<PresenceEntry[]>([]);
  const editingRef = useRef(editing);
  const beatRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    if (articleId === undefined) return;
    const url = `/api/articles/${articleId}/presence`;
    let stopped = false;
    let lastActive = Date.now();
    const active = () => {
      const wasAway = Date.now() - lastActive > PRESENCE_IDLE_MS;
      lastActive = Date.now();
      if (wasAway) beat();
    };
    const activity = ['keydown', 'pointerdown', 'wheel'] as const;
    for (const e of activity) window.addEventListener(e, active, { passive: true });
    const beat = () => {
      if (document.visibilityState === 'hidden' || Date.now() - lastActive > PRESENCE_IDLE_MS) return;
      const req = canBeat
        ? httpClient(url, { method: 'POST', body: JSON.stringify({ editing: editingRef.current }) })
        : httpClient(url);
      req.then(({ json }) => !stopped && setOthers(json as PresenceEntry[])).catch(() => undefined);
    };
    beatRef.current = beat;
    beat();
    const timer = setInterval(beat, HEARTBEAT_MS);
    const leave = () => {
      if (!canBeat) return;
      // keepalive lets the request outlive the page when the tab closes.
      void fetch(url, { method: 'DELETE', keepalive: true, credentials: 'same-origin', headers: { 'X-Requested-With': 'copydesk-admin' } }).catch(() => undefined);
    };
    window.addEventListener('pagehide', leave);
    return () => {
      stopped = true;
      clearInterval(timer);
      for (const e of activity) window.removeEventListener(e, active);
      window.removeEventListener('pagehide', leave);
      leave();
    };
  }, [articleId, canBeat]);

  // Starting or finishing an edit is news for the others: beat at once rather than at the next tick.
  useEffect(() => {
    if (editingRef.current === editing) return;
    editingRef.current = editing;
    beatRef.current();
  }, [editing]);

  return others;
}

/** "Also open: Maria (editing), Ann (viewing)" near the title, before a conflict can happen. */
export function PresenceNote({ others }: { others: PresenceEntry[] }) {
  if (others.length === 0) return null;
  return (
    <Typography variant="body2" color="warning.dark" data-testid="presence" role="status">
      Also open: {others.map((o) => `${o.displayName} (${o.editing ? 'editing' : 'viewing'})`).join(', ')}
    </Typography>
  );
}
