/**
 * The management terminal of a guest: QEMU's VNC server on a unix socket (password=on), its
 * password set over QMP, and one-time WebSocket URLs to it (vnc-proxy.ts). The password itself
 * lives sealed in the instance row (ModifyInstanceVncPasswd); the engine hands it over at every
 * boot (GuestSpec) and when it changes while the guest runs.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sealer } from '../../auth/secrets.js';
import type { QemuLayout } from './layout.js';
import { withQmp } from './qmp.js';
import { VncProxy } from './vnc-proxy.js';

export interface QemuConsoleOptions {
  layout: QemuLayout;
  env: NodeJS.ProcessEnv;
  sealer: () => Sealer;
}

export class QemuConsole {
  private readonly layout: QemuLayout;
  private readonly env: NodeJS.ProcessEnv;
  private readonly sealer: () => Sealer;
  private vnc?: VncProxy;

  constructor(o: QemuConsoleOptions) {
    this.layout = o.layout;
    this.env = o.env;
    this.sealer = o.sealer;
  }

  /**
   * The sealed password a boot applies: the store's, else the one an earlier version of the
   * driver kept in the instance folder (`vnc-password`), so an upgrade keeps a password set before it.
   */
  async bootPassword(instanceId: string, sealed: string | undefined): Promise<string> {
    if (sealed) return sealed;
    return (await readFile(join(this.layout.dir(instanceId), 'vnc-password'), 'utf8').catch(() => '')).trim();
  }

  /** Sets the console's password: the sealed one, or without one a random password nobody knows. */
  async applyPassword(qmpSocket: string, sealed: string): Promise<void> {
    const password = sealed ? this.sealer().open(sealed) : randomBytes(6).toString('base64url').slice(0, 8);
    await withQmp(qmpSocket, (c) => c.execute('set_password', { protocol: 'vnc', password }));
  }

  async url(instanceId: string): Promise<string> {
    if (!(await this.layout.pid(instanceId))) throw new Error(`${instanceId} is not running`);
    this.vnc ??= new VncProxy(this.env.OPENECS_VNC_HOST || '127.0.0.1', Number(this.env.OPENECS_VNC_PORT || 0), this.env.OPENECS_VNC_PUBLIC_URL || undefined);
    return this.vnc.url(instanceId, this.layout.vncSocket(instanceId));
  }

  async close(): Promise<void> {
    await this.vnc?.close();
  }
}
