ALTER TABLE `credentials` ADD `replica_reads` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `partner_replica_reads` integer DEFAULT false NOT NULL;