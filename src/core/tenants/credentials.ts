import { and, desc, eq, isNull, lt, or, type SQLWrapper, sql } from "drizzle-orm";
import { bound, prepared, rows, runBatch, type Statement } from "../../db/batch";
import type { Db } from "../../db/client";
import { type CredentialKind, credentials, tenants } from "../../db/schema";

export { type CredentialKind, credentialKinds } from "../../db/schema";

import { col, columns } from "../../db/sql";
import { type AuditActor, auditStatement } from "../audit";
import { constantTimeEqual, randomSecret, sha256Hex } from "../crypto";
import { NotFound } from "../errors";

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

/** How long a rotated-out secret keeps working unless the rotation says otherwise, and the most it may. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 3600;
export const MAX_ROTATION_GRACE_SECONDS = 7 * 24 * 3600;

/** The credential the batch inserted last (rows are never deleted, so the newest has the highest id). */
const lastCredentialId = sql<number>`(SELECT max(${credentials.id}) FROM ${credentials})`;

/**
 * Creates a credential; the secret is returned here once and only its hash is stored.
 * It takes the tenant's partner rate limit, in the batch that writes it and its audit entry.
 */
export async function issueCredential(db: Db, tenantId: number, input: { kind: CredentialKind; name?: string }, by: AuditActor): Promise<IssuedCredential> {
  const clientSecret = randomSecret();
  const c = credentials;
  const exists = sql`EXISTS (SELECT 1 FROM ${tenants} WHERE ${tenants.id} = ${tenantId})`;
  const [created] = await runBatch(db, [
    rows<{ id: number }>(sql`INSERT INTO ${c} (${columns(c.tenantId, c.kind, c.name, c.secretHash, c.rateLimit, c.replicaReads, c.createdAt)})
      SELECT ${tenants.id}, ${input.kind}, ${input.name ?? null}, ${await sha256Hex(clientSecret)}, ${tenants.partnerRateLimit}, ${tenants.partnerReplicaReads}, ${Date.now()}
      FROM ${tenants} WHERE ${tenants.id} = ${tenantId} RETURNING ${col(c.id)}`),
    auditStatement(
      by,
      { action: "credential.created", tenantId, target: sql`'credential:' || ${lastCredentialId}`, summary: { kind: input.kind, name: input.name ?? null } },
      exists,
    ),
  ]);
  if (created.length === 0) throw new NotFound("tenant");
  return { clientId: created[0]!.id, clientSecret, kind: input.kind, tenantId };
}

/** A credential's new secret, and until when the one it replaced keeps working. */
export interface RotatedCredential {
  clientId: number;
  clientSecret: string;
  previousValidUntil: number;
}

/**
 * Gives a live credential a new secret; the current one keeps working for `graceSeconds`
 * (0 ends it now), so a partner or kiosk can switch without downtime. Only one previous
 * secret is kept: rotating again during a grace period ends the older secret at once.
 * Tokens already issued are bound to the credential, not to a secret, and keep working;
 * revoking the credential still ends everything immediately. Unknown or revoked -> not_found.
 */
export async function rotateCredential(db: Db, clientId: number, graceSeconds: number, by: AuditActor): Promise<RotatedCredential> {
  const clientSecret = randomSecret();
  const hash = await sha256Hex(clientSecret);
  const previousValidUntil = Date.now() + graceSeconds * 1000;
  const c = credentials;
  const [rotated] = await runBatch(db, [
    rows<{ tenantId: number }>(sql`UPDATE ${c} SET ${col(c.previousSecretHash)} = ${c.secretHash}, ${col(c.previousValidUntil)} = ${previousValidUntil},
        ${col(c.secretHash)} = ${hash}
      WHERE ${c.id} = ${clientId} AND ${c.revokedAt} IS NULL RETURNING ${col(c.tenantId)} AS "tenantId"`),
    auditStatement(
      by,
      {
        action: "credential.rotated",
        tenantId: sql`(SELECT ${c.tenantId} FROM ${c} WHERE ${c.id} = ${clientId})`,
        target: `credential:${clientId}`,
        summary: { graceSeconds, previousValidUntil: new Date(previousValidUntil).toISOString() },
      },
      sql`EXISTS (SELECT 1 FROM ${c} WHERE ${c.id} = ${clientId} AND ${c.secretHash} = ${hash})`,
    ),
  ]);
  if (rotated.length === 0) throw new NotFound("credential");
  return { clientId, clientSecret, previousValidUntil };
}

