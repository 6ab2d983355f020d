-- Sales surface catalogues (seed 004): client types and document types.
INSERT INTO `sales_client_types` (`id`, `name`) VALUES (1, 'Persona Natural'), (2, 'Persona Jurídica');--> statement-breakpoint
INSERT INTO `sales_document_types` (`id`, `code`, `name`) VALUES
  (1, 'CC', 'Cédula de Ciudadanía'),
  (2, 'NIT', 'Número de Identificación Tributaria'),
  (3, 'CE', 'Cédula de Extranjería'),
  (4, 'PASAPORTE', 'Pasaporte'),
  (5, 'OTRO', 'Otro');
