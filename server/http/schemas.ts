// The request shapes many routes share, defined once so that an id, a note
// or a paragraph index means the same thing on every route.
import { z } from 'zod';

/** A path segment that must be a database id: a positive safe integer written plainly ("007" and "1e3" are not). */
export const idParam = z.string().transform((raw, ctx) => {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0 || String(n) !== raw) {
    ctx.addIssue({ code: 'custom', message: `"${raw}" is not a valid id` });
    return z.NEVER;
  }
  return n;
});

/** `/:id` routes. */
export const idParams = z.object({ id: idParam });

/** `/articles/:id/paragraphs/:index/…` routes: a paragraph index from 0. */
export const paragraphParams = z.object({
  id: idParam,
  index: z
    .string()
    .regex(/^\d{1,6}$/, { error: (issue) => `Paragraph index "${String(issue.input)}" must be a whole number from 0` })
    .transform(Number),
});

/**
 * The free-text note a person attaches to a change (a revision, a status
 * change, a restore, a review rejection): at most 2000 characters, NFC so
 * that the same words compare equal however they were typed, trimmed, and
 * null when blank.
 */
export const note = z
  .string()
  .max(2000)
  .nullable()
  .optional()
  .transform((s) => (s ? s.normalize('NFC').trim() || null : null));
