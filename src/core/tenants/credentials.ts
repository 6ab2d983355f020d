import { and, desc, eq, isNull, lt, sql } from "drizzle-orm";
import { bound, prepared, rows, runBatch } from "../../db/batch";
import type { Db } from "../../db/client";
import { type CredentialKind, credentials, tenants } from "../../db/schema";

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
  const row = await db
    .select({ id: credentials.id })
    .from(credentials)
    .where(and(eq(credentials.id, credentialId), eq(credentials.tenantId, tenantId), eq(credentials.kind, "partner"), isNull(credentials.revokedAt)))
    .get();
  return row !== undefined;
}

/** A credential as operators see it: never its secret, nor the secret's hash. */
export interface CredentialSummary {
  clientId: number;
  kind: CredentialKind;
  name: string | null;
  createdAt: number;
  revokedAt: number | null;
}

const summaryColumns = {
  clientId: credentials.id,
  kind: credentials.kind,
  name: credentials.name,
  createdAt: credentials.createdAt,
  revokedAt: credentials.revokedAt,
};

const credentialPage = prepared((db) =>
  db
    .select(summaryColumns)
    .from(credentials)
    .where(and(eq(credentials.tenantId, sql.placeholder("tenantId")), lt(credentials.id, sql.placeholder("beforeId"))))
    .orderBy(desc(credentials.id))
    .limit(sql.placeholder("limit"))
    .prepare(),
);

/**
 * A tenant's credentials, newest first, before `beforeId` (a keyset page of the
 * (tenant, id) index), and the `beforeId` of the next page; not_found for an unknown tenant.
 */
export async function listCredentials(
  db: Db,
  tenantId: number,
  page: { beforeId: number; limit: number },
): Promise<{ credentials: CredentialSummary[]; next: number | null }> {
  const [tenant, found] = await runBatch(db, [
    rows<{ id: number }>(sql`SELECT ${tenants.id} AS "id" FROM ${tenants} WHERE ${tenants.id} = ${tenantId}`),
    bound(credentialPage(db), { tenantId, beforeId: page.beforeId, limit: page.limit + 1 }),
  ]);
  if (tenant.length === 0) throw new NotFound("tenant");
  const list = found.slice(0, page.limit);
  return { credentials: list, next: found.length > page.limit ? (list.at(-1)?.clientId ?? null) : null };
}

/** The tenant's credential `clientId` as `listCredentials` shows it; not_found when the tenant has none (another tenant's included). */
export async function getCredential(db: Db, tenantId: number, clientId: number): Promise<CredentialSummary> {
  const row = await db
    .select(summaryColumns)
    .from(credentials)
    .where(and(eq(credentials.id, clientId), eq(credentials.tenantId, tenantId)))
    .get();
  if (!row) throw new NotFound("credential");
  return row;
}
