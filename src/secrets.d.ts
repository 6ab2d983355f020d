// Secrets live outside wrangler.toml, so `wrangler types` sees them only when a .dev.vars
// happens to set them. Declared here so the types do not depend on a developer's local file.
interface __BaseEnv_Env {
  ADMIN_TOKEN: string;
  JWT_SECRET: string;
  /** Encrypts webhook signing secrets at rest (README "Configuration"). */
  WEBHOOK_SECRET_KEY: string;
  /** Optional signing keyring; when set it replaces JWT_SECRET (SECURITY.md, "Key rotation"). */
  JWT_KEYS?: string;
}
