/** `openecs images build [--force]` and `openecs images status`: the qemu driver's guest image. */
import { parseArgs } from 'node:util';
import { buildImage, loadImage, missingBuildInputs } from '../compute/qemu/image.js';
import { imageDir, DEFAULT_IMAGE } from '../compute/qemu/paths.js';

const USAGE = `usage: openecs images build [--force]   build the guest image from Debian packages (cached in $OPENECS_CACHE_DIR or ~/.cache/openecs)
       openecs images status            show the built image and what the host lacks to build it`;

export async function images(argv: string[]) {
  const [sub = 'status', ...rest] = argv;
  const { values } = parseArgs({ args: rest, options: { force: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help || (sub !== 'build' && sub !== 'status')) { console.log(USAGE); if (!values.help) process.exitCode = 2; return; }
  if (sub === 'build') {
    const img = await buildImage({ force: values.force, log: (m) => console.log(m) });
    console.log(`image ${img.name}: kernel ${img.kernelVersion} (${img.kernelFormat}), ${img.dir}`);
    return;
  }
  const img = await loadImage();
  if (img) console.log(`image ${img.name}: built ${img.builtAt}, kernel ${img.kernelVersion} (${img.kernelFormat}), key ${img.buildKey}\n  ${img.dir}`);
  else console.log(`image ${DEFAULT_IMAGE}: not built (${imageDir(DEFAULT_IMAGE)}); run: openecs images build`);
  const missing = await missingBuildInputs();
  for (const m of missing) console.log(`  missing ${m.what}: apt-get install ${m.debianPackage}`);
}
