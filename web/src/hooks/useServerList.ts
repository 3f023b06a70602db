/**
 * A server-paged list: the server filters and pages (PageNumber/PageSize, or NextToken for the
 * token-paged actions), the table only shows one page. The list refreshes itself while any item
 * is in a transitional state, and starts over at page 1 when its inputs (region, filters) change.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TablePaginationConfig } from 'antd';
import { usePolling } from './usePolling';

export interface PageQuery { pageNumber: number; pageSize: number; nextToken?: string }
export interface PageResult<T> { items: T[]; total?: number; nextToken?: string }

export interface ListOptions<T> {
  mode?: 'page' | 'token';
  pageSize?: number;
  /** Items in this state keep the list polling. */
  transitional?: (item: T) => boolean;
}

export interface ServerList<T> {
  items: T[];
  total?: number;
  loading: boolean;
  error?: unknown;
  reload(): void;
  /** antd pagination for page mode; false in token mode (use `tokens`). */
  pagination: TablePaginationConfig | false;
  tokens: { hasPrev: boolean; hasNext: boolean; prev(): void; next(): void; page: number };
}

export function useServerList<T>(fetcher: (q: PageQuery) => Promise<PageResult<T>>, deps: unknown[], opts: ListOptions<T> = {}): ServerList<T> {
  const mode = opts.mode ?? 'page';
  const [pageSize, setPageSize] = useState(opts.pageSize ?? 10);
  const [pageNumber, setPageNumber] = useState(1);
  // Token mode: tokens[i] opens page i+1 ('' for the first page).
  const [tokens, setTokens] = useState<string[]>(['']);
  const [result, setResult] = useState<PageResult<T>>({ items: [] });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const fetchRef = useRef(fetcher);
  fetchRef.current = fetcher;
  const seq = useRef(0);
  const key = JSON.stringify(deps);

  // New inputs: back to the first page.
  useEffect(() => { setPageNumber(1); setTokens(['']); }, [key]);

  const load = useCallback(async (quiet: boolean) => {
    const mine = ++seq.current;
    if (!quiet) setLoading(true);
    try {
      const q: PageQuery = { pageNumber, pageSize, nextToken: mode === 'token' ? tokens[pageNumber - 1] || undefined : undefined };
      const r = await fetchRef.current(q);
      if (mine !== seq.current) return;
      setResult(r);
      setError(undefined);
    } catch (e) {
      if (mine !== seq.current) return;
      setError(e);
      if (!quiet) setResult({ items: [] });
    } finally {
      if (mine === seq.current) setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pageNumber, pageSize, mode, tokens, key]);

  useEffect(() => { void load(false); }, [load]);

  const busy = !!opts.transitional && result.items.some(opts.transitional);
  usePolling(() => void load(true), busy && !error);

  return {
    items: result.items,
    total: result.total,
    loading,
    error,
    reload: () => void load(false),
    pagination: mode === 'page'
      ? {
          current: pageNumber, pageSize, total: result.total ?? 0, showSizeChanger: true, pageSizeOptions: [10, 20, 50, 100],
          showTotal: (t) => `${t} in total`,
          onChange: (p, s) => { setPageNumber(s !== pageSize ? 1 : p); setPageSize(s); },
        }
      : false,
    tokens: {
      page: pageNumber,
      hasPrev: pageNumber > 1,
      hasNext: !!result.nextToken,
      prev: () => setPageNumber((p) => Math.max(1, p - 1)),
      next: () => {
        if (!result.nextToken) return;
        setTokens((t) => [...t.slice(0, pageNumber), result.nextToken!]);
        setPageNumber((p) => p + 1);
      },
    },
  };
}
