#!/usr/bin/env node
/**
 * Build once: every .ts file under src/ and commands/ becomes JavaScript under dist/ (same layout,
 * relative `.ts` imports rewritten to `.js`); every other file there (assets, .mjs) is copied. The
 * installed command (bin/tradeops.js) runs dist/, so no transpiler runs beside the bot.
 *
 * Each file is transpiled on its own (the sources are `isolatedModules`-clean; `npm run typecheck`
 * is the type check), so a build takes a second or two and a rebuild only touches changed files;
 * outputs whose source is gone are removed. New folders under src/ and commands/ are picked up
 * without configuration. Runs from `prepare` (npm ci / npm install), the Docker build stage,
 * `npm run build`, `prestart`, and the test run's global setup.
 *
 * Usage: node scripts/build.mjs [--clean] [--quiet]
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SOURCE_DIRS = ['src', 'commands'];
export const OUT_DIR = join(ROOT, 'dist');

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

const isTs = (f) => f.endsWith('.ts') && !f.endsWith('.d.ts');
const outPathOf = (src) => join(OUT_DIR, relative(ROOT, isTs(src) ? src.slice(0, -3) + '.js' : src));

/**
 * Packages bundled into dist/vendor/<dir>/ with esbuild (one module per entry point we import,
 * shared code split out). Node resolves, reads, links and evaluates every file of a package one by
 * one, and for each it looks up the package scope (parsing the package's package.json again):
 * drizzle-orm alone is ~300 files with a 179 KB package.json, pg-boss pulls in ~180 (node-postgres,
 * the OpenTelemetry API), zod ~95, prom-client ~80 (the OpenTelemetry API again). A bundle is a
 * handful of files, so the bot starts faster.
 * Our imports (`from '…'`, `import('…')`) of these packages are pointed at the bundles when they
 * exist; without esbuild (installed with the development dependencies) the build keeps importing
 * them from node_modules.
 * - `withDependencies`: the package's own dependencies go into its bundle too (CommonJS ones get a
 *   `require` for Node's built-ins); otherwise they stay imports from node_modules.
 * - `commonjs`: the entry point is CommonJS; it is bundled through an ES module that re-exports its
 *   names, so our named imports keep working.
 */
const VENDOR_DIR = join(OUT_DIR, 'vendor');
const VENDOR = [
  {
    pkg: 'drizzle-orm',
    dir: 'drizzle',
    entries: {
      '': 'index',
      '/pg-core': 'pg-core',
      '/pglite': 'pglite',
      '/pglite/migrator': 'pglite-migrator',
      '/postgres-js': 'postgres-js',
      '/postgres-js/migrator': 'postgres-js-migrator',
    },
  },
  { pkg: 'zod', dir: 'zod', entries: { '': 'index' } },
  // node-postgres' optional native binding is never installed: left as a (never taken) import.
  { pkg: 'pg-boss', dir: 'pg-boss', entries: { '': 'index' }, withDependencies: true, external: ['pg-native'] },
  // CommonJS: bundled through a small ES module that re-exports its names (it pulls in the OpenTelemetry API too).
  { pkg: 'prom-client', dir: 'prom-client', entries: { '': 'index' }, withDependencies: true, commonjs: true },
];
const REQUIRE_SHIM = "import { createRequire as __vendorRequire } from 'node:module'; const require = __vendorRequire(import.meta.url);";

/** `pkg@version` for each package whose bundle dist/vendor holds (built now if needed). */
async function ensureVendorBundles() {
  const bundled = [];
  let esbuild;
  for (const v of VENDOR) {
    let version;
    try {
      version = JSON.parse(readFileSync(join(ROOT, 'node_modules', v.pkg, 'package.json'), 'utf8')).version;
    } catch {
      continue;
    }
    const out = join(VENDOR_DIR, v.dir);
    const stamp = join(out, 'VERSION');
    const want = `${version}${v.withDependencies ? ' with dependencies' : ''} minified`;
    if (!(existsSync(stamp) && readFileSync(stamp, 'utf8') === want)) {
      try {
        esbuild ??= await import('esbuild');
      } catch {
        return bundled;
      }
      rmSync(out, { recursive: true, force: true });
      const entryPoints = Object.entries(v.entries).map(([sub, name]) => ({ in: v.commonjs ? esmFacade(`${v.pkg}${sub}`) : fileURLToPath(import.meta.resolve(`${v.pkg}${sub}`)), out: name }));
      await esbuild.build({
        entryPoints,
        outdir: out,
        bundle: true,
        splitting: true,
        format: 'esm',
        platform: 'node',
        target: 'node22',
        ...(v.withDependencies ? { external: v.external ?? [], banner: { js: REQUIRE_SHIM } } : { packages: 'external' }),
        logLevel: 'warning',
        // Whitespace and syntax only: names stay, so stack traces still read; the source every
        // module keeps in memory (V8 holds it for lazy compilation) shrinks to about half.
        minifyWhitespace: true,
        minifySyntax: true,
        legalComments: 'inline',
      });
      writeFileSync(stamp, want);
      rmSync(join(VENDOR_DIR, '.facades'), { recursive: true, force: true });
    }
    bundled.push({ ...v, version });
  }
  return bundled;
}

/**
 * An ES module that re-exports a CommonJS module's names (an ES bundle of a CommonJS entry point
 * would only have a default export): written next to the bundles, removed after the build.
 */
