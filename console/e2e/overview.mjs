// The overview, sign-in, language switch, not-found and error pages, in headless Chromium;
// tests/console/test_overview.py compares what they showed with what the API returns.

import { readFileSync } from "node:fs";
import { ORG_ID, TOKEN, BASE_URL, browse, orgPage } from "./lib.mjs";

await browse(async ({ page, seen, axe, shot }) => {
  const overviewUrl = orgPage(ORG_ID);

  // 1. Sign in from the link the demo printed (DEMO_LINK): the token is stored, then dropped
  // from the address.
  await page.goto(process.env.DEMO_LINK);
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
  // Japanese renders in the bundled font, fetched from this server (the machine has no
  // Japanese font of its own).
  seen.japaneseFont = await page.evaluate(async () => {
    await document.fonts.ready;
    // (fonts.check alone would answer true for a family the page does not know at all)
    return [...document.fonts].some((f) => f.family.includes("Noto Sans JP") && f.status === "loaded");
  });
  seen.fontFiles = seen.requests.filter((url) => /\/app\/assets\/noto-sans-jp-[^/]*\.woff2$/.test(url));
  await axe("overview-ja");
  await shot("overview-ja");
  await page.selectOption("#lang", "en");

  // 2b. The account plan, downloaded as the file the API writes (in the interface's language,
  // as of the demo link's day).
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#plan-html")]);
  await page.waitForFunction(() => document.querySelector("#plan-status")?.textContent.startsWith("Downloaded"));
  seen.plan = {
    file: download.suggestedFilename(),
    text: readFileSync(await download.path(), "utf-8"),
    status: await page.textContent("#plan-status"),
  };

  // 3. The navigation leads to the organization's other pages.
  await page.click("#nav >> text=Whitespace");
  await page.waitForSelector("#ws-as-of-shown");
  seen.whitespaceAddress = page.url();
  // the demo link's day carried over to the page the navigation opened
  seen.whitespaceAsOf = await page.$eval("#ws-as-of-shown", (p) => p.dataset.asOf);

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

  // 7. A refusal that says when to come back (a spent token budget: 429 with Retry-After) is
  // waited out and sent again, so the page still shows its data.
  let refusals = 0;
  await page.route("**/graphql", (route) => {
    if (refusals > 0) return route.continue();
    refusals += 1;
    return route.fulfill({
      status: 429,
      contentType: "application/json",
      headers: { "retry-after": "1" },
      body: JSON.stringify({ errors: [{ message: "budget spent", extensions: { code: "RATE_LIMITED" } }] }),
    });
  });
  await page.goto(overviewUrl);
  await page.waitForSelector("table#group tbody tr");
  seen.rowsAfterRateLimit = await page.$$eval("table#group tbody tr", (rows) => rows.length);
  seen.rateLimitRefusals = refusals;
  await page.unroute("**/graphql");

  // 8. An error of the API is shown in words (the server's answer is replaced here, since the
  // demo server has no failure to offer on demand).
  await page.route("**/graphql", (route) =>
    route.fulfill({
      status: 503,
      contentType: "application/json",
      body: JSON.stringify({ errors: [{ message: "the store did not answer", extensions: { code: "STORE_UNAVAILABLE" } }] }),
    }),
  );
  await page.goto(overviewUrl);
  await page.waitForSelector("#api-error");
  seen.apiErrorText = await page.textContent("#api-error");
  await page.unroute("**/graphql");
});
