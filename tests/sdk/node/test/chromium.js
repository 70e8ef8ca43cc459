'use strict';
// Headless Chromium for the console tests (Debian's chromium, driven by playwright-core): where it
// is, whether a test file must skip, and a browser context with its own throw-away profile.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);

/** `false`, or why a browser test skips: no Chromium and not under CI (under CI it must fail). */
const skip = !haveChromium && !process.env.CI
  ? `${CHROMIUM} not found (apt-get install chromium); set CI to make this a failure`
  : false;

/** Throws under CI when Chromium is missing (call it first in `before`). */
function requireChromium() {
  if (!haveChromium) throw new Error(`${CHROMIUM} not found, and CI is set: the browser test must run (apt-get install chromium)`);
}

/** A headless Chromium context on a fresh profile; `close()` closes it and removes the profile. */
async function launch(viewport = { width: 1000, height: 760 }) {
  const { chromium } = require('playwright-core');
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossd-console-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30000,
    viewport,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.closeAndClean = async () => {
    await context.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  };
  return context;
}

module.exports = { CHROMIUM, skip, requireChromium, launch };
