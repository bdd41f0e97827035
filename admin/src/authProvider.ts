import { HttpError, type AuthProvider, type UserIdentity } from 'react-admin';
import { httpClient } from './httpClient';

type Me = { id: number; username: string; displayName: string; role: 'editor' | 'reviewer' | 'auditor' | 'admin' };

let me: Promise<Me> | null = null;

function fetchMe(): Promise<Me> {
  me ??= httpClient('/api/auth/me')
    .then(({ json }) => json as Me)
    .catch((err) => {
      me = null;
      throw err;
    });
  return me;
}

/** Session-cookie authentication against /api/auth. */
export const authProvider: AuthProvider = {
  async login({ username, password }: { username: string; password: string }) {
    me = null;
    try {
      const { json } = await httpClient('/api/auth/login', { method: 'POST', body: JSON.stringify({ username, password }) });
      me = Promise.resolve(json as Me);
    } catch (err) {
      const e = err as HttpError & { body?: { error?: { message?: string } } };
      throw new Error(e.body?.error?.message ?? (e.status === 429 ? 'Too many failed logins. Try again later.' : 'Login failed.'), { cause: err });
    }
  },
  async logout() {
    me = null;
    await httpClient('/api/auth/logout', { method: 'POST', body: '{}' }).catch(() => undefined);
  },
  async checkAuth() {
    await fetchMe();
  },
  async checkError(error: { status?: number }) {
    if (error?.status === 401) {
      me = null;
      throw new Error('Your session has ended. Please log in again.');
    }
  },
  async getIdentity(): Promise<UserIdentity> {
    const m = await fetchMe();
    return { id: m.id, fullName: m.displayName, username: m.username, role: m.role };
  },
  async getPermissions() {
    return (await fetchMe()).role;
  },
};
