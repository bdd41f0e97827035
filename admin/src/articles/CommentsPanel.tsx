import { useState } from 'react';
import { Box, Button, Chip, Divider, Drawer, IconButton, List, ListItem, Stack, TextField, Typography } from '@mui/material';
import CloseIcon from '@mui/icons-material/Close';
import { useCreate, useNotify, useUpdate } from 'react-admin';
import { errorMessage } from '../httpClient';
import type { CommentRow } from '../types';
import { readingSx } from './ParagraphRow';

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * Comments on one paragraph (or on the whole article when `paragraphIndex` is
 * null), in a side panel: read, add, resolve and reopen. Bodies render as text.
 */
export function CommentsPanel({
  articleId,
  paragraphIndex,
  comments,
  canWrite,
  onClose,
}: {
  articleId: number;
  paragraphIndex: number | null | undefined;
  comments: CommentRow[];
  canWrite: boolean;
  onClose: () => void;
}) {
  const open = paragraphIndex !== undefined;
  const [body, setBody] = useState('');
  const [create, { isPending: creating }] = useCreate<CommentRow>();
  const [update, { isPending: updating }] = useUpdate<CommentRow>();
  const notify = useNotify();
  const shown = comments.filter((c) => (paragraphIndex === null ? true : c.paragraphIndex === paragraphIndex));
  const add = () =>
    create(
      'comments',
      { data: { articleId, paragraphIndex, body: body.trim() } },
      {
        onSuccess: () => {
          setBody('');
          notify('Comment added.', { type: 'success' });
        },
        onError: (e) => notify(errorMessage(e), { type: 'error' }),
      },
    );
  const setResolved = (c: CommentRow, resolved: boolean) =>
    update('comments', { id: c.id, data: { resolved }, previousData: c }, { mutationMode: 'pessimistic', onError: (e) => notify(errorMessage(e), { type: 'error' }) });

  return (
    <Drawer anchor="right" open={open} onClose={onClose} slotProps={{ paper: { sx: { width: 420, maxWidth: '100vw' } } }}>
      <Box sx={{ p: 2, display: 'flex', alignItems: 'center' }}>
        <Typography variant="h6" sx={{ flex: 1 }} component="h2">
          {paragraphIndex == null ? 'All comments' : `Comments on paragraph ${paragraphIndex + 1}`}
        </Typography>
        <IconButton onClick={onClose} aria-label="Close comments">
          <CloseIcon />
        </IconButton>
      </Box>
      <Divider />
      <List sx={{ flex: 1, overflow: 'auto' }} data-testid="comments-list">
        {shown.length === 0 ? (
          <ListItem>
            <Typography color="text.secondary">No comments yet.</Typography>
          </ListItem>
        ) : null}
        {shown.map((c) => (
          <ListItem key={c.id} sx={{ display: 'block', opacity: c.resolved ? 0.6 : 1 }} data-comment-id={c.id}>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center',  mb: 0.5 }}>
              <Typography variant="subtitle2">{c.authorName}</Typography>
              <Typography variant="caption" color="text.secondary">
                {when(c.createdAt)}
                {paragraphIndex === null && c.paragraphIndex != null ? ` · ¶ ${c.paragraphIndex + 1}` : ''}
              </Typography>
              {c.resolved ? <Chip size="small" label={`Resolved${c.resolvedByName ? ` by ${c.resolvedByName}` : ''}`} /> : null}
            </Stack>
            <Typography sx={{ ...readingSx, whiteSpace: 'pre-wrap' }} className="comment-body">
              {c.body}
            </Typography>
            {canWrite ? (
              <Button size="small" disabled={updating} onClick={() => setResolved(c, !c.resolved)} sx={{ mt: 0.5, px: 0 }}>
                {c.resolved ? 'Reopen' : 'Resolve'}
              </Button>
            ) : null}
          </ListItem>
        ))}
      </List>
      {canWrite ? (
        <Box sx={{ p: 2, borderTop: '1px solid', borderColor: 'divider' }}>
          <TextField
            id="new-comment"
            // The drawer opens to write a comment: the box takes the focus (the drawer mounts afresh each time it opens).
            autoFocus
            label={paragraphIndex == null ? 'Comment on the article' : `Comment on paragraph ${paragraphIndex + 1}`}
            multiline
            minRows={2}
            fullWidth
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
          <Button variant="contained" sx={{ mt: 1 }} disabled={creating || body.trim() === ''} onClick={add}>
            Add comment
          </Button>
        </Box>
      ) : null}
    </Drawer>
  );
}
