-- The tenant's customer counters follow every write to `customers`, whichever surface
-- makes it, in the same statement (so in the same batch): no write path can forget them.
-- `active_customers` was kept by explicit statements until now and is already right;
-- `documented_customers` is new and is filled from the table once.
UPDATE `tenants` SET `documented_customers` = (
  SELECT COUNT(*) FROM `customers`
  WHERE `customers`.`tenant_id` = `tenants`.`id` AND `customers`.`active` = 1 AND `customers`.`document_number` IS NOT NULL
);--> statement-breakpoint
CREATE TRIGGER `customers_counted_on_insert`
AFTER INSERT ON `customers`
WHEN NEW.`active` = 1
BEGIN
  UPDATE `tenants`
  SET `active_customers` = `active_customers` + 1,
      `documented_customers` = `documented_customers` + (NEW.`document_number` IS NOT NULL)
  WHERE `id` = NEW.`tenant_id`;
END;--> statement-breakpoint
CREATE TRIGGER `customers_counted_on_update`
AFTER UPDATE OF `active`, `document_number` ON `customers`
WHEN OLD.`active` IS NOT NEW.`active` OR OLD.`document_number` IS NOT NEW.`document_number`
BEGIN
  UPDATE `tenants`
  SET `active_customers` = `active_customers` + (NEW.`active` = 1) - (OLD.`active` = 1),
      `documented_customers` = `documented_customers`
        + (NEW.`active` = 1 AND NEW.`document_number` IS NOT NULL)
        - (OLD.`active` = 1 AND OLD.`document_number` IS NOT NULL)
  WHERE `id` = NEW.`tenant_id`;
END;
