/** The shipped price table as the billing tests read it, and the figures several of them derive from it. */
import { readFileSync } from 'node:fs';
import { SHIPPED_PRICE_TABLE } from '../../src/price-table-file.js';

export const TABLE = JSON.parse(readFileSync(SHIPPED_PRICE_TABLE, 'utf8'));
/** Rounded to 4 decimals, as the meter and the price actions round amounts. */
export const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
/** ecs.g7.large from the table: 2 vCPU, 8 GiB. */
export const G7_LARGE_HOUR = 2 * TABLE.instanceFamilies['ecs.g7'].vcpuHour + 8 * TABLE.instanceFamilies['ecs.g7'].memoryGiBHour;
