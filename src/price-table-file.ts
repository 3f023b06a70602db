/**
 * Loads the price table (src/domain/billing/price-table.ts): the shipped prices.json, or the
 * operator's file named by OPENECS_PRICE_TABLE. Read and checked once at start: a missing,
 * unparsable or malformed file stops the server with a message naming the setting and the field.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePriceTable, PriceTableError, type PriceTable } from './domain/billing/price-table.js';

export const SHIPPED_PRICE_TABLE = fileURLToPath(new URL('./domain/billing/prices.json', import.meta.url));

let shipped: PriceTable | undefined;

export function loadPriceTable(file: string | undefined): PriceTable {
  if (!file && shipped) return shipped;
  const path = file || SHIPPED_PRICE_TABLE;
  const where = file ? `OPENECS_PRICE_TABLE (${path})` : `the shipped price table (${path})`;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${where} cannot be read as JSON: ${(e as Error).message}`);
  }
  try {
    const table = parsePriceTable(raw);
    if (!file) shipped = table;
    return table;
  } catch (e) {
    if (e instanceof PriceTableError) throw new Error(`${where} is not valid: ${e.message}`);
    throw e;
  }
}
