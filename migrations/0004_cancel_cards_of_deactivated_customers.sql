-- A customer soft-deleted on any surface (active 1 -> 0) gives up its cards and tags in
-- the same statement, so a deleted customer's vehicle tag codes can be bound again and
-- no card of theirs stays active. The card rows stay (an RFID UID is never reused).
CREATE TRIGGER `customers_deactivated_cancel_cards`
AFTER UPDATE OF `active` ON `customers`
WHEN OLD.`active` = 1 AND NEW.`active` = 0
BEGIN
  UPDATE `cards` SET `status` = 'cancelled', `status_changed_at` = NEW.`updated_at`
  WHERE `customer_id` = NEW.`id` AND `tenant_id` = NEW.`tenant_id` AND `status` = 'active';
END;
