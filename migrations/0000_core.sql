CREATE TABLE `cards` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`kind` text NOT NULL,
	`uid` text NOT NULL,
	`plate` text,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer NOT NULL,
	`status_changed_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cards_tenant_active_uid` ON `cards` (`tenant_id`,`kind`,`uid`) WHERE "cards"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX `cards_tenant_rfid_uid` ON `cards` (`tenant_id`,`uid`) WHERE "cards"."kind" = 'rfid';--> statement-breakpoint
CREATE INDEX `cards_customer` ON `cards` (`customer_id`,`kind`,`status`);--> statement-breakpoint
CREATE TABLE `credentials` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`kind` text NOT NULL,
	`name` text,
	`secret_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `credentials_secret_hash` ON `credentials` (`secret_hash`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`channel` text NOT NULL,
	`name` text,
	`last_name` text,
	`paternal_surname` text,
	`maternal_surname` text,
	`document_type` text,
	`document_number` text,
	`email` text,
	`phone` text,
	`address` text,
	`birth_date` text,
	`sex` integer,
	`ubigeo` text,
	`client_type` text,
	`contact_person` text,
	`client_code` text,
	`vlt_code` integer,
	`parking_ref_id` text,
	`parking_unlimited` integer,
	`loyalty_external_id` text,
	`loyalty_data` text,
	`sales_client_type_id` integer,
	`sales_document_type_id` integer,
	`consent_whatsapp` integer,
	`consent_whatsapp_at` integer,
	`consent_email` integer,
	`consent_email_at` integer,
	`consent_sms` integer,
	`consent_sms_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `customers_tenant_active_id` ON `customers` (`tenant_id`,`active`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `customers_tenant_document` ON `customers` (`tenant_id`,`document_number`) WHERE "customers"."active" = 1 AND "customers"."document_number" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `customers_tenant_client_code` ON `customers` (`tenant_id`,`client_code`) WHERE "customers"."active" = 1 AND "customers"."client_code" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `customers_tenant_vlt_code` ON `customers` (`tenant_id`,`vlt_code`) WHERE "customers"."vlt_code" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `customers_tenant_parking_ref` ON `customers` (`tenant_id`,`parking_ref_id`) WHERE "customers"."parking_ref_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `customers_tenant_loyalty_external` ON `customers` (`tenant_id`,`loyalty_external_id`) WHERE "customers"."loyalty_external_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `ledger_accounts` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`unit` text NOT NULL,
	`balance` integer DEFAULT 0 NOT NULL,
	`earned` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "ledger_accounts_balance_non_negative" CHECK("ledger_accounts"."balance" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_accounts_customer_unit` ON `ledger_accounts` (`customer_id`,`unit`);--> statement-breakpoint
CREATE TABLE `ledger_groups` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer DEFAULT 0 NOT NULL,
	`rank` integer NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`min_earned` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_groups_tenant_rank` ON `ledger_groups` (`tenant_id`,`rank`);--> statement-breakpoint
CREATE TABLE `ledger_lot_movements` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`transaction_id` integer NOT NULL,
	`lot_id` integer NOT NULL,
	`amount` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`transaction_id`) REFERENCES `ledger_transactions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lot_id`) REFERENCES `ledger_lots`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ledger_lot_movements_transaction` ON `ledger_lot_movements` (`transaction_id`);--> statement-breakpoint
CREATE TABLE `ledger_lots` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`account_id` integer NOT NULL,
	`transaction_id` integer NOT NULL,
	`amount` integer NOT NULL,
	`remaining` integer NOT NULL,
	`expires_at` integer,
	`expired` integer DEFAULT 0 NOT NULL,
	`set_name` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `ledger_accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`transaction_id`) REFERENCES `ledger_transactions`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "ledger_lots_remaining_in_range" CHECK("ledger_lots"."remaining" >= 0 AND "ledger_lots"."remaining" <= "ledger_lots"."amount")
);
--> statement-breakpoint
CREATE INDEX `ledger_lots_account_open` ON `ledger_lots` (`account_id`,`expires_at`,`id`) WHERE "ledger_lots"."remaining" > 0;--> statement-breakpoint
CREATE INDEX `ledger_lots_due` ON `ledger_lots` (`expires_at`) WHERE "ledger_lots"."remaining" > 0 AND "ledger_lots"."expires_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `ledger_lots_transaction` ON `ledger_lots` (`transaction_id`);--> statement-breakpoint
CREATE TABLE `ledger_order_lines` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`transaction_id` integer NOT NULL,
	`product_id` integer NOT NULL,
	`total` integer NOT NULL,
	`earned_redeemed` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`transaction_id`) REFERENCES `ledger_transactions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `ledger_products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ledger_order_lines_transaction` ON `ledger_order_lines` (`transaction_id`);--> statement-breakpoint
CREATE TABLE `ledger_products` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`external_id` text NOT NULL,
	`name` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_products_tenant_external` ON `ledger_products` (`tenant_id`,`external_id`);--> statement-breakpoint
