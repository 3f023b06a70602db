/**
 * Pages of the instance listing at a cost that does not grow with the store.
 *
 * Counting the matching rows (TotalCount) and skipping to a deep PageNumber both walk every
 * earlier entry of the listing index: ~25 ms each at 100,000 instances. Between two writes both
 * answers are fixed, and pollers read every page in turn, so per store version (storeVersion:
 * any committed change, on PostgreSQL another replica's within its poll) this remembers each
 * filter's TotalCount and where each page served ended; the next page then starts from that key
 * (an index range of one page). The first page after a change recounts, and a deep page asked
 * for first after a change still skips through the index once.
 */
import type { Db } from './db.js';
import { storeVersion } from './db.js';
import {
  countInstances, instancesByIdsInOrder, listInstanceKeysAfter, listInstanceKeysAt, type InstanceFilter, type InstanceRow, type ListedInstance, type ListingKey,
} from './instances.js';

interface Listing { total?: number; ends: Map<number, ListingKey> }

/** At most this many filters and page ends per filter are remembered (per store version). */
const MAX_FILTERS = 1000;
const MAX_ENDS = 20_000;

class ListingMemo {
  private version = '';
  private listings = new Map<string, Listing>();

  /** The filter's entry at `version`, all entries of other versions forgotten. */
  at(version: string, key: string): Listing {
    if (version !== this.version) { this.version = version; this.listings.clear(); }
    let l = this.listings.get(key);
    if (!l) {
      if (this.listings.size >= MAX_FILTERS) this.listings.clear();
      l = { ends: new Map() };
      this.listings.set(key, l);
    }
    return l;
  }

  /** What was read at `version` is kept only if the store is still there (nothing moved meanwhile). */
  settled(db: Db, version: string): boolean {
    return storeVersion(db) === version && this.version === version;
  }
}

const memos = new WeakMap<Db, ListingMemo>();

/** A page's rows in full. */
export async function instancePage(db: Db, f: InstanceFilter, offset: number, limit: number): Promise<{ total: number; rows: InstanceRow[] }> {
  const { total, keys } = await instanceKeyPage(db, f, offset, limit);
  return { total, rows: await instancesByIdsInOrder(db, keys.map((k) => k.id)) };
}

/** A page's ids and row versions (ListedInstance). */
export async function instanceKeyPage(db: Db, f: InstanceFilter, offset: number, limit: number): Promise<{ total: number; keys: ListedInstance[] }> {
  let memo = memos.get(db);
  if (!memo) { memo = new ListingMemo(); memos.set(db, memo); }
  const version = storeVersion(db);
  const listing = memo.at(version, JSON.stringify(f));
  const start = listing.ends.get(offset);
  const [total, rows] = await Promise.all([
    listing.total ?? countInstances(db, f),
    start ? listInstanceKeysAfter(db, f, start, limit) : listInstanceKeysAt(db, f, offset, limit),
  ]);
  if (memo.settled(db, version)) {
    listing.total = total;
    const last = rows[rows.length - 1];
    if (last && rows.length === limit && listing.ends.size < MAX_ENDS) listing.ends.set(offset + rows.length, [last.created_at, last.id]);
  }
  return { total, keys: rows };
}
