import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where browser tests leave their screenshots (gitignored; CI keeps them as artefacts). */
export const SCREENSHOT_DIR = resolve('test-results/browser');

/** The distribution's Chromium (CI installs it with `apt-get install -y chromium`); CHROMIUM_PATH overrides. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
  return candidates.find((p) => existsSync(p));
}

/** Why the browser tests cannot run here, or undefined when they can. Printed by the skipped suite. */
export function browserMissingReason(): string | undefined {
  if (chromiumPath()) return undefined;
  return 'browser tests SKIPPED: no Chromium at /usr/bin/chromium (install it: apt-get update && apt-get install -y chromium, or set CHROMIUM_PATH)';
}

export interface TestBrowser {
  browser: import('playwright-core').Browser;
  close(): Promise<void>;
}

/**
 * Chromium headless with nothing that calls home. Playwright gives every launch a fresh temporary
 * profile (its own --user-data-dir, removed on close).
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return { browser, close: () => browser.close() };
}

/** Save a full-page screenshot as a test artefact; returns its path. */
export async function screenshot(page: import('playwright-core').Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
