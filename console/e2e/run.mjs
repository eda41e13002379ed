// Drives the console in headless Chromium and prints what it saw as one JSON object on
// stdout; tests/cli/test_console_browser.py compares that with what the API returns.
// One browser launch; every request the pages make is recorded.
//
// Environment: BASE_URL (the server), TOKEN, ORG_ID, CHROMIUM (executable), ARTIFACTS
// (folder for screenshots).

import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf-8");
const { BASE_URL, TOKEN, ORG_ID, CHROMIUM, ARTIFACTS } = process.env;
mkdirSync(ARTIFACTS, { recursive: true });

const started = Date.now();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--no-sandbox", "--disable-background-networking"],
});
const seen = { requests: [], cspViolations: [], consoleErrors: [], axe: {}, screenshots: [] };
try {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
  context.on("request", (request) => seen.requests.push(request.url()));
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    if (text.includes("Content Security Policy")) seen.cspViolations.push(text);
    else seen.consoleErrors.push(text);
  });

  // axe-core goes in through DevTools evaluation, which the page's CSP does not govern.
  async function axe(name) {
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () => {
      const found = await window.axe.run(document, { resultTypes: ["violations"] });
      return found.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
    });
    seen.axe[name] = result;
  }
  async function shot(name) {
    const path = `${ARTIFACTS}/${name}.png`;
    await page.screenshot({ path, fullPage: true });
    seen.screenshots.push(path);
  }
  const overviewUrl = `${BASE_URL}/app/organizations/${encodeURIComponent(ORG_ID)}`;

  // 1. Sign in from the demo-style link: the token is stored, then dropped from the address.
  await page.goto(`${overviewUrl}#token=${encodeURIComponent(TOKEN)}`);
  await page.waitForSelector("table#group tbody tr", { timeout: 30000 });
  seen.addressAfterSignIn = page.url();
  seen.storedToken = await page.evaluate(() => localStorage.getItem("graphsvc.token"));
  seen.heading = await page.textContent("h1#org-name");
  seen.rows = await page.$$eval("table#group tbody tr", (rows) =>
    rows.map((row) => ({
      id: row.dataset.orgId,
      level: Number(row.dataset.level),
      name: row.querySelector(".org-name").textContent,
      ourSystems: Number(row.dataset.ourSystems),
      competitorSystems: Number(row.dataset.competitorSystems),
      openOpportunities: Number(row.dataset.openOpportunities),
      cells: [...row.querySelectorAll("td")].map((cell) => cell.textContent),
    })),
  );
  seen.figures = await page.$$eval("#headline .figure", (figures) =>
    Object.fromEntries(figures.map((f) => [f.id.replace("figure-", ""), f.querySelector("dd").textContent])),
  );
  seen.changes = await page.$$eval("#changes .figure", (figures) =>
    Object.fromEntries(figures.map((f) => [f.id.replace("figure-", ""), f.querySelector("dd").textContent])),
  );
  seen.changesWindow = await page.textContent("#changes-window").catch(() => null);
  await axe("overview");
  await shot("overview-en");

  // 2. The language switch, by keyboard: focus the select and choose 日本語.
  await page.focus("#lang");
  await page.selectOption("#lang", "ja");
  await page.waitForSelector("text=主な数値");
  seen.japaneseHeadline = await page.textContent("#headline-title");
  seen.htmlLang = await page.evaluate(() => document.documentElement.lang);
  await axe("overview-ja");
  await shot("overview-ja");
  await page.selectOption("#lang", "en");

  // 3. A page of the next slice says so.
  await page.click("#nav >> text=Whitespace");
  await page.waitForSelector("#coming-soon");
  seen.whitespaceAddress = page.url();

  // 3b. The power map of the organization (with subsidiaries): time from navigation to the
  // laid-out graph, what it drew, its twin table, search, and a click on a person.
  const mapStarted = Date.now();
  await page.goto(`${overviewUrl}/power-map`);
  await page.waitForSelector('#map[data-layout="done"]', { timeout: 60000 });
  seen.map = { millisToInteractive: Date.now() - mapStarted };
  Object.assign(
    seen.map,
    await page.$eval("#map", (map) => ({
      nodeCount: Number(map.dataset.nodeCount),
      edgeCount: Number(map.dataset.edgeCount),
      visibleCount: Number(map.dataset.visibleCount),
      pageMillis: Number(map.dataset.millis),
    })),
  );
  seen.map.nodeIds = await page.evaluate(() => window.__cy.nodes().map((n) => n.id()).sort());
  seen.map.edgeIds = await page.evaluate(() => window.__cy.edges().map((e) => e.id()).sort());
  seen.map.rows = await page.$$eval("table#people tbody tr", (rows) =>
    rows.map((row) => ({ id: row.dataset.personId, name: row.querySelector("button").textContent })),
  );
  await axe("power-map");
  await shot("power-map");
  // search: the first two characters of the first person's name, typed in upper case
  const term = seen.map.rows[0].name.slice(0, 2).toUpperCase();
  seen.map.searchTerm = term;
  await page.fill("#search", term);
  seen.map.searchRows = await page.$$eval("table#people tbody tr:not([hidden])", (rows) =>
    rows.map((row) => row.dataset.personId),
  );
  seen.map.searchNodes = await page.evaluate(() =>
    window.__cy.nodes().filter((n) => !n.hasClass("filtered-out")).map((n) => n.id()),
  );
  await page.fill("#search", "");
  // the stance filter
  await page.$eval("#f-stance", (select) => {
    select.value = "CHAMPION";
    select.dispatchEvent(new Event("change"));
  });
  seen.map.championRows = await page.$$eval("table#people tbody tr:not([hidden])", (rows) =>
    rows.map((row) => row.dataset.personId),
  );
  await page.$eval("#f-stance", (select) => {
    select.value = "";
    select.dispatchEvent(new Event("change"));
  });
  // a click on the first person's node opens the side panel with their title
  const picked = seen.map.rows[0].id;
  const at = await page.evaluate((id) => window.__cy.$id(id).renderedPosition(), picked);
  const box = await page.$eval("#map", (map) => {
    const r = map.getBoundingClientRect();
    return { x: r.x, y: r.y };
  });
  await page.mouse.click(box.x + at.x, box.y + at.y);
  await page.waitForSelector("#panel-title", { timeout: 15000 });
  seen.map.clicked = picked;
  seen.map.panelName = await page.textContent("#panel-name");
  seen.map.panelTitle = await page.textContent("#panel-title");
  await shot("power-map-panel");
  // the twin table opens the same panel from the keyboard
  const second = seen.map.rows[seen.map.rows.length - 1];
  await page.focus(`table#people button[data-person-id="${second.id}"]`);
  await page.keyboard.press("Enter");
  await page.waitForFunction((name) => document.querySelector("#panel-name")?.textContent === name, second.name);
  seen.map.keyboardPanelName = await page.textContent("#panel-name");
  // the force layout is offered once the search narrows the map, and runs to the end
  seen.map.forceOfferedForAll = await page.$eval("#layout option[value=force]", (o) => !o.disabled);
  await page.fill("#search", term);
  seen.map.forceOfferedFiltered = await page.$eval("#layout option[value=force]", (o) => !o.disabled);
  const forceStarted = Date.now();
  await page.$eval("#layout", (select) => {
    select.value = "force";
    select.dispatchEvent(new Event("change"));
  });
  await page.waitForSelector('#map[data-layout="done"]', { timeout: 60000 });
  seen.map.forceMillis = Date.now() - forceStarted;

  // 4. An unknown organization shows the not-found page.
  await page.goto(`${BASE_URL}/app/organizations/no-such-organization`);
  await page.waitForSelector("#not-found");
  seen.notFoundText = await page.textContent("#not-found");
  await axe("not-found");
  await shot("not-found");

  // 5. A wrong token sends the user back to sign-in, with a message.
  await page.evaluate(() => localStorage.setItem("graphsvc.token", "gsv_wrong_token"));
  await page.goto(overviewUrl);
  await page.waitForSelector("form#sign-in");
  seen.signInMessage = await page.textContent("#sign-in-message");
  seen.tokenAfterRefusal = await page.evaluate(() => localStorage.getItem("graphsvc.token"));
  await axe("sign-in");
  await shot("sign-in-after-wrong-token");

  // 6. Pasting the right token, by keyboard, signs in again on the same page.
  await page.focus("#token");
  await page.keyboard.type(TOKEN);
  await page.keyboard.press("Enter");
  await page.waitForSelector("table#group tbody tr");
  seen.rowsAfterPaste = await page.$$eval("table#group tbody tr", (rows) => rows.length);

  // 7. An error of the API is shown in words (the server's answer is replaced here, since the
  // demo server has no failure to offer on demand).
  await page.route("**/graphql", (route) =>
    route.fulfill({
      status: 503,
      contentType: "application/json",
      body: JSON.stringify({ errors: [{ message: "the store did not answer", extensions: { code: "UNAVAILABLE" } }] }),
    }),
  );
  await page.goto(overviewUrl);
  await page.waitForSelector("#api-error");
  seen.apiErrorText = await page.textContent("#api-error");
  await page.unroute("**/graphql");
} finally {
  await browser.close();
}
seen.seconds = (Date.now() - started) / 1000;
process.stdout.write(JSON.stringify(seen));
