import { z } from "zod";
import type { Res } from "./client";

export type Surface = "kiosk" | "clients" | "parking" | "loyalty" | "sales" | "admin" | "v1" | "platform";

const fieldErrors = z.record(z.string().min(1), z.array(z.string().min(1)).min(1));
const laravel = (status: number) =>
  status === 422 ? z.strictObject({ message: z.string().min(1), errors: fieldErrors }) : z.strictObject({ message: z.string().min(1) });

/** Each surface's error body, exactly (no extra keys), for a given status. */
const errorShapes: Record<Surface, (status: number) => z.ZodType> = {
  kiosk: laravel,
  sales: laravel,
  clients: (status) =>
    z.strictObject({
      success: z.literal(false),
      code: z.literal(status),
      message: z.string().min(1),
      data: z.null(),
      ...(status === 422 ? { errors: z.record(z.string(), z.array(z.string().min(1)).min(1)) } : {}),
    }),
  parking: (status) =>
    status === 401
      ? z.strictObject({ statusCode: z.literal(401), message: z.literal("Unauthorized") })
      : z.strictObject({
          statusCode: z.literal(status),
          message: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
          error: z.string().min(1),
        }),
  loyalty: (status) =>
    z.strictObject({
      code: z.literal(status),
      status: z.literal("error"),
      message: z.string().min(1),
      warning: z.union([z.array(z.never()), z.strictObject({ code: z.string(), field: z.string().min(1), value: z.string().min(1) })]),
      error: z.array(z.string()),
    }),
  admin: () => z.strictObject({ code: z.string().min(1), message: z.string().min(1), errors: fieldErrors.optional() }),
  v1: () => z.strictObject({ code: z.string().min(1), message: z.string().min(1), errors: fieldErrors.optional() }),
  // The app's own routes (/health): its 404 and 500 bodies.
  platform: () => z.strictObject({ code: z.string().min(1), message: z.string().min(1) }),
};

/**
 * Whether the surface's legacy framework serves `/path/` like `/path` (Laravel, Express);
 * the others (Spring Boot 3, the operator API) answer it as an unknown path, in their own envelope.
 */
export const servesTrailingSlash: Record<Surface, boolean> = {
  kiosk: true,
  clients: false,
  parking: true,
  loyalty: true,
  sales: true,
  admin: false,
  v1: false,
  platform: false,
};

/** Null when `res` is an error in the surface's own envelope; otherwise what is wrong with it. */
export function envelopeProblem(surface: Surface, res: Res): string | null {
  if (res.status < 400) return `not an error: ${res.status}`;
  if (!/^application\/json/.test(res.headers.get("content-type") ?? "")) return `content-type ${res.headers.get("content-type")}`;
  const parsed = errorShapes[surface](res.status).safeParse(res.body);
  return parsed.success ? null : `${res.status} ${res.text.slice(0, 300)} :: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`;
}
