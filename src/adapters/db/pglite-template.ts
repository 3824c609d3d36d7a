import { constants, cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../../package-root.ts';

/** The initialised data directory the build makes (scripts/build.mjs), and its PGlite version stamp. */
export const PGLITE_TEMPLATE_DIR = join(PACKAGE_ROOT, 'dist', 'pglite-template');

/**
 * Seed a new embedded-database directory from the build's template instead of letting PGlite run
 * initdb in this process: initdb costs seconds of WASM and leaves a few hundred MB resident, a copy
 * of the ~40 MB directory costs milliseconds. Only a missing or empty directory is seeded, and only
 * from a template made by the installed PGlite version; otherwise PGlite initialises it as before.
 * Returns whether the template was used.
 */
export function seedFromTemplate(dir: string, template = PGLITE_TEMPLATE_DIR): boolean {
  if (existsSync(dir) && readdirSync(dir).length > 0) return false;
  if (!existsSync(join(template, 'PG_VERSION'))) return false;
  const version = installedPgliteVersion();
  if (version === undefined || !existsSync(`${template}.version`) || readFileSync(`${template}.version`, 'utf8') !== version) return false;
  // Copy-on-write clones where the filesystem has them (btrfs, XFS, APFS), a plain copy elsewhere.
  cpSync(template, dir, { recursive: true, mode: constants.COPYFILE_FICLONE });
  return true;
}

function installedPgliteVersion(): string | undefined {
  try {
    const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
    for (let d = dirname(entry); dirname(d) !== d; d = dirname(d)) {
      const pkg = join(d, 'package.json');
      if (existsSync(pkg)) {
        const json = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
        if (json.name === '@electric-sql/pglite') return json.version;
      }
    }
  } catch {
    // not installed: no template
  }
  return undefined;
}
