import { fetchUtils } from 'react-admin';

/**
 * fetchJson with the session cookie and the header the server's CSRF check
 * accepts. Every request of the admin goes through here.
 */
export function httpClient(url: string, options: fetchUtils.Options = {}) {
  const headers = new Headers(options.headers ?? { Accept: 'application/json' });
  headers.set('X-Requested-With', 'copydesk-admin');
  return fetchUtils.fetchJson(url, { ...options, headers, credentials: 'same-origin' });
}

/** The server's error message from an HttpError body, for notifications. */
export function errorMessage(error: unknown, fallback = 'Something went wrong.'): string {
  const e = error as { body?: { error?: { message?: string } }; message?: string };
  return e?.body?.error?.message ?? e?.message ?? fallback;
}
