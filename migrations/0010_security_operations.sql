CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer,
	`created_at` integer NOT NULL,
	`actor` text NOT NULL,
	`request_id` text NOT NULL,
	`action` text NOT NULL,
	`target` text NOT NULL,
	`summary` text NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_log_tenant` ON `audit_log` (`tenant_id`,`id`);--> statement-breakpoint
CREATE TABLE `consent_history` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`kind` text NOT NULL,
	`granted` integer NOT NULL,
	`channel` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `consent_history_customer` ON `consent_history` (`customer_id`,`id`);--> statement-breakpoint
ALTER TABLE `credentials` ADD `previous_secret_hash` text;--> statement-breakpoint
ALTER TABLE `credentials` ADD `previous_valid_until` integer;--> statement-breakpoint
ALTER TABLE `credentials` ADD `rate_limit` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `credentials_previous_secret_hash` ON `credentials` (`previous_secret_hash`);--> statement-breakpoint
ALTER TABLE `customers` ADD `consent_channel` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `erased_at` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `partner_rate_limit` integer;--> statement-breakpoint
-- Hand-written below (drizzle-kit does not track triggers or data).
-- The audit log is append-only: no statement may change or remove an entry.
CREATE TRIGGER `audit_log_no_update`
BEFORE UPDATE ON `audit_log`
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete`
BEFORE DELETE ON `audit_log`
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;--> statement-breakpoint
-- Consent history: a consent column that gets a value, on insert or when it changes, appends
-- (value, time it was set, channel) in the same statement, whichever surface writes it.
-- Clearing a consent (an erasure) appends nothing.
CREATE TRIGGER `consent_history_on_insert`
AFTER INSERT ON `customers`
WHEN NEW.`consent_whatsapp` IS NOT NULL OR NEW.`consent_email` IS NOT NULL OR NEW.`consent_sms` IS NOT NULL
BEGIN
  INSERT INTO `consent_history` (`tenant_id`, `customer_id`, `kind`, `granted`, `channel`, `created_at`)
  SELECT NEW.`tenant_id`, NEW.`id`, 'whatsapp', NEW.`consent_whatsapp`, coalesce(NEW.`consent_channel`, NEW.`channel`), coalesce(NEW.`consent_whatsapp_at`, NEW.`created_at`)
  WHERE NEW.`consent_whatsapp` IS NOT NULL
  UNION ALL
  SELECT NEW.`tenant_id`, NEW.`id`, 'email', NEW.`consent_email`, coalesce(NEW.`consent_channel`, NEW.`channel`), coalesce(NEW.`consent_email_at`, NEW.`created_at`)
  WHERE NEW.`consent_email` IS NOT NULL
  UNION ALL
  SELECT NEW.`tenant_id`, NEW.`id`, 'sms', NEW.`consent_sms`, coalesce(NEW.`consent_channel`, NEW.`channel`), coalesce(NEW.`consent_sms_at`, NEW.`created_at`)
  WHERE NEW.`consent_sms` IS NOT NULL;
END;--> statement-breakpoint
CREATE TRIGGER `consent_history_on_update`
AFTER UPDATE OF `consent_whatsapp`, `consent_email`, `consent_sms` ON `customers`
WHEN (NEW.`consent_whatsapp` IS NOT NULL AND NEW.`consent_whatsapp` IS NOT OLD.`consent_whatsapp`)
  OR (NEW.`consent_email` IS NOT NULL AND NEW.`consent_email` IS NOT OLD.`consent_email`)
  OR (NEW.`consent_sms` IS NOT NULL AND NEW.`consent_sms` IS NOT OLD.`consent_sms`)
BEGIN
  INSERT INTO `consent_history` (`tenant_id`, `customer_id`, `kind`, `granted`, `channel`, `created_at`)
  SELECT NEW.`tenant_id`, NEW.`id`, 'whatsapp', NEW.`consent_whatsapp`, coalesce(NEW.`consent_channel`, NEW.`channel`), coalesce(NEW.`consent_whatsapp_at`, NEW.`updated_at`)
  WHERE NEW.`consent_whatsapp` IS NOT NULL AND NEW.`consent_whatsapp` IS NOT OLD.`consent_whatsapp`
  UNION ALL
  SELECT NEW.`tenant_id`, NEW.`id`, 'email', NEW.`consent_email`, coalesce(NEW.`consent_channel`, NEW.`channel`), coalesce(NEW.`consent_email_at`, NEW.`updated_at`)
  WHERE NEW.`consent_email` IS NOT NULL AND NEW.`consent_email` IS NOT OLD.`consent_email`
  UNION ALL
  SELECT NEW.`tenant_id`, NEW.`id`, 'sms', NEW.`consent_sms`, coalesce(NEW.`consent_channel`, NEW.`channel`), coalesce(NEW.`consent_sms_at`, NEW.`updated_at`)
  WHERE NEW.`consent_sms` IS NOT NULL AND NEW.`consent_sms` IS NOT OLD.`consent_sms`;
END;--> statement-breakpoint
-- The history starts with the value each customer holds now, at the time it was last changed.
INSERT INTO `consent_history` (`tenant_id`, `customer_id`, `kind`, `granted`, `channel`, `created_at`)
SELECT `tenant_id`, `id`, 'whatsapp', `consent_whatsapp`, `channel`, coalesce(`consent_whatsapp_at`, `updated_at`) FROM `customers` WHERE `consent_whatsapp` IS NOT NULL
UNION ALL
SELECT `tenant_id`, `id`, 'email', `consent_email`, `channel`, coalesce(`consent_email_at`, `updated_at`) FROM `customers` WHERE `consent_email` IS NOT NULL
UNION ALL
SELECT `tenant_id`, `id`, 'sms', `consent_sms`, `channel`, coalesce(`consent_sms_at`, `updated_at`) FROM `customers` WHERE `consent_sms` IS NOT NULL
ORDER BY 6, 2;
