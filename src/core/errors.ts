import type { IdentifierKind } from "../db/schema";

/**
 * Typed domain errors. Core code throws these with the facts of what went wrong and
 * knows nothing of HTTP or of any contract's wording; each surface's envelope turns them
 * into its own status, field and message (src/http/errors.ts maps the default status of
 * each `code` once).
 */
export type DomainErrorCode =
  | "invalid" // the input breaks a rule
  | "rejected" // well-formed, but the request cannot be honoured (e.g. an unsupported grant type)
  | "unauthenticated" // no, bad, expired or revoked credentials
  | "forbidden" // authenticated, but this caller may not do this
  | "not_found" // absent, or another tenant's (never distinguished)
  | "conflict" // a uniqueness or state rule would break
  | "rate_limited"
  | "unavailable" // a dependency or a required setting is missing, or a resource stayed busy
  | "payload_too_large"
  | "malformed_body" // the body is not parseable JSON / form
  | "unsupported_media_type"
  | "method_not_allowed"; // a known path called with a method it does not serve

/** Field name -> messages, in the order the rules were checked (a surface's own vocabulary). */
export type FieldErrors = Record<string, string[]>;

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  override name = "DomainError";
}

/** What a request was about, when it is absent (or another tenant's: never distinguished). */
export type Entity = "customer" | "transaction" | "tenant" | "credential" | "tiers" | "event" | "webhook_endpoint";

export class NotFound extends DomainError {
  readonly code = "not_found";
  constructor(readonly entity: Entity) {
    super(`${entity} not found`);
  }
}

/**
 * An identifier that cannot go where the request wants it: `value` is already held by
 * another customer (`holderId`, when the caller may learn it), or names a different
 * customer than the request's other identifiers (`against`: the kind that named the
 * other one).
 */
export class IdentifierConflict extends DomainError {
  readonly code = "conflict";
  constructor(
    readonly kind: IdentifierKind,
    readonly detail: { value?: string; holderId?: number; against?: IdentifierKind } = {},
  ) {
    super(`${kind} conflicts with the registry`);
  }
}

/**
 * The customer a request's `kind` names is not the one it says: the matched customer
 * holds another value of the kind (a different document), or the customer id the request
 * also gave (`customerId`) is not the holder of `value`.
 */
export class IdentifierMismatch extends DomainError {
  readonly code = "invalid";
  constructor(
    readonly kind: IdentifierKind,
    readonly detail: { value?: string; customerId?: number } = {},
  ) {
    super(`${kind} does not match the customer`);
  }
}

/** The customer an identifier names has been deactivated; `party` says which of the request's customers. */
export class CustomerInactive extends DomainError {
  readonly code = "invalid";
  constructor(
    readonly kind: IdentifierKind,
    readonly party: Party = "customer",
  ) {
    super(`the customer named by ${kind} is inactive`);
  }
}

/** Which customer of a request an error is about: the only one, or either side of a transfer. */
export type Party = "customer" | "sender" | "receiver";

/** A vehicle tag cannot be bound: `holderId` already holds it, or holds its one allowed active tag. */
export class TagActive extends DomainError {
  readonly code = "conflict";
  constructor(readonly holderId: number) {
    super(`customer ${holderId} holds an active tag`);
  }
}

/** Which ledger operation a request ran. */
export type LedgerOperation = "transaction" | "checkbook" | "voucher" | "transfer" | "reversal";

/** A debit the party's balance does not cover (a reversal: taking back a credit whose points were spent). */
export class Overdraft extends DomainError {
  readonly code = "invalid";
  constructor(
    readonly party: Party,
    readonly operation: LedgerOperation,
    readonly detail: { listed?: boolean } = {},
  ) {
    super(`the ${party}'s balance does not cover the ${operation}`);
  }
}

/**
 * A business rule the request breaks, with the rule's name and, where the request lists
 * items, the index of the offending one.
 */
export type Rule =
  | "unknown_ledger_type" // not in the tenant's catalogue, internal, or the wrong kind for the operation
  | "code_reused" // (type, code) already names a different transaction
  | "not_reversible" // the type's transactions cannot be reversed
  | "unknown_transaction" // an item of a batch names no transaction
  | "already_reversed"
  | "listed_twice"
  | "same_party" // a transfer to oneself
  | "one_tag_only" // a customer that is not unlimited asks for several tags
  | "too_many_rows" // a report range holds more rows than one answer may carry
  | "unknown_time_zone"
  | "self_merge"
  | "already_merged"
  | "too_many_webhook_endpoints"; // the tenant holds `limit` endpoints already

export class RuleViolation extends DomainError {
  readonly code = "invalid";
  constructor(
    readonly rule: Rule,
    /** `index`: the offending item, in a request that `listed` several; `limit`: the bound that was passed. */
    readonly detail: { index?: number; listed?: boolean; limit?: number } = {},
  ) {
    super(`rule ${rule} violated`);
  }
}

/** A resource stayed busy (a card or tag lock, a registration race, a ledger that kept changing): try again. */
export class Busy extends DomainError {
  readonly code = "unavailable";
  constructor(readonly resource: "card" | "tag" | "registration" | "ledger") {
    super(`${resource} busy`);
  }
}

/**
 * A webhook endpoint URL ficha will not call: not https (`scheme`), credentials in it,
 * an IP literal in a private, loopback or link-local range (`private_address`), a local
 * host name, or not a URL at all.
 */
export class UnsafeUrl extends DomainError {
  readonly code = "invalid";
  constructor(readonly reason: "malformed" | "scheme" | "credentials" | "private_address" | "local_host") {
    super(`unsafe url: ${reason}`);
  }
}

/** A deployment setting the operation needs is missing (a secret not set). */
export class NotConfigured extends DomainError {
  readonly code = "unavailable";
  constructor(readonly setting: string) {
    super(`${setting} is not configured`);
  }
}
