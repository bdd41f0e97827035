import { Box, Chip, Stack, Tooltip, Typography } from '@mui/material';
import LockOutlinedIcon from '@mui/icons-material/LockOutlined';
import { codeIndexOf, type InlineCode, type ParagraphMeta } from '../../../shared/inlineCodes';

const CODE_SPLIT = /([\ue100-\uf7ff])/;

/**
 * Text with its inline codes (tags and placeholders of a translation file) drawn as small,
 * non-editable chips labelled like the file's code, its markup in the tooltip. React elements
 * only: article text is never rendered as HTML.
 */
export function CodedText({ text, codes, testId }: { text: string; codes: readonly InlineCode[] | null | undefined; testId?: string }) {
  if (!CODE_SPLIT.test(text)) return <>{text}</>;
  return (
    <>
      {text.split(CODE_SPLIT).map((part, i) => {
        const k = part.length === 1 ? codeIndexOf(part) : undefined;
        if (k === undefined) return part;
        const code = codes?.[k];
        return (
          <Tooltip key={i} title={code ? `${code.kind} code ${code.element} ${code.id}: ${code.xml}` : `unknown code ${k + 1}`}>
            <Box
              component="span"
              data-testid={testId ? `${testId}-code-${k}` : undefined}
              data-code={k + 1}
              sx={{ display: 'inline-block', px: 0.5, mx: 0.25, borderRadius: 0.75, fontFamily: 'monospace', fontSize: '0.75em', lineHeight: 1.5, verticalAlign: 'baseline', bgcolor: code ? '#e3ecf7' : '#fde2e1', color: '#1d3b5c', border: '1px solid #b8cbe3', userSelect: 'none' }}
            >
              {`${k + 1}`}
              {code ? `·${code.label}` : ''}
            </Box>
          </Tooltip>
        );
      })}
    </>
  );
}

/** What the translation file said of a paragraph: lock, state, "to be translated", notes (read-only). */
export function ParagraphMetaLine({ meta, text, index }: { meta: ParagraphMeta | null | undefined; text: string; index: number }) {
  if (!meta) return null;
  const toTranslate = meta.emptyTarget === true && text.trim() === '';
  if (!meta.locked && !meta.state && !toTranslate && !meta.notes?.length) return null;
  return (
    <Stack spacing={0.5} sx={{ mt: 0.75 }} data-testid={`meta-${index}`}>
      <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: "wrap" }}>
        {meta.locked ? <Chip size="small" icon={<LockOutlinedIcon />} label="Locked (not to be translated)" data-testid={`locked-${index}`} /> : null}
        {toTranslate ? <Chip size="small" color="warning" label="To be translated" data-testid={`to-translate-${index}`} /> : null}
        {meta.state ? <Chip size="small" variant="outlined" label={`State: ${meta.state}`} data-testid={`state-${index}`} /> : null}
      </Stack>
      {meta.notes?.map((note, i) => (
        <Typography key={i} variant="caption" color="text.secondary" component="div" data-testid={`note-${index}-${i}`}>
          {`Note${note.from ? ` from ${note.from}` : ''}${note.category ? ` (${note.category})` : ''}: ${note.text}`}
        </Typography>
      ))}
    </Stack>
  );
}
