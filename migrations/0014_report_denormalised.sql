ALTER TABLE `report_product_days` ADD `store_name` text;--> statement-breakpoint
ALTER TABLE `report_product_days` ADD `product_code` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `report_product_days_report` ON `report_product_days` (`tenant_id`,`day`,"store_name" IS NULL,`store_name`,`store_id`,`product_code`);--> statement-breakpoint
ALTER TABLE `report_store_days` ADD `store_name` text;--> statement-breakpoint
CREATE INDEX `report_store_days_report` ON `report_store_days` (`tenant_id`,`day`,"store_name" IS NULL,`store_name`,`store_id`);--> statement-breakpoint
-- What a report prints of a counter row's store and product, copied when the row is
-- inserted (by a posting's upsert or by the rebuild), so a report reads no store or product
-- row. Stores and products keep the first name seen, so the copy never goes stale.
CREATE TRIGGER `report_store_days_named`
AFTER INSERT ON `report_store_days`
WHEN NEW.`store_id` <> 0
BEGIN
  UPDATE `report_store_days`
  SET `store_name` = (SELECT coalesce(`name`, `external_id`) FROM `ledger_stores` WHERE `id` = NEW.`store_id` AND `tenant_id` = NEW.`tenant_id`)
  WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `report_product_days_named`
AFTER INSERT ON `report_product_days`
BEGIN
  UPDATE `report_product_days`
  SET `store_name` = (SELECT coalesce(`name`, `external_id`) FROM `ledger_stores` WHERE `id` = NEW.`store_id` AND `tenant_id` = NEW.`tenant_id`),
      `product_code` = (SELECT `external_id` FROM `ledger_products` WHERE `id` = NEW.`product_id` AND `tenant_id` = NEW.`tenant_id`)
  WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
UPDATE `report_store_days`
SET `store_name` = (SELECT coalesce(`name`, `external_id`) FROM `ledger_stores` WHERE `ledger_stores`.`id` = `report_store_days`.`store_id` AND `ledger_stores`.`tenant_id` = `report_store_days`.`tenant_id`)
WHERE `store_id` <> 0;--> statement-breakpoint
UPDATE `report_product_days`
SET `store_name` = (SELECT coalesce(`name`, `external_id`) FROM `ledger_stores` WHERE `ledger_stores`.`id` = `report_product_days`.`store_id` AND `ledger_stores`.`tenant_id` = `report_product_days`.`tenant_id`),
    `product_code` = (SELECT `external_id` FROM `ledger_products` WHERE `ledger_products`.`id` = `report_product_days`.`product_id` AND `ledger_products`.`tenant_id` = `report_product_days`.`tenant_id`);
