-- Loyalty ledger defaults (seed 003), seen by every tenant (tenant_id 0) unless it has
-- its own row of the same name / rank. Tiers are reached by lifetime POINTS earned
-- (hundredths: 100000 = 1,000 points).
INSERT INTO `ledger_types` (`tenant_id`, `name`, `unit`, `direction`, `category`, `title`, `reversal_title`, `set_name`, `earns`, `reversible`, `internal`) VALUES
  (0, 'POINTS COUPON', 'POINTS', 'CREDIT', 'coupon', 'Cupón', 'Reverso de cupón', 'PROMOCIONAL', 1, 1, 0),
  (0, 'POINTS ORDER', 'POINTS', 'CREDIT', 'order', 'Orden', 'Reverso de orden', 'COMPRAS', 1, 1, 0),
  (0, 'POINTS BALANCE', 'POINTS', 'CREDIT', 'balance', 'Saldo', 'Reverso de saldo', 'SALDO', 1, 1, 0),
  (0, 'POINTS REDEEM', 'POINTS', 'DEBIT', 'redeem', 'Canje', 'Reverso de canje', 'CANJE', 0, 1, 0),
  (0, 'BALANCE RELOAD', 'COINS', 'CREDIT', 'reload', 'Recarga', 'Reverso de recarga', 'RECARGAS', 0, 1, 0),
  (0, 'BALANCE REDEEM', 'COINS', 'DEBIT', 'redeem', 'Consumo', 'Reverso de consumo', 'CONSUMO', 0, 1, 0),
  (0, 'BALANCE TRANSFER DEBIT', 'POINTS', 'DEBIT', 'transfer', 'Transferencia', 'Reverso de transferencia', 'TRANSFERENCIA', 0, 0, 0),
  (0, 'POINTS EXPIRATION', 'POINTS', 'DEBIT', 'expiration', 'Expiración de puntos', 'Reverso de expiración', 'EXPIRACION', 0, 0, 1);--> statement-breakpoint
INSERT INTO `ledger_groups` (`tenant_id`, `rank`, `name`, `description`, `min_earned`) VALUES
  (0, 1, 'AMIGO', 'AMIGO', 0),
  (0, 2, 'BUEN AMIGO', 'BUEN AMIGO', 100000);
