import type { CardLock, LockGrant } from "../../durable/card-lock";
import { Busy } from "../errors";

/**
 * The CardLock Durable Objects that serialise the work on one card or tag of a tenant.
 * The caller (the HTTP edge) opens them, so that their calls are metered with the
 * request; core names them.
 */
export type LockOpener = (name: string) => DurableObjectStub<CardLock>;

/** The lock of one RFID card of a tenant (`uid` normalised). */
export const rfidLockName = (tenantId: number, uid: string) => `${tenantId}:rfid:${uid}`;

/** The lock of one vehicle tag code of a tenant (`code` normalised). */
export const tagLockName = (tenantId: number, code: string) => `${tenantId}:tag:${code}`;

/** Waits for a lock; `Busy` when it cannot be had in time or the lock cannot be reached. RPC drops the method's type parameter, so the memo type is the caller's. */
export async function acquire<Memo>(lock: DurableObjectStub<CardLock>, resource: "card" | "tag"): Promise<LockGrant<Memo>> {
  const grant = await lock.acquire().catch(() => null);
  if (!grant) throw new Busy(resource);
  return grant as LockGrant<Memo>;
}

/** Releases a lock, storing `memo` when given. A failed release is not the caller's problem: the lease runs out by itself. */
export async function release<Memo>(lock: DurableObjectStub<CardLock>, token: string, memo?: Memo): Promise<void> {
  await lock.release(token, memo).catch((err: unknown) => {
    console.error(JSON.stringify({ level: "warn", msg: "card lock release failed", error: String(err) }));
  });
}
