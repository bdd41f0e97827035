import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config';

/** Headers whose values let a reader of the log act as someone (session cookies, credentials). */
const SECRET_HEADERS = ['cookie', 'set-cookie', 'authorization', 'proxy-authorization'];

/**
 * Where secrets could appear in a log line: the request and response headers
 * pino-http logs (`req.headers`, `res.headers`), and headers logged under any
 * other top-level key (an error's request, a bare `headers` object).
 */
export const REDACTED_PATHS: readonly string[] = SECRET_HEADERS.flatMap((h) => [`req.headers["${h}"]`, `res.headers["${h}"]`, `headers["${h}"]`, `*.headers["${h}"]`]);

/**
 * The one logger configuration of the server, the request log and the
 * command-line tools: JSON lines at `config.logLevel`, with session cookies
 * and credentials replaced by "[Redacted]" (a copied log line must not log
 * anyone in).
 */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  const options = { level: config.logLevel, redact: { paths: [...REDACTED_PATHS], censor: '[Redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
