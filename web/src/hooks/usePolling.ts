/** Calls `tick` every `ms` while `active`; used to follow resources in transitional states. */
import { useEffect, useRef } from 'react';

export const POLL_MS = 1500;

export function usePolling(tick: () => void, active: boolean, ms = POLL_MS): void {
  const ref = useRef(tick);
  ref.current = tick;
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => ref.current(), ms);
    return () => clearInterval(id);
  }, [active, ms]);
}