function esmFacade(specifier) {
  const names = Object.keys(createRequire(import.meta.url)(specifier)).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default');
  const dir = join(VENDOR_DIR, '.facades');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${specifier.replace(/[^\w-]/g, '_')}.mjs`);
  writeFileSync(file, `import m from ${JSON.stringify(specifier)};\nexport const { ${names.join(', ')} } = m;\nexport default m;\n`);
  return file;
}

/** Point imports of the bundled packages in a built file at their bundles. */
function useVendorBundles(code, outFile, bundled) {
  let result = code;
  for (const v of bundled) {
    const name = v.pkg.replace(/[/.-]/g, (c) => `\\${c}`);
    const re = new RegExp(`(\\bfrom\\s*|\\bimport\\s*\\(\\s*|\\bimport\\s+)(["'])${name}((?:\\/[a-z-]+)*)\\2`, 'g');
    result = result.replace(re, (_m, lead, q, sub) => {
      const entry = v.entries[sub];
      if (!entry) throw new Error(`${relative(ROOT, outFile)}: ${v.pkg}${sub} is not bundled: add it to VENDOR in scripts/build.mjs`);
      let rel = relative(dirname(outFile), join(VENDOR_DIR, v.dir, `${entry}.js`)).split('\\').join('/');
      if (!rel.startsWith('.')) rel = `./${rel}`;
      return `${lead}${q}${rel}${q}`;
    });
  }
  return result;
}

/** Build what changed; returns { built, copied, removed, upToDate }. */
export async function build({ clean = false, quiet = false } = {}) {
  if (clean) rmSync(OUT_DIR, { recursive: true, force: true });
  const sources = SOURCE_DIRS.flatMap((d) => walk(join(ROOT, d))).filter((f) => !f.endsWith('.d.ts'));
  const bundled = await ensureVendorBundles();
  // Which bundles the built files import: when that changes, every file is built again.
  rmSync(join(OUT_DIR, '.drizzle-link'), { force: true }); // the stamp of builds before pg-boss and zod were bundled
  const linkStamp = join(OUT_DIR, '.vendor-link');
  const link = bundled.length > 0 ? `vendor ${bundled.map((v) => `${v.pkg}@${v.version}`).join(' ')}` : 'node_modules';
  const relink = !existsSync(linkStamp) || readFileSync(linkStamp, 'utf8') !== link;
  const wanted = new Set();
  const stale = [];
  for (const src of sources) {
    const out = outPathOf(src);
    wanted.add(out);
    if (relink || !existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) stale.push(src);
  }
  let removed = 0;
  for (const d of SOURCE_DIRS) {
    for (const out of walk(join(OUT_DIR, d))) {
      if (!wanted.has(out)) {
        rmSync(out);
        removed++;
      }
    }
  }
  let built = 0;
  let copied = 0;
  if (stale.length > 0) {
    let ts;
    try {
      ts = (await import('typescript')).default;
    } catch {
      if (stale.some(isTs)) {
        throw new Error(`dist/ is out of date (${stale.length} changed file(s)) and the TypeScript compiler is not installed: run \`npm ci\` (with dev dependencies) and \`npm run build\``);
      }
    }
    const compilerOptions = {
      module: ts?.ModuleKind.ESNext,
      target: ts?.ScriptTarget.ES2023,
      rewriteRelativeImportExtensions: true,
      isolatedModules: true,
      esModuleInterop: true,
      sourceMap: false,
      removeComments: true,
    };
    for (const src of stale) {
      const out = outPathOf(src);
      mkdirSync(dirname(out), { recursive: true });
      if (isTs(src)) {
        const result = ts.transpileModule(readFileSync(src, 'utf8'), { compilerOptions, fileName: src, reportDiagnostics: true });
        const errors = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
        if (errors.length > 0) {
          throw new Error(`${relative(ROOT, src)}: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`);
        }
        writeFileSync(out, useVendorBundles(result.outputText, out, bundled));
        built++;
      } else {
        copyFileSync(src, out);
        copied++;
      }
    }
  }
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(linkStamp, link);
  const template = await ensurePgliteTemplate();
  const summary = { built, copied, removed, upToDate: sources.length - stale.length, template };
  if (!quiet && (built || copied || removed)) {
    process.stdout.write(`build: ${built} transpiled, ${copied} copied, ${removed} removed, ${summary.upToDate} up to date → dist/\n`);
  }
  if (!quiet && template === 'created') process.stdout.write('build: embedded database template → dist/pglite-template/\n');
  return summary;
}

/**
 * A freshly initialised embedded-database directory (dist/pglite-template/), made once per PGlite
 * version: a bot or CLI that opens a new DATA_DIR copies it instead of running initdb in its own
 * process (initdb is seconds of WASM and leaves hundreds of MB resident). See
 * src/adapters/db/pglite-template.ts. Skipped when PGlite is not installed.
 */
async function ensurePgliteTemplate() {
  let version;
  try {
    version = JSON.parse(readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version;
  } catch {
    return 'skipped';
  }
  const dir = join(OUT_DIR, 'pglite-template');
  const stamp = `${dir}.version`;
  if (existsSync(join(dir, 'PG_VERSION')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === version) return 'current';
  rmSync(dir, { recursive: true, force: true });
  rmSync(stamp, { force: true });
  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = new PGlite(building);
  await pg.waitReady;
  await pg.close();
  renameSync(building, dir);
  writeFileSync(stamp, version);
  return 'created';
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  build({ clean: args.includes('--clean'), quiet: args.includes('--quiet') }).catch((err) => {
    process.stderr.write(`build failed: ${err.message}\n`);
    process.exitCode = 1;
  });
}
