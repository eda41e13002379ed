// The coverage page of the demo's holding company in headless Chromium: the red/amber/green
// status and its reasons, the decision-makers with their reach, the stale relationships, the
// include-subsidiaries switch by keyboard, a decision-maker's link, Japanese, an API error in
// words and an unknown organization; tests/console/test_coverage.py compares it with the API.

import { ORG_ID, browse, orgPage, scopedRefusedDays, scopedWithoutSubsidiaries } from "./lib.mjs";

// AS_OF: the day to count to; OTHER_ORGS: more organizations (comma-separated) whose status
// the test wants to see drawn, e.g. one with no contact and one single-threaded.
const { AS_OF, OTHER_ORGS = "" } = process.env;

/** Everything the page shows of the coverage, read from the page. */
async function read(page) {
  return page.evaluate(() => {
    const text = (selector) => document.querySelector(selector)?.textContent ?? null;
    const cells = (row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent);
    return {
      heading: text("h1"),
      singleThread: text("#single-thread"),
      asOfInput: document.querySelector("#as-of").value,
      area: { ...document.querySelector("#coverage").dataset },
      rag: document.querySelector("#coverage-status").dataset.rag,
      ragText: text("#rag"),
      checks: [...document.querySelectorAll("#rag-checks li")].map((li) => ({
        id: li.dataset.check,
        met: li.dataset.met === "true",
        text: li.textContent,
      })),
      rule: text("#rag-rule"),
      figures: Object.fromEntries(
        [...document.querySelectorAll("#coverage-figures .figure")].map((f) => [f.id.replace("figure-", ""), f.querySelector("dd").textContent]),
      ),
      roles: [...document.querySelectorAll("table#roles tbody tr")].map((row) => ({
        role: row.dataset.role,
        rights: Number(row.dataset.rights),
        direct: Number(row.dataset.direct),
        route: Number(row.dataset.route),
        none: Number(row.dataset.none),
      })),
      decisionMakers: [...document.querySelectorAll("table#decision-makers tbody tr")].map((row) => ({
        personId: row.dataset.personId,
        role: row.dataset.role,
        area: row.dataset.area,
        directContact: row.dataset.direct === "true",
        bestRouteScore: row.dataset.score === "" ? null : Number(row.dataset.score),
        link: row.querySelector("a.person").getAttribute("href"),
        cells: cells(row),
      })),
      stale: [...document.querySelectorAll("table#stale tbody tr")].map((row) => ({
        theirs: row.dataset.theirsId,
        ours: row.dataset.oursId,
        lastContactOn: row.dataset.lastContact || null,
        days: row.dataset.days === "" ? null : Number(row.dataset.days),
        cells: cells(row),
      })),
    };
  });
}

await browse(async (b) => {
  const { page, seen, axe, shot, signedIn } = b;
  // 1. The coverage of the organization with its subsidiaries, on the demo's today.
  await signedIn(`${orgPage(ORG_ID, "coverage")}?asOf=${AS_OF}`);
  await page.waitForSelector('#coverage[data-state="done"]', { timeout: 60000 });
  seen.withSubsidiaries = await read(page);
  await axe("coverage");
  await shot("coverage");

  // 2. The include-subsidiaries switch, by keyboard: the page asks again and keeps the focus.
  await scopedWithoutSubsidiaries(b, "coverage", read, 60000);

  // 3. Japanese.
  await page.selectOption("#lang", "ja");
  await page.waitForFunction(() => document.querySelector("h1")?.textContent.startsWith("カバレッジ"));
  await page.waitForSelector('#coverage[data-state="done"]');
  seen.japanese = { heading: await page.textContent("h1"), statusTitle: await page.textContent("#status-title") };
  await axe("coverage-ja");
  await shot("coverage-ja");
  await page.selectOption("#lang", "en");
  await page.waitForFunction(() => document.querySelector("h1")?.textContent.startsWith("Coverage"));
  await page.waitForSelector('#coverage[data-state="done"]');

  // 4. A decision-maker's name leads to their person page.
  const first = seen.withoutSubsidiaries.decisionMakers[0];
  await page.click(`table#decision-makers tbody tr:first-child a.person`);
  await page.waitForURL((url) => url.pathname.startsWith("/app/people/"));
  seen.personAddress = page.url();
  seen.firstPersonId = first.personId;
  await page.goBack();
  await page.waitForSelector('#coverage[data-state="done"]');

  // 5. A staleness limit the API refuses: its error, in words, under the controls.
  await scopedRefusedDays(b, "coverage", -5);

  // 6. The other organizations' coverage, each in its own state.
  seen.others = {};
  for (const id of OTHER_ORGS.split(",").filter(Boolean)) {
    await page.goto(`${orgPage(id, "coverage")}?asOf=${AS_OF}`);
    await page.waitForSelector('#coverage[data-state="done"]', { timeout: 60000 });
    seen.others[id] = await read(page);
    await shot(`coverage-${id}`);
  }

  // 7. An unknown organization: the not-found page.
  await page.goto(orgPage("no-such-organization", "coverage"));
  await page.waitForSelector("#not-found");
  seen.notFoundText = await page.textContent("#not-found");
  await shot("coverage-not-found");
});
