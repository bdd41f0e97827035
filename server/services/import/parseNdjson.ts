import { articleFromJson } from './articleFromJson';
import { malformedJson } from './parseJson';
import type { TextLine } from './readLines';
import { ImportInputError, type ParsedArticle } from './types';

/**
 * Parses NDJSON (one article object per line, blank lines ignored; see {@link articleFromJson} for
 * the shape) from a stream of lines, yielding each article as soon as its line is read so that
 * memory stays flat however long the file is.
 *
 * @param lines the file's lines, e.g. from readLines (a plain array works too)
 * @param file the name used in locations and error messages
 * @throws ImportInputError naming the line of the first malformed or invalid article, or when the
 *   file holds no article at all
 */
export async function* parseNdjson(
  lines: AsyncIterable<TextLine> | Iterable<TextLine>,
  file: string,
): AsyncGenerator<ParsedArticle> {
  let index = 0;
  for await (const { text, line } of lines) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const problem = malformedJson(file, text, error, line);
      if (!/ends too early/.test(problem.reason)) throw problem;
      // The usual cause is a pretty-printed object spread over several lines.
      throw new ImportInputError(file, `${problem.reason}; in NDJSON each line must hold one complete JSON object`, line);
    }
    yield articleFromJson(value, { file, line, index });
    index += 1;
  }
  if (index === 0) throw new ImportInputError(file, 'contains no articles (only blank lines)');
}
