CREATE INDEX `credentials_tenant` ON `credentials` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `customers_tenant_name` ON `customers` (`tenant_id`,lower("name"),`id`);--> statement-breakpoint
CREATE INDEX `customers_tenant_surname` ON `customers` (`tenant_id`,lower(CASE WHEN "paternal_surname" IS NULL THEN "last_name" ELSE "paternal_surname" END),`id`);--> statement-breakpoint
CREATE INDEX `customers_merged_into` ON `customers` (`merged_into_id`) WHERE "customers"."merged_into_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `identifiers_plate` ON `identifiers` (`tenant_id`,`qualifier`) WHERE "identifiers"."kind" = 'vehicle_tag';