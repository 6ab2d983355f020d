import { type Column, getTableName, type SQL, sql } from "drizzle-orm";

/**
 * Helpers for `sql` templates that name the schema's columns. Inside a template a column
 * renders qualified (`"ledger_lots"."remaining"`), which SQLite refuses in INSERT column
 * lists, SET targets and RETURNING; these render its bare name from the same object, so
 * renaming a column in schema.ts still reaches every statement.
 */

/** A column's bare name. */
export function col(column: { name: string }): SQL {
  return sql`${sql.identifier(column.name)}`;
}

/** Bare column names, comma-separated (an INSERT's column list). */
export function columns(...list: { name: string }[]): SQL {
  return sql.join(list.map(col), sql`, `);
}

/**
 * A column always qualified with its table's name. Drizzle prints columns bare in a
 * single-table select, even inside `sql` fragments; a correlated subquery's reference to
 * the outer row must stay qualified, or it would name the subquery's own column.
 */
export function qualified(column: Column): SQL {
  return sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
}
