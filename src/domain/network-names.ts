/**
 * Name and description rules of network resources.
 *
 * VPC API (CreateVpc/CreateVSwitch/Modify*: VpcName, VSwitchName, Description): names 1–128
 * characters, descriptions 1–256, neither starting with `http://` or `https://`. The VPC API is
 * looser than ECS here; OpenECS follows the API documents of each product.
 *
 * ECS security groups (CreateSecurityGroup/ModifySecurityGroupAttribute): names 2–128 characters
 * starting with a letter (Unicode letters, so Chinese too), then letters, digits, `:`, `_`, `.`,
 * `-`; descriptions 2–256; neither starting with `http://` or `https://` (SPEC.md "Name rules").
 */
import { isValidResourceDescription, isValidResourceName } from './names.js';

const HTTP = /^https?:\/\//i;

function length(s: string): number {
  return [...s].length;
}

export function isValidVpcName(name: string): boolean {
  const n = length(name);
  return n >= 1 && n <= 128 && !HTTP.test(name);
}

export function isValidVpcDescription(d: string): boolean {
  const n = length(d);
  return n >= 1 && n <= 256 && !HTTP.test(d);
}

export const isValidSecurityGroupName = isValidResourceName;
export const isValidSecurityGroupDescription = isValidResourceDescription;
