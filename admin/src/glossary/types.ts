import type { GlossaryImportResult as ServerImportResult, GlossaryRecord as ServerRecord } from '../../../server/services/glossary';
import type { Wire } from '../types';

/** A row of /api/glossary (the server's type, as JSON). */
export type GlossaryRecord = Wire<ServerRecord>;
/** POST /api/glossary/import. */
export type GlossaryImportResult = Wire<ServerImportResult>;
