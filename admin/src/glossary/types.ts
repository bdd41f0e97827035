/** A row of /api/glossary. */
export interface GlossaryRecord {
  id: number;
  term: string;
  preferred: string;
  forbidden: string[];
  sourceTerm: string | null;
  note: string;
  createdAt: string;
  updatedAt: string;
}

/** POST /api/glossary/import. */
export interface GlossaryImportResult {
  mode: 'merge' | 'replace';
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}
