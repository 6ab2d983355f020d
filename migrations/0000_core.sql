CREATE TABLE `cards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
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
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
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
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
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
CREATE TABLE `sales` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
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
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`active_customers` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
