CREATE TABLE `identifiers` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`qualifier` text,
	`status` text DEFAULT 'active' NOT NULL,
	`exclusive` integer,
	`created_at` integer NOT NULL,
	`status_changed_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `identifiers_value` ON `identifiers` (`tenant_id`,`kind`,`value`,`exclusive`);--> statement-breakpoint
CREATE INDEX `identifiers_customer` ON `identifiers` (`customer_id`,`status`,`kind`);--> statement-breakpoint
-- Data: every key a surface finds a customer by becomes an identifier row. Cards keep
-- their ids (parking partners hold tag ids). Keys that a deleted customer gave up (its
-- document, client code and vehicle tags) are released; the rest stay claimed by it.
DROP TRIGGER `customers_deactivated_cancel_cards`;--> statement-breakpoint
DROP TRIGGER `customers_counted_on_insert`;--> statement-breakpoint
DROP TRIGGER `customers_counted_on_update`;--> statement-breakpoint
INSERT INTO `identifiers` (`id`, `tenant_id`, `customer_id`, `kind`, `value`, `qualifier`, `status`, `exclusive`, `created_at`, `status_changed_at`)
SELECT `id`, `tenant_id`, `customer_id`, CASE `kind` WHEN 'rfid' THEN 'rfid_card' ELSE 'vehicle_tag' END, `uid`, `plate`, `status`,
  CASE WHEN `kind` = 'rfid' OR `status` = 'active' THEN 1 END, `created_at`, `status_changed_at`
FROM `cards` ORDER BY `id`;--> statement-breakpoint
INSERT INTO `identifiers` (`tenant_id`, `customer_id`, `kind`, `value`, `qualifier`, `status`, `exclusive`, `created_at`, `status_changed_at`)
SELECT `tenant_id`, `id`, 'document', `document_number`, `document_type`, CASE WHEN `active` = 1 THEN 'active' ELSE 'cancelled' END,
  CASE WHEN `active` = 1 THEN 1 END, `created_at`, `updated_at`
FROM `customers` WHERE `document_number` IS NOT NULL ORDER BY `id`;--> statement-breakpoint
INSERT INTO `identifiers` (`tenant_id`, `customer_id`, `kind`, `value`, `status`, `exclusive`, `created_at`, `status_changed_at`)
SELECT `tenant_id`, `id`, 'client_code', `client_code`, CASE WHEN `active` = 1 THEN 'active' ELSE 'cancelled' END,
  CASE WHEN `active` = 1 THEN 1 END, `created_at`, `updated_at`
FROM `customers` WHERE `client_code` IS NOT NULL ORDER BY `id`;--> statement-breakpoint
INSERT INTO `identifiers` (`tenant_id`, `customer_id`, `kind`, `value`, `status`, `exclusive`, `created_at`, `status_changed_at`)
SELECT `tenant_id`, `id`, 'vlt_code', CAST(`vlt_code` AS TEXT), 'active', 1, `created_at`, `created_at`
FROM `customers` WHERE `vlt_code` IS NOT NULL ORDER BY `id`;--> statement-breakpoint
INSERT INTO `identifiers` (`tenant_id`, `customer_id`, `kind`, `value`, `status`, `exclusive`, `created_at`, `status_changed_at`)
SELECT `tenant_id`, `id`, 'parking_ref', `parking_ref_id`, 'active', 1, `created_at`, `created_at`
FROM `customers` WHERE `parking_ref_id` IS NOT NULL ORDER BY `id`;--> statement-breakpoint
INSERT INTO `identifiers` (`tenant_id`, `customer_id`, `kind`, `value`, `status`, `exclusive`, `created_at`, `status_changed_at`)
SELECT `tenant_id`, `id`, 'loyalty_id', `loyalty_external_id`, 'active', 1, `created_at`, `created_at`
FROM `customers` WHERE `loyalty_external_id` IS NOT NULL ORDER BY `id`;--> statement-breakpoint
DROP TABLE `cards`;--> statement-breakpoint
DROP INDEX `customers_tenant_document`;--> statement-breakpoint
DROP INDEX `customers_tenant_client_code`;--> statement-breakpoint
DROP INDEX `customers_tenant_vlt_code`;--> statement-breakpoint
DROP INDEX `customers_tenant_parking_ref`;--> statement-breakpoint
DROP INDEX `customers_tenant_loyalty_external`;--> statement-breakpoint
ALTER TABLE `customers` ADD `merged_into_id` integer;--> statement-breakpoint
ALTER TABLE `customers` DROP COLUMN `document_type`;--> statement-breakpoint
ALTER TABLE `customers` DROP COLUMN `document_number`;--> statement-breakpoint
ALTER TABLE `customers` DROP COLUMN `client_code`;--> statement-breakpoint
ALTER TABLE `customers` DROP COLUMN `vlt_code`;--> statement-breakpoint
ALTER TABLE `customers` DROP COLUMN `parking_ref_id`;--> statement-breakpoint
ALTER TABLE `customers` DROP COLUMN `loyalty_external_id`;--> statement-breakpoint
ALTER TABLE `ledger_transactions` ADD `registered_channel` text;--> statement-breakpoint
-- The entry that registered each ledger-created customer (its first), for the reports' registration counts.
UPDATE `ledger_transactions` SET `registered_channel` = (SELECT `channel` FROM `customers` WHERE `customers`.`id` = `ledger_transactions`.`customer_id`)
WHERE `customer_seq` = 1
  AND (SELECT `channel` FROM `customers` WHERE `customers`.`id` = `ledger_transactions`.`customer_id`) IN ('loyalty', 'web', 'mobile', 'ios', 'android');--> statement-breakpoint
-- The tenant's counters follow every write, whichever surface makes it, in the same
-- statement (so in the same batch): active customers by the customers table, documents
-- listed by the sales surface (values with a primary holder) by the identifiers table.
CREATE TRIGGER `customers_counted_on_insert`
AFTER INSERT ON `customers`
WHEN NEW.`active` = 1
BEGIN
  UPDATE `tenants` SET `active_customers` = `active_customers` + 1 WHERE `id` = NEW.`tenant_id`;
END;--> statement-breakpoint
CREATE TRIGGER `customers_counted_on_update`
AFTER UPDATE OF `active` ON `customers`
WHEN OLD.`active` IS NOT NEW.`active`
BEGIN
  UPDATE `tenants` SET `active_customers` = `active_customers` + (NEW.`active` = 1) - (OLD.`active` = 1) WHERE `id` = NEW.`tenant_id`;
END;--> statement-breakpoint
CREATE TRIGGER `documents_counted_on_insert`
AFTER INSERT ON `identifiers`
WHEN NEW.`kind` = 'document' AND NEW.`exclusive` = 1
BEGIN
  UPDATE `tenants` SET `documented_customers` = `documented_customers` + 1 WHERE `id` = NEW.`tenant_id`;
END;--> statement-breakpoint
CREATE TRIGGER `documents_counted_on_update`
AFTER UPDATE OF `exclusive` ON `identifiers`
WHEN NEW.`kind` = 'document' AND OLD.`exclusive` IS NOT NEW.`exclusive`
BEGIN
  UPDATE `tenants` SET `documented_customers` = `documented_customers` + (NEW.`exclusive` IS 1) - (OLD.`exclusive` IS 1) WHERE `id` = NEW.`tenant_id`;
END;--> statement-breakpoint
-- A value's exclusive holder that lets go hands the value to its oldest active holder.
-- Only shared kinds ever have other active holders of a value, so this is a no-op for the rest.
CREATE TRIGGER `identifiers_promote_next_holder`
AFTER UPDATE OF `exclusive` ON `identifiers`
WHEN OLD.`exclusive` = 1 AND NEW.`exclusive` IS NULL
BEGIN
  UPDATE `identifiers` SET `exclusive` = 1
  WHERE `id` = (
    SELECT min(`id`) FROM `identifiers`
    WHERE `tenant_id` = NEW.`tenant_id` AND `kind` = NEW.`kind` AND `value` = NEW.`value` AND `status` = 'active' AND `exclusive` IS NULL
  );
END;--> statement-breakpoint
UPDATE `tenants` SET
  `active_customers` = (SELECT COUNT(*) FROM `customers` WHERE `customers`.`tenant_id` = `tenants`.`id` AND `customers`.`active` = 1),
  `documented_customers` = (SELECT COUNT(*) FROM `identifiers` WHERE `identifiers`.`tenant_id` = `tenants`.`id` AND `identifiers`.`kind` = 'document' AND `identifiers`.`exclusive` = 1);