import { DurableObject } from "cloudflare:workers";

/** A granted lock (pass `token` back to `release`), or the card's memo. */
export type LockGrant<Memo> = { token: string; memo: null } | { token: null; memo: Memo };

interface Lease {
  token: string;
  expiresAt: number;
}

/**
 * One object per tenant + card UID (or tag code): a FIFO lock around the D1 work that
 * registers, replaces or binds that card, plus a memo of what the card is already known
 * to be (so a repeated tap is answered here, with no D1 read).
 *
 * A Durable Object's input gate does not cover the D1 calls its callers make, so the
 * lock is explicit: `acquire` resolves for one holder at a time, in arrival order. The
 * lease is also written to storage, so an evicted and restarted object does not grant a
 * second holder while the first one's lease runs. Leases expire (a crashed holder cannot
 * block the card for longer than `leaseMs`); D1's unique indexes stay the last guard.
 */
export class CardLock extends DurableObject<Env> {
  private waiters: Array<() => void> = [];

  /**
   * Returns the card's memo without locking when one is stored (a card known to be
   * registered needs no lock to be answered); otherwise waits up to `waitMs` for the
   * lock and returns a grant; null when the wait times out. A timeout is an answer, not
   * a thrown error: workerd reports an RPC method's rejection as an uncaught exception of
   * the object even when the caller handles it.
   */
  async acquire<Memo>(leaseMs = 10_000, waitMs = 15_000): Promise<LockGrant<Memo> | null> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const memo = this.ctx.storage.kv.get<Memo>("memo");
      if (memo !== undefined) return { token: null, memo };
      const lease = this.ctx.storage.kv.get<Lease>("lease");
      const now = Date.now();
      if (!lease || lease.expiresAt <= now) {
        const token = crypto.randomUUID();
        this.ctx.storage.kv.put<Lease>("lease", { token, expiresAt: now + leaseMs });
        return { token, memo: null };
      }
      if (now >= deadline) return null;
      // Wake on release, or when the current lease (or our own wait) runs out.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(lease.expiresAt, deadline) - now);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Replaces the card's memo (a merge moved the card to another customer); waiters are not affected. */
  remember<Memo>(memo: Memo): void {
    this.ctx.storage.kv.put("memo", memo);
  }

  /** Drops the card's memo (its holder was erased): the next tap is decided on D1 again. */
  forget(): void {
    this.ctx.storage.kv.delete("memo");
  }

  /**
   * Releases the lock held with `token`, storing `memo` for later taps when given, and
   * wakes every waiter: each re-checks, one takes the lease (or all read the memo) and the
   * rest wait again. Waking only the first could wake the entry of a wait that already
   * timed out and leave a live waiter asleep until the old lease ran out.
   */
  release<Memo>(token: string, memo?: Memo): void {
    const lease = this.ctx.storage.kv.get<Lease>("lease");
    if (lease?.token === token) this.ctx.storage.kv.delete("lease");
    if (memo !== undefined) this.ctx.storage.kv.put("memo", memo);
    for (const wake of this.waiters.splice(0)) wake();
  }
}
