/**
 * Whether a process with this pid exists. Signal 0 only checks: EPERM means it
 * exists but belongs to another user (a PostgreSQL run as `postgres`), so it
 * counts as alive.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
