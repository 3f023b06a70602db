/** Where the qemu driver keeps things: a build cache shared across data dirs, and per-instance state. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** `$OPENECS_CACHE_DIR`, else `$XDG_CACHE_HOME/openecs`, else `~/.cache/openecs`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OPENECS_CACHE_DIR) return resolve(env.OPENECS_CACHE_DIR);
  return join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache'), 'openecs');
}

/** The built guest image (kernel, initramfs, base disk) for `name`. */
export function imageDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'images', name);
}

export const DEFAULT_IMAGE = 'debian-busybox';
