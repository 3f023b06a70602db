/**
 * Runs a mutating call and reports it: a success message, or the service's Code and Message
 * (UnsupportedOperation shown as "not available yet" rather than as a failure).
 */
import { App } from 'antd';
import { useState } from 'react';
import { createElement, useContext } from 'react';
import { ConsoleContext } from './console';
import { ApiError, refusalOf } from '../api/client';
import { ErrorDescription } from '../components/ErrorDescription';

export function useAction() {
  const { message, notification } = App.useApp();
  const [busy, setBusy] = useState(false);
  const principal = useContext(ConsoleContext)?.client.principal;
  async function run<T>(label: string, fn: () => Promise<T>, done?: string): Promise<T | undefined> {
    setBusy(true);
    try {
      const r = await fn();
      message.success(done ?? `${label}: done`);
      return r;
    } catch (e) {
      const unsupported = e instanceof ApiError && e.unsupported;
      notification[unsupported ? 'warning' : 'error']({
        title: unsupported ? `${label}: not available on this server yet` : refusalOf(e) ? `${label}: not allowed` : `${label} failed`,
        description: createElement(ErrorDescription, { error: e, principal }),
        placement: 'topRight',
        className: 'api-error-notification',
      });
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { run, busy };
}
