import type { z } from 'zod';
import { BadRequestError } from '../errors';

/**
 * Parses input with a zod schema; a failure is a 400 `validation_failed`
 * naming the first bad field (or `what` when the whole value is wrong), or
 * `code` instead (path parameters answer `invalid_id`). The route table
 * calls it once per declared schema; CLIs call it on their flags.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'body', code = 'validation_failed'): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue.path.join('.') || what;
    throw new BadRequestError(`${field}: ${issue.message}`, { field, issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) }, code);
  }
  return r.data;
}
