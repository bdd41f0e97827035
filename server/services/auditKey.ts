import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config';
import type { Db, PrismaClient } from '../db/client';
import { lockAuditChain } from '../db/sql/locks';
import { auditKeyFromHex, recordAudit, SYSTEM_ACTOR, useAuditKey, type AuditKey } from './audit';
import { checkpointsFor, describeCheckpoint, writeCheckpoint, type Checkpoint } from './auditCheckpoints';

/** The audit key cannot be used; the message says why and what to do. */
export class AuditKeyError extends Error {
  override name = 'AuditKeyError';
}

const KEY_TEXT = /^[0-9a-f]{64}$/;

async function readKeyFile(file: string): Promise<AuditKey | undefined> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim().toLowerCase();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AuditKeyError(`Cannot read the audit key file ${file}: ${(err as Error).message}`);
  }
  if (!KEY_TEXT.test(text)) throw new AuditKeyError(`The audit key file ${file} does not hold a key: expected 64 hexadecimal characters (32 bytes) on one line.`);
  return auditKeyFromHex(text);
}

/** The newest event's key id: undefined for an empty log, null when the newest event is unkeyed. */
async function headKeyId(db: Db): Promise<string | null | undefined> {
  const head = await db.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { keyId: true } });
  return head === null ? undefined : head.keyId;
}

/**
 * The audit chain's key: COPYDESK_AUDIT_KEY, else the key file
 * (COPYDESK_AUDIT_KEY_FILE, default `<data dir>/audit.key`).
 *
 * A missing key file is generated (32 random bytes, mode 0600) only while the
 * chain holds no keyed event; once it does, a missing or different key is an
 * AuditKeyError, never a silent new key that would leave every earlier keyed
 * event unverifiable. Two processes generating at once agree on one key
 * (exclusive create; the loser reads the winner's file).
 */
export async function loadAuditKey(db: Db, config: Pick<Config, 'auditKey' | 'auditKeyFile'>): Promise<AuditKey> {
  const chainKeyId = await headKeyId(db);
  const source = config.auditKey ? 'COPYDESK_AUDIT_KEY' : config.auditKeyFile;
  let key = config.auditKey ? auditKeyFromHex(config.auditKey) : await readKeyFile(config.auditKeyFile);
  if (!key) {
    if (chainKeyId) {
      throw new AuditKeyError(
        `The audit log is keyed with key ${chainKeyId}, but there is no audit key: ${config.auditKeyFile} does not exist and COPYDESK_AUDIT_KEY is not set. ` +
          'Restore the key file from your backup (or set COPYDESK_AUDIT_KEY / COPYDESK_AUDIT_KEY_FILE); a new key would make the keyed events unverifiable.',
      );
    }
    await mkdir(path.dirname(config.auditKeyFile), { recursive: true, mode: 0o700 });
    try {
      await writeFile(config.auditKeyFile, randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new AuditKeyError(`Cannot create the audit key file ${config.auditKeyFile}: ${(err as Error).message}`);
    }
    key = await readKeyFile(config.auditKeyFile);
    if (!key) throw new AuditKeyError(`The audit key file ${config.auditKeyFile} vanished while it was being created.`);
  }
  if (chainKeyId && chainKeyId !== key.id) {
    throw new AuditKeyError(
      `The audit key from ${source} (key id ${key.id}) is not the key the audit log is keyed with (key id ${chainKeyId}). Restore the right key; changing it would make the keyed events unverifiable.`,
    );
  }
  return key;
}

/**
 * Makes the newest event a keyed one: on the first start after an upgrade
 * from the unkeyed chain, appends an `audit.keyed` event that marks the switch
 * point. From then on `verify` refuses any unkeyed event after a keyed one,
 * and a chain whose newest event is unkeyed, so rewriting a tail of the log
 * with plain sha256 is detected. Returns the transition event's id, or null.
 *
 * The switch is made only while `checkpointFile` holds no checkpoint of this
 * database: a checkpoint is written only once the chain is keyed, so an
 * unkeyed newest event after one means the tail was rewritten, and appending
 * keyed events on top of it would hide that (AuditKeyError instead).
 */
export async function ensureKeyedHead(db: PrismaClient, key: AuditKey, checkpointFile: string): Promise<bigint | null> {
  const head = await db.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true, keyId: true, hash: true } });
  if (!head || head.keyId !== null) return null;
  const { checkpoints } = await checkpointsFor(db, checkpointFile);
  const last = checkpoints.at(-1);
  if (last) {
    throw new AuditKeyError(
      `The newest audit event #${head.id} is unkeyed, but line ${last.line} of ${checkpointFile} shows the log was already keyed (${describeCheckpoint(last)}): ` +
        'the audit log has been rewritten. Run `npm run audit -- verify` to find where; Copydesk appends nothing to it until this is resolved.',
    );
  }
  return db.$transaction(async (tx) => {
    // Under the chain's lock (audit_append takes the same one): of two processes starting at once, one marks the switch.
    await lockAuditChain(tx);
    const now = await tx.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { keyId: true } });
    if (now?.keyId !== null) return null;
    return recordAudit(tx, SYSTEM_ACTOR, { action: 'audit.keyed', entity: 'audit', data: { keyId: key.id, lastUnkeyedEventId: head.id.toString(), lastUnkeyedHash: head.hash } });
  });
}

/**
 * What every process that writes to the audit log does once at start-up, after
 * migrating: load the key, key every event this process appends, mark the
 * switch from an unkeyed chain, and (with `source`) write a checkpoint of
 * the head. A read-only command (`audit verify`) passes `readOnly` to load the
 * key and change nothing, so it reports the chain exactly as it is.
 */
export async function prepareAudit(
  db: PrismaClient,
  config: Pick<Config, 'auditKey' | 'auditKeyFile' | 'auditCheckpointFile'>,
  opts: { source?: string; readOnly?: boolean } = {},
): Promise<{ key: AuditKey; checkpoint: Checkpoint | null }> {
  const key = await loadAuditKey(db, config);
  useAuditKey(key);
  if (opts.readOnly) return { key, checkpoint: null };
  await ensureKeyedHead(db, key, config.auditCheckpointFile);
  const checkpoint = opts.source ? await writeCheckpoint(db, config.auditCheckpointFile, opts.source) : null;
  return { key, checkpoint };
}
