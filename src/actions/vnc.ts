/**
 * The management terminal (VNC): DescribeInstanceVncUrl and ModifyInstanceVncPasswd. With the
 * qemu driver the URL is a one-time WebSocket to the guest's real VNC console (src/compute/qemu/
 * vnc-proxy.ts) and the password is set on the running guest at once (the guide, L253: immediate on
 * I/O-optimized instances, which all current types are); the sim driver has no screen, so its URL
 * names nothing that answers. The password is kept sealed in the instance row; the engine applies
 * it to a running guest and the driver at every boot, so it survives restarts of either.
 */
import { randomBytes } from 'node:crypto';
import { EcsError } from '../domain/errors.js';
import { requireInstance } from './instance-describe.js';
import { passwordSealer } from './instance-create.js';
import { ecsHandlers } from './typed-handlers.js';

/**
 * Guide L249: "6-character length, composed of uppercase letters, lowercase letters, digits";
 * the API requires all three kinds.
 */
export function checkVncPassword(pw: string): void {
  if (!/^[A-Za-z0-9]{6}$/.test(pw) || !/[A-Z]/.test(pw) || !/[a-z]/.test(pw) || !/[0-9]/.test(pw)) {
    throw new EcsError('IncorrectVncPassword.Malformed', 'The specified parameter VncPassword is not valid: exactly 6 letters and digits, with at least one uppercase letter, one lowercase letter and one digit.');
  }
}

export const vncActions = ecsHandlers({
  async DescribeInstanceVncUrl(ctx, p) {
    const row = await requireInstance(ctx, p.InstanceId);
    if (row.status === 'Pending' || row.status === 'Starting') throw new EcsError('InstanceNotReady', 'The specified instance is not ready for use', 403);
    if (row.status !== 'Running') throw new EcsError('IncorrectInstanceStatus', `The current status of the resource does not support this operation: ${row.id} is ${row.status}, not Running.`, 403);
    const driver = ctx.driver;
    if (driver.vncUrl) {
      try { return { VncUrl: await driver.vncUrl(row.id) }; } catch {
        throw new EcsError('InstanceNotReady', 'The specified instance is not ready for use', 403);
      }
    }
    return { VncUrl: `ws://${ctx.config.host}:${ctx.config.port}/webSocket/?s=${randomBytes(18).toString('base64url')}` };
  },

  async ModifyInstanceVncPasswd(ctx, p) {
    const row = await requireInstance(ctx, p.InstanceId);
    checkVncPassword(String(p.VncPassword ?? ''));
    const settled = ['Running', 'Stopped'];
    const refuse = (why: string) => new EcsError('IncorrectInstanceStatus', `The current status of the resource does not support this operation: ${row.id} ${why}.`, 403);
    if (!settled.includes(row.status)) throw refuse(`is ${row.status}`);
    const sealed = passwordSealer(ctx).seal(p.VncPassword);
    return ctx.mutate(async (trx, enqueue) => {
      // Compare-and-set on the status checked above: a start or stop in between is refused, not raced.
      const done = await trx.updateTable('instances').set({ vnc_password_sealed: sealed })
        .where('id', '=', row.id).where('deleted_at', 'is', null).where('status', 'in', settled).executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) throw refuse('is no longer Running or Stopped');
      // A running guest gets it from the engine at once; a stopped one at its next boot (GuestSpec).
      await enqueue({ kind: 'instance', resourceId: row.id, dueAt: ctx.now() });
      return {};
    });
  },
});