CREATE TABLE `ledger_stores` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`external_id` text NOT NULL,
	`name` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_stores_tenant_external` ON `ledger_stores` (`tenant_id`,`external_id`);--> statement-breakpoint
CREATE TABLE `ledger_transactions` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`customer_seq` integer NOT NULL,
	`account_id` integer NOT NULL,
	`unit` text NOT NULL,
	`direction` text NOT NULL,
	`amount` integer NOT NULL,
	`type` text NOT NULL,
	`category` text NOT NULL,
	`code` text,
	`external_id` text,
	`title` text NOT NULL,
	`partner_title` text,
	`description` text,
	`store_id` integer,
	`vendor_id` integer,
	`checkbook_id` text,
	`transfer_transaction_id` text,
	`counterpart_id` integer,
	`reverses_id` integer,
	`order_total` integer,
	`earned_redeemed` integer,
	`request_hash` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `ledger_accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`store_id`) REFERENCES `ledger_stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`vendor_id`) REFERENCES `ledger_vendors`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "ledger_transactions_amount_non_negative" CHECK("ledger_transactions"."amount" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_transactions_tenant_type_code` ON `ledger_transactions` (`tenant_id`,`type`,`code`) WHERE "ledger_transactions"."code" IS NOT NULL AND "ledger_transactions"."reverses_id" IS NULL AND "ledger_transactions"."counterpart_id" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_transactions_reverses` ON `ledger_transactions` (`reverses_id`) WHERE "ledger_transactions"."reverses_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_transactions_customer_seq` ON `ledger_transactions` (`customer_id`,`customer_seq`);--> statement-breakpoint
CREATE INDEX `ledger_transactions_customer_created` ON `ledger_transactions` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `ledger_types` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer DEFAULT 0 NOT NULL,
	`name` text NOT NULL,
	`unit` text NOT NULL,
	`direction` text NOT NULL,
	`category` text NOT NULL,
	`title` text NOT NULL,
	`reversal_title` text NOT NULL,
	`set_name` text NOT NULL,
	`earns` integer DEFAULT false NOT NULL,
	`reversible` integer DEFAULT true NOT NULL,
	`internal` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_types_tenant_name` ON `ledger_types` (`tenant_id`,`name`);--> statement-breakpoint
CREATE TABLE `ledger_vendors` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`external_id` text NOT NULL,
	`name` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_vendors_tenant_external` ON `ledger_vendors` (`tenant_id`,`external_id`);--> statement-breakpoint
CREATE TABLE `sales` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`apartment` text NOT NULL,
	`amount` integer NOT NULL,
	`kind` text NOT NULL,
	`date` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sales_customer` ON `sales` (`tenant_id`,`customer_id`,`id`);--> statement-breakpoint
CREATE TABLE `sales_client_types` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sales_document_types` (
	`id` integer PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`active_customers` integer DEFAULT 0 NOT NULL,
	`points_lifetime_days` integer DEFAULT 365 NOT NULL,
	`created_at` integer NOT NULL
);
