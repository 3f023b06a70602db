/**
 * MFA devices, as far as OpenECS has them: none. Creating and binding virtual MFA devices is not
 * implemented (CreateVirtualMFADevice and BindMFADevice answer UnsupportedOperation), so no user
 * ever has one, and the reads answer what RAM answers for a user without a device — which is
 * what Terraform's force delete of alicloud_ram_user expects from UnbindMFADevice. (Virtual devices
 * wait on a QR code encoder for CreateVirtualMFADevice's QRCodePNG and on MFA console sign-in with
 * `acs:MFAPresent` sessions.) A user reads and unbinds its own device without a policy while the
 * security preference AllowUserToManageMFADevices allows it (policy-enforcer.ts).
 */
import { ramError } from '../../domain/ram/errors.js';
import { ramHandlers } from '../typed-handlers.js';
import { userOf } from './common.js';

const noDevice = () => ramError('EntityNotExist.User.MFADevice', 'The user has not bound any MFA device.');

export const ramMfaActions = ramHandlers({
  async GetUserMFAInfo(ctx, p) {
    await userOf(ctx, p.UserName);
    throw noDevice();
  },
  async UnbindMFADevice(ctx, p) {
    await userOf(ctx, p.UserName);
    throw noDevice();
  },
  async ListVirtualMFADevices() {
    return { VirtualMFADevices: { VirtualMFADevice: [] } };
  },
});
