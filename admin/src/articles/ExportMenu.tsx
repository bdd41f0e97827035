import { useState } from 'react';
import { Button, Menu, MenuItem } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';

const FORMATS = [
  { id: 'markdown', name: 'Markdown (.md)' },
  { id: 'text', name: 'Plain text (.txt)' },
  { id: 'json', name: 'JSON (.json)' },
  { id: 'xliff', name: 'XLIFF 2.0 (.xlf)' },
  { id: 'xliff12', name: 'XLIFF 1.2 (.xliff)' },
];

/** Downloads the approved revision (GET /api/articles/:id/export?format=…); a plain link, so the browser handles the file. */
export function ExportMenu({ articleId }: { articleId: number }) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  return (
    <>
      <Button startIcon={<DownloadIcon />} onClick={(e) => setAnchor(e.currentTarget)} aria-haspopup="menu" aria-controls={anchor ? 'export-menu' : undefined}>
        Download approved
      </Button>
      <Menu id="export-menu" anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        {FORMATS.map((f) => (
          <MenuItem key={f.id} component="a" href={`/api/articles/${articleId}/export?format=${f.id}`} download onClick={() => setAnchor(null)}>
            {f.name}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}
