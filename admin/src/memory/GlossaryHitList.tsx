import { memo, useDeferredValue, useMemo } from 'react';
import { Box, Chip, Tooltip } from '@mui/material';
import { useWatch } from 'react-hook-form';
import { findGlossaryHits, type CompiledGlossary, type GlossaryHit } from '../../../shared/glossaryHits';

interface Shown {
  key: string;
  label: string;
  preferred: string;
  where: 'source' | 'MT' | 'text';
  forbidden: boolean;
}

function shown(glossary: CompiledGlossary, hits: GlossaryHit[], where: Shown['where']): Shown[] {
  return hits.map((h) => {
    const e = glossary.entries[h.entry];
    return { key: `${where}:${h.start}:${h.entry}:${h.kind}`, label: h.text, preferred: e.preferred, where, forbidden: h.kind === 'forbidden' };
  });
}

/**
 * Glossary terms found in the paragraph's source and MT, and forbidden
 * variants in the text being typed, each with the preferred rendering: shown
 * as the editor works, before any save (the QA check reports the same
 * matches on the saved text).
 */
export const GlossaryHitList = memo(function GlossaryHitList({ glossary, index, mt, source, live }: { glossary: CompiledGlossary; index: number; mt: string; source: string | null; live: boolean }) {
  const typed = useWatch({ name: `paragraphs.${index}.text`, disabled: !live }) as string | undefined;
  const text = useDeferredValue(live ? (typed ?? '') : '');
  const fixed = useMemo(() => {
    const fromSource = source ? shown(glossary, findGlossaryHits(source, glossary, ['source']), 'source') : [];
    const fromMt = shown(glossary, findGlossaryHits(mt, glossary, ['term', 'preferred', 'forbidden']), 'MT');
    return [...fromSource, ...fromMt];
  }, [glossary, mt, source]);
  const inText = useMemo(() => (text ? shown(glossary, findGlossaryHits(text, glossary, ['forbidden']), 'text') : []), [glossary, text]);
  const all = [...fixed, ...inText];
  if (all.length === 0) return null;
  // One chip per term and place: the same term twice in a paragraph says nothing new.
  const seen = new Set<string>();
  const unique = all.filter((s) => {
    const k = `${s.where}|${s.label.toLowerCase()}|${s.preferred}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return (
    <Box component="ul" aria-label={`Glossary terms in paragraph ${index + 1}`} data-testid={`glossary-hits-${index}`} sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5, m: 0, p: 0, listStyle: 'none' }}>
      {unique.map((s) => (
        <Box component="li" key={s.key}>
          <Tooltip title={s.forbidden ? `Forbidden by the glossary (in the ${s.where}); use “${s.preferred}”.` : `Glossary (in the ${s.where}): render as “${s.preferred}”.`}>
            <Chip
              size="small"
              variant="outlined"
              color={s.forbidden ? (s.where === 'text' ? 'error' : 'warning') : 'primary'}
              label={
                <span>
                  {s.where === 'text' ? 'text: ' : ''}
                  {s.forbidden ? <s>{s.label}</s> : s.label} → <strong>{s.preferred}</strong>
                </span>
              }
              sx={{ height: 22, fontSize: '0.75rem' }}
            />
          </Tooltip>
        </Box>
      ))}
    </Box>
  );
});
