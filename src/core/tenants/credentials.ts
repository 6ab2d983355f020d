import { and, eq, isNull, sql } from "drizzle-orm";
import { bound, prepared, runBatch } from "../../db/batch";
import type { Db } from "../../db/client";
import { type CredentialKind, credentials } from "../../db/schema";

export { type CredentialKind, credentialKinds } from "../../db/schema";

import { constantTimeEqual, randomSecret, sha256Hex } from "../crypto";
import { NotFound } from "../errors";
import { getTenant } from "./tenants";

export interface IssuedCredential {
  clientId: number;
  clientSecret: string;
  kind: CredentialKind;
  tenantId: number;
}

/** Who a verified credential belongs to. */
export interface Principal {
  tenantId: number;
  credentialId: number;
  kind: CredentialKind;
}

/** Creates a credential; the secret is returned here once and only its hash is stored. */
export async function issueCredential(db: Db, tenantId: number, input: { kind: CredentialKind; name?: string }): Promise<IssuedCredential> {
  await getTenant(db, tenantId);
  const clientSecret = randomSecret();
  const [row] = await db
    .insert(credentials)
    .values({
      tenantId,
      kind: input.kind,
      name: input.name ?? null,
      secretHash: await sha256Hex(clientSecret),
      createdAt: Date.now(),
    })
    .returning({ id: credentials.id });
  return { clientId: row!.id, clientSecret, kind: input.kind, tenantId };
}

/** Revokes a credential; tokens issued to it fail their next check. Unknown or already revoked -> not_found. */
export async function revokeCredential(db: Db, clientId: number): Promise<void> {
  const revoked = await db
    .update(credentials)
    .set({ revokedAt: Date.now() })
    .where(and(eq(credentials.id, clientId), isNull(credentials.revokedAt)))
    .returning({ id: credentials.id });
  if (revoked.length === 0) throw new NotFound("credential");
}

/** Checks a client_id + secret pair (OAuth client credentials). Null when unknown, revoked or wrong. */
export async function verifyClientSecret(db: Db, clientId: number, secret: string): Promise<Principal | null> {
  const row = await db
    .select()
    .from(credentials)
    .where(and(eq(credentials.id, clientId), isNull(credentials.revokedAt)))
    .get();
  // Hash and compare even when the row is missing, so timing does not reveal which ids exist.
  const ok = await constantTimeEqual(await sha256Hex(secret), row?.secretHash ?? "");
  if (!row || !ok) return null;
  return { tenantId: row.tenantId, credentialId: row.id, kind: row.kind };
}

/** True when the credential still exists, is live and belongs to the tenant (checked on every Bearer call). */
export async function isCredentialLive(db: Db, credentialId: number, tenantId: number): Promise<boolean> {
  const [live] = await runBatch(db, [bound(liveCredential(db), { credentialId, tenantId })]);
  return live.length > 0;
}

/** Built once per isolate: every Bearer call runs it. */
const liveCredential = prepared((db) =>
  db
    .select({ id: credentials.id })
    .from(credentials)
    .where(
      and(
        eq(credentials.id, sql.placeholder("credentialId")),
        eq(credentials.tenantId, sql.placeholder("tenantId")),
        eq(credentials.kind, "partner"),
        isNull(credentials.revokedAt),
      ),
    )
    .prepare(),
);
