/**
 * Quality checks for machine-translated news, run paragraph by paragraph (and
 * on the title) on the current text and, where they exist, against the MT and
 * the source. Pure: no database, no clock, nothing from Node. The checks are
 * tuned so that well-edited English news prose yields no warning or error
 * (see tests/unit/qa-precision.test.ts); each finding points at a span of
 * its paragraph so the editor sees exactly what to fix.
 *
 * This entry point runs every check with the compromise part-of-speech
 * tagger (the server and `npm run check`). A bundle that cannot carry the
 * tagger (the admin's live checks) imports `runQaChecksWith` from
 * shared/qa/runChecks.ts and passes null.
 */
import { defaultTagger } from './compromiseTagger';
import { runQaChecksWith } from '../../../shared/qa/runChecks';
import type { Finding, QaConfig, QaConfigInput, QaInput } from '../../../shared/qa/types';

export * from '../../../shared/qa/types';
export { splitSentences, type Sentence } from '../../../shared/qa/sentences';
export { termPattern } from '../../../shared/qa/glossary';
export { runQaChecksWith } from '../../../shared/qa/runChecks';
export type { PosTagger, TaggedWord } from '../../../shared/qa/tagger';

/** Every enabled check, the tagged ones included. Severities come from the configuration (see `DEFAULT_QA_CONFIG`). */
export function runQaChecks(input: QaInput, config: QaConfigInput | QaConfig = {}): Finding[] {
  return runQaChecksWith(input, config, defaultTagger);
}
