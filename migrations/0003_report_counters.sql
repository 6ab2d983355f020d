CREATE TABLE `report_product_days` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`day` text NOT NULL,
	`store_id` integer DEFAULT 0 NOT NULL,
	`product_id` integer NOT NULL,
	`num_orders` integer DEFAULT 0 NOT NULL,
	`num_products` integer DEFAULT 0 NOT NULL,
	`point_redeemed` integer DEFAULT 0 NOT NULL,
	`point_earned_orders` integer DEFAULT 0 NOT NULL,
	`point_earned_coupons` integer DEFAULT 0 NOT NULL,
	`point_earned_balance` integer DEFAULT 0 NOT NULL,
	`num_redeemed` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `ledger_products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `report_product_days_key` ON `report_product_days` (`tenant_id`,`day`,`store_id`,`product_id`);--> statement-breakpoint
CREATE TABLE `report_store_days` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`day` text NOT NULL,
	`store_id` integer DEFAULT 0 NOT NULL,
	`preregistered_pos` integer DEFAULT 0 NOT NULL,
	`subscribed_after_pos` integer DEFAULT 0 NOT NULL,
	`registered_app` integer DEFAULT 0 NOT NULL,
	`registered_web` integer DEFAULT 0 NOT NULL,
	`referrals` integer DEFAULT 0 NOT NULL,
	`point_earned_orders` integer DEFAULT 0 NOT NULL,
	`point_earned_coupons` integer DEFAULT 0 NOT NULL,
	`point_earned_balance` integer DEFAULT 0 NOT NULL,
	`point_redeemed` integer DEFAULT 0 NOT NULL,
	`point_expired` integer DEFAULT 0 NOT NULL,
	`point_reversed_coupon` integer DEFAULT 0 NOT NULL,
	`point_reversed_order` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `report_store_days_key` ON `report_store_days` (`tenant_id`,`day`,`store_id`);--> statement-breakpoint
ALTER TABLE `ledger_transactions` ADD `channel` text;--> statement-breakpoint
CREATE INDEX `ledger_transactions_tenant` ON `ledger_transactions` (`tenant_id`);--> statement-breakpoint
CREATE INDEX `ledger_transactions_customer_frontend` ON `ledger_transactions` (`customer_id`) WHERE "ledger_transactions"."channel" IN ('web', 'mobile', 'ios', 'android');