/** Revokes a credential; its secrets and the tokens issued to it fail their next check. Unknown or already revoked -> not_found. */
export async function revokeCredential(db: Db, clientId: number, by: AuditActor): Promise<void> {
  const now = Date.now();
  const c = credentials;
  const [revoked] = await runBatch(db, [
    rows<{ id: number }>(sql`UPDATE ${c} SET ${col(c.revokedAt)} = ${now} WHERE ${c.id} = ${clientId} AND ${c.revokedAt} IS NULL RETURNING ${col(c.id)}`),
    auditStatement(
      by,
      {
        action: "credential.revoked",
        tenantId: sql`(SELECT ${c.tenantId} FROM ${c} WHERE ${c.id} = ${clientId})`,
        target: `credential:${clientId}`,
        summary: {},
      },
      sql`EXISTS (SELECT 1 FROM ${c} WHERE ${c.id} = ${clientId} AND ${c.revokedAt} = ${now})`,
    ),
  ]);
  if (revoked.length === 0) throw new NotFound("credential");
}

/**
 * True when `secretHash` is the credential's current secret, or its previous one within
 * the grace period (`now` in ms): as SQL, for the look-ups by hash (the lobby's).
 */
export function secretMatches(secretHash: SQLWrapper, now: SQLWrapper) {
  return or(eq(credentials.secretHash, secretHash), and(eq(credentials.previousSecretHash, secretHash), sql`${credentials.previousValidUntil} > ${now}`));
}

/**
 * Checks a client_id + secret pair (OAuth client credentials): the current secret, or
 * the previous one during its grace period. Null when unknown, revoked or wrong.
 */
export async function verifyClientSecret(db: Db, clientId: number, secret: string): Promise<Principal | null> {
  const row = await unrevokedCredential(db).get({ clientId });
  const hash = await sha256Hex(secret);
  // Compare with both hashes even when the row is missing, so timing does not reveal which ids exist or rotated.
  const [current, previous] = await Promise.all([constantTimeEqual(hash, row?.secretHash ?? ""), constantTimeEqual(hash, row?.previousSecretHash ?? "")]);
  const ok = current || (previous && (row?.previousValidUntil ?? 0) > Date.now());
  if (!row || !ok) return null;
  return { tenantId: row.tenantId, credentialId: row.id, kind: row.kind };
}

const unrevokedCredential = prepared((db) =>
  db
    .select()
    .from(credentials)
    .where(and(eq(credentials.id, sql.placeholder("clientId")), isNull(credentials.revokedAt)))
    .prepare(),
);

const liveCredential = prepared((db) =>
  db
    .select({ rateLimit: credentials.rateLimit, replicaReads: credentials.replicaReads })
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

/**
 * The statement that finds the live partner credential of the tenant (checked on every
 * Bearer call: one indexed read, riding in the request's first round trip), with its
 * rate limit (null: the deployment's default) and whether its tenant lets partner reads
 * use replicas; undefined when it is unknown, another tenant's, a kiosk's or revoked.
 */
export function liveCredentialCheck(
  db: Db,
  credentialId: number,
  tenantId: number,
): Statement<{ rateLimit: number | null; replicaReads: boolean } | undefined> {
  const statement = bound(liveCredential(db), { credentialId, tenantId });
  return { query: statement.query, read: (result) => statement.read(result)[0] };
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
