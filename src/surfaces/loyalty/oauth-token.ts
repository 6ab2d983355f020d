import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import { verifyClientSecret } from "../../core/credentials";
import { DomainError } from "../../core/errors";
import { issueAccessToken } from "../../core/tokens";
import type { AppEnv } from "../../http/app-env";
import { clientIp, enforceRateLimitFailOpen } from "../../http/rate-limit";
import { loyaltyErrors } from "./envelope";

const TokenRequest = z
  .object({
    grant_type: z.string().max(64).openapi({ example: "client_credentials" }),
    client_id: z
      .union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,15}$/).transform(Number)], {
        error: "The client_id field must be a number.",
      })
      .optional()
      .openapi({ type: "number", example: 1 }),
    client_secret: z.string().max(512).optional().openapi({ example: "ghVW0PVbKRRBCo8uRt..." }),
  })
  .openapi("TokenRequest", {
    example: { grant_type: "client_credentials", client_id: 1, client_secret: "ghVW0PVbKRRBCo8uRt..." },
  });

const TokenResponse = z
  .object({
    token_type: z.literal("Bearer"),
    expires_in: z.number().int().openapi({ example: 31536000 }),
    access_token: z.string().openapi({ example: "yJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsImp0aSI6Ij..." }),
  })
  .openapi("TokenResponse");

export const oauthTokenRoute = createRoute({
  method: "post",
  path: "/oauth/token",
  tags: ["Loyalty: OAuth2"],
  summary: "Obtener token de acceso (client credentials)",
  description: [
    "Trades a partner credential for a Bearer token (HS256 JWT, lifetime TOKEN_TTL_SECONDS, default one year as the seed shows).",
    "Accepted exactly as seed 003 shows (JSON body with numeric `client_id`) and as RFC 6749 clients send it:",
    "`application/x-www-form-urlencoded` bodies and HTTP Basic client authentication (`Authorization: Basic base64(client_id:client_secret)`).",
    "Using Basic and body credentials together is refused (400).",
    "Wrong secret, unknown or revoked credential, or a kiosk credential -> 401 (`error: [\"invalid_client\"]`);",
    "a grant type other than `client_credentials` -> 400 (`error: [\"unsupported_grant_type\"]`).",
    "Failed attempts are limited per client IP (OAUTH_FAILURE_LIMIT per OAUTH_FAILURE_WINDOW_SECONDS) -> 429 with Retry-After; the limiter is a brake on guessing, not a gate: if it cannot be reached, tokens are still issued.",
    "Revoking the credential (`DELETE /admin/credentials/{client_id}`) stops its tokens immediately.",
  ].join(" "),
  request: {
    body: {
      content: { "application/json": { schema: TokenRequest }, "application/x-www-form-urlencoded": { schema: TokenRequest } },
      required: false,
    },
  },
  responses: {
    200: { description: "Token issued.", content: { "application/json": { schema: TokenResponse } } },
    ...loyaltyErrors({
      400: "Unsupported grant type, or two client authentication methods at once.",
      401: "Invalid client credentials.",
      413: "Body too large.",
      415: "Content type is neither JSON nor form-encoded.",
      422: "Missing or ill-typed fields (Error de Validacion).",
      429: "Too many failed attempts from this IP.",
    }),
  },
});

export const oauthToken: RouteHandler<typeof oauthTokenRoute, AppEnv> = async (c) => {
  const isForm = /^application\/x-www-form-urlencoded/i.test(c.req.header("content-type") ?? "");
  const body = isForm ? c.req.valid("form") : c.req.valid("json");
  const basic = basicCredentials(c.req.header("authorization"));

  const failureRule = {
    key: `oauth-failures:${clientIp(c)}`,
    limit: Number(c.env.OAUTH_FAILURE_LIMIT),
    windowSeconds: Number(c.env.OAUTH_FAILURE_WINDOW_SECONDS),
  };
  await enforceRateLimitFailOpen(c, { ...failureRule, cost: 0 });

  if (body.grant_type === undefined) throw new DomainError("invalid", "Invalid input", { grant_type: ["The grant_type field is required."] });
  if (basic && (body.client_id !== undefined || body.client_secret !== undefined)) {
    throw oauthError(400, "invalid_request", "Use one client authentication method: HTTP Basic or body parameters, not both.");
  }
  const clientId = basic ? basic.clientId : body.client_id;
  const clientSecret = basic ? basic.clientSecret : body.client_secret;
  if (!basic) {
    const missing: Record<string, string[]> = {};
    if (clientId === undefined) missing.client_id = ["The client_id field is required."];
    if (clientSecret === undefined) missing.client_secret = ["The client_secret field is required."];
    if (Object.keys(missing).length > 0) throw new DomainError("invalid", "Invalid input", missing);
  }
  if (body.grant_type !== "client_credentials") {
    throw oauthError(400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.");
  }

  const principal = clientId === undefined || clientSecret === undefined ? null : await verifyClientSecret(c.get("db"), clientId, clientSecret);
  if (!principal || principal.kind !== "partner") {
    await enforceRateLimitFailOpen(c, failureRule);
    if (basic) c.header("WWW-Authenticate", 'Basic realm="ficha"');
    throw oauthError(401, "invalid_client", "Client authentication failed");
  }

  const ttl = Number(c.env.TOKEN_TTL_SECONDS);
  const accessToken = await issueAccessToken(principal, c.env.JWT_SECRET, ttl);
  c.header("Cache-Control", "no-store");
  c.header("Pragma", "no-cache");
  return c.json({ token_type: "Bearer" as const, expires_in: ttl, access_token: accessToken }, 200);
};

function oauthError(status: 400 | 401, oauthError: string, message: string): DomainError {
  return new DomainError(status === 401 ? "unauthenticated" : "rejected", message, {}, { oauthError });
}

/** Client id and secret from `Authorization: Basic`, form-urlencoded inside base64 (RFC 6749 §2.3.1). */
function basicCredentials(header: string | undefined): { clientId: number | undefined; clientSecret: string } | null {
  const encoded = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header ?? "")?.[1];
  if (!encoded) return null;
  let decoded: string;
  try {
    decoded = atob(encoded);
  } catch {
    return { clientId: undefined, clientSecret: "" };
  }
  const colon = decoded.indexOf(":");
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replaceAll("+", " "));
    } catch {
      return "";
    }
  };
  const id = decode(colon < 0 ? decoded : decoded.slice(0, colon));
  const clientId = /^\d{1,15}$/.test(id) ? Number(id) : undefined;
  return { clientId, clientSecret: colon < 0 ? "" : decode(decoded.slice(colon + 1)) };
}
