/** One-off reads (zones, types, option lists) with loading and error state. */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface ApiData<T> { data?: T; error?: unknown; loading: boolean; reload(): void }

export function useApiData<T>(fn: () => Promise<T>, deps: unknown[]): ApiData<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const ref = useRef(fn);
  ref.current = fn;
  const seq = useRef(0);
  const key = JSON.stringify(deps);
  const load = useCallback(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    ref.current().then(
      (data) => { if (mine === seq.current) setState({ data, loading: false }); },
      (error) => { if (mine === seq.current) setState({ error, loading: false }); },
    );
  }, [key]);
  useEffect(load, [load]);
  return { ...state, reload: load };
}
