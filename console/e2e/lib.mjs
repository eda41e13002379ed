// What every browser script of the console shares: one Chromium launch, every request the
// pages make recorded, CSP violations and script errors collected, axe-core checks and
// screenshots. A script calls browse(async (b) => { ... }) and fills b.seen; the JSON of
// b.seen goes to stdout for its test in tests/console/ to compare with the API.
//
// Environment: BASE_URL (the server), TOKEN, ORG_ID, CHROMIUM (executable), ARTIFACTS
// (folder for screenshots).

import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf-8");

export const { BASE_URL, TOKEN, ORG_ID, CHROMIUM, ARTIFACTS } = process.env;

/** The console's address of ``path`` (e.g. `organizations/org1/power-map`). */
export const app = (path = "") => `${BASE_URL}/app/${path}`;
export const orgPage = (id, page = "") =>
  app(`organizations/${encodeURIComponent(id)}${page ? `/${page}` : ""}`);

export async function browse(script, { locale = "en-US" } = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const started = Date.now();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-background-networking"],
  });
  const seen = { requests: [], cspViolations: [], consoleErrors: [], pageErrors: [], axe: {}, screenshots: [] };
  try {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    context.on("request", (request) => seen.requests.push(request.url()));
    const page = await context.newPage();
    page.on("pageerror", (error) => seen.pageErrors.push(String(error)));
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const text = message.text();
      if (text.includes("Content Security Policy")) seen.cspViolations.push(text);
      else seen.consoleErrors.push(text);
    });
    const b = {
      page,
      context,
      seen,
      /** axe-core, run through DevTools evaluation (the page's CSP does not govern it). */
      async axe(name) {
        await page.evaluate(axeSource);
        seen.axe[name] = await page.evaluate(async () => {
          const found = await window.axe.run(document, { resultTypes: ["violations"] });
          return found.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
        });
      },
      async shot(name) {
        // the bundled font's pieces load as text needs them: wait, or Japanese shows as boxes
        await page.evaluate(() => document.fonts.ready);
        const path = `${ARTIFACTS}/${name}.png`;
        await page.screenshot({ path, fullPage: true });
        seen.screenshots.push(path);
      },
      /** Open ``url`` signed in: the token goes in through the address fragment, as in the
       * demo's link, and the page has finished loading (body[data-ready]). */
      async signedIn(url) {
        await page.goto(`${url}#token=${encodeURIComponent(TOKEN)}`);
        await page.waitForSelector("body[data-ready=true]", { timeout: 60000 });
      },
      /** Click the map's node ``id`` where Cytoscape drew it, through the mouse. */
      async clickNode(id, selector = "#map") {
        const at = await page.evaluate((nodeId) => window.__cy.$id(nodeId).renderedPosition(), id);
        const box = await page.$eval(selector, (map) => {
          const r = map.getBoundingClientRect();
          return { x: r.x, y: r.y };
        });
        await page.mouse.click(box.x + at.x, box.y + at.y);
      },
    };
    await script(b);
  } finally {
    await browser.close();
  }
  seen.seconds = (Date.now() - started) / 1000;
  process.stdout.write(JSON.stringify(seen));
}

// Steps of the pages built on scopedPage (pipeline, coverage; console/src/pages/asof-scope.ts),
// whose area is #<key> with data-state loading/done/error.

/** Untick "include subsidiaries" by keyboard and read the page again with ``read``: the page
 * asks again, keeps its address and gives focus back to the checkbox. */
export async function scopedWithoutSubsidiaries({ page, seen, shot }, key, read, timeout = 30000) {
  await page.focus("#subsidiaries");
  await page.keyboard.press("Space");
  await page.waitForSelector(`#${key}[data-state="done"][data-subsidiaries="false"]`, { timeout });
  seen.withoutSubsidiaries = await read(page);
  seen.addressWithout = page.url();
  seen.focusAfterSwitch = await page.evaluate(() => document.activeElement?.id ?? null);
  await shot(`${key}-without-subsidiaries`);
}

/** A number of days the API refuses: its error, in words, under the controls. */
export async function scopedRefusedDays({ page, seen, shot }, key, days) {
  await page.fill("#days", String(days));
  await page.$eval("#days", (input) => input.dispatchEvent(new Event("change")));
  await page.waitForSelector(`#${key}[data-state="error"]`, { timeout: 30000 });
  seen.errorText = await page.textContent(`#${key}-error`);
  await shot(`${key}-error`);
}
