// The whitespace and displacement page of the demo's holding company in headless Chromium:
// the ranked departments, the category filter, the companies × categories table, the time
// line of contract ends and its twin table, the window and subsidiaries options, Japanese,
// an unknown organization and an API error; tests/console/test_whitespace.py compares what
// it read with the API. AS_OF (the demo's today) and CATEGORY come from the test.

import { BASE_URL, ORG_ID, browse, orgPage } from "./lib.mjs";

const { AS_OF, LATER, CATEGORY, SELF_ID } = process.env;

const ranked = (page) =>
  page.$$eval("table#ws-ranked tbody tr", (rows) =>
    rows.map((row) => ({
      department: row.dataset.departmentId,
      org: row.dataset.orgId,
      rank: Number(row.querySelector("td").textContent),
      name: row.querySelector("th").textContent,
      company: row.querySelector("a").textContent,
      priority: Number(row.dataset.priority),
      hasContact: row.dataset.hasContact === "true",
      reasons: [...row.querySelectorAll(".ws-reasons li")].map((li) => li.textContent),
      systems: [...row.querySelectorAll(".ws-systems li")].map((li) => li.dataset.systemId),
    })),
  );

const timeline = async (page) => ({
  svg: await page.$eval("#ws-timeline", (svg) => ({ ...svg.dataset })),
  marks: await page.$$eval("#ws-timeline g.ws-mark", (marks) =>
    marks.map((g) => ({ id: g.dataset.systemId, endsOn: g.dataset.endsOn, org: g.dataset.orgId, label: g.querySelector("text").textContent })),
  ),
  rows: await page.$$eval("table#ws-windows tbody tr", (rows) =>
    rows.map((row) => ({ id: row.dataset.systemId, endsOn: row.dataset.endsOn, name: row.querySelector("th").textContent })),
  ),
  months: await page.$$eval("#ws-timeline text.ws-month", (texts) => texts.length),
});

const matrix = (page) =>
  page.$eval("table#ws-matrix", (table) => ({
    columns: [...table.querySelectorAll("thead th[data-category]")].map((th) => th.dataset.category),
    rows: [...table.querySelectorAll("tbody tr")].map((tr) => tr.dataset.orgId),
    cells: [...table.querySelectorAll("td.ws-cell")].map((td) => ({
      org: td.dataset.orgId,
      category: td.dataset.category,
      state: td.dataset.state,
      vendors: td.dataset.vendors ? td.dataset.vendors.split("|") : [],
      departments: Number(td.dataset.departments),
      whitespaceDepartments: Number(td.dataset.whitespaceDepartments),
      text: td.textContent,
    })),
  }));

/** Change a control as a keyboard user would (focus, then choose), and wait for its sections. */
async function choose(page, selector, value, sections) {
  await page.focus(selector);
  await page.selectOption(selector, value);
  for (const s of sections) await page.waitForSelector(`${s}[data-state="done"]`, { timeout: 30000 });
}

await browse(async ({ page, seen, axe, shot, signedIn }) => {
  // 1. The page for the demo's day: the ranked list, the table, the time line.
  const started = Date.now();
  await signedIn(`${orgPage(ORG_ID, "whitespace")}?asOf=${AS_OF}`);
  await page.waitForSelector("table#ws-ranked", { timeout: 60000 });
  seen.millisToShown = Date.now() - started;
  seen.heading = await page.textContent("h1#ws-title");
  seen.asOfShown = { text: await page.textContent("#ws-as-of-shown"), day: await page.getAttribute("#ws-as-of-shown", "data-as-of") };
  seen.asOfInput = await page.inputValue("#ws-as-of");
  seen.categoryOptions = await page.$$eval("#ws-category option", (options) => options.map((o) => o.value));
  seen.withinOptions = await page.$$eval("#ws-within option", (options) => options.map((o) => Number(o.value)));
  seen.ranked = await ranked(page);
  seen.matrix = await matrix(page);
  seen.timeline = await timeline(page);
  await axe("whitespace");
  await shot("whitespace");

  // 2. The category filter, by keyboard: the list becomes the API's answer for that category.
  await choose(page, "#ws-category", CATEGORY, ["#ws-ranked-section"]);
  seen.categoryRanked = await ranked(page);
  seen.categoryCount = await page.textContent("#ws-ranked-count");
  await shot("whitespace-category");

  // 3. A longer window: the time line draws the contracts of 730 days.
  await choose(page, "#ws-within", "730", ["#ws-timeline-section"]);
  seen.timeline730 = await timeline(page);
  seen.addressAfterOptions = page.url();
  await shot("whitespace-730-days");

  // 4. The organization alone (no subsidiaries): every section re-reads its scope.
  await page.focus("#ws-subsidiaries");
  await page.keyboard.press("Space");
  for (const s of ["#ws-ranked-section", "#ws-matrix-section", "#ws-timeline-section"]) {
    await page.waitForSelector(`${s}[data-state="done"]`, { timeout: 30000 });
  }
  seen.aloneRanked = await ranked(page);
  seen.aloneMatrixRows = (await matrix(page)).rows;
  seen.aloneTimeline = (await timeline(page)).marks;
  seen.addressAlone = page.url();

  // 5. The address keeps the options: reloading it shows the same page, in Japanese.
  await page.selectOption("#lang", "ja");
  await page.waitForSelector("text=ホワイトスペースの部署（優先度の高い順）");
  await page.waitForSelector('#ws-ranked-section[data-state="done"]');
  seen.japaneseHeading = await page.textContent("#ws-ranked-title");
  seen.japaneseTitle = await page.textContent("h1#ws-title");
  seen.japaneseRanked = await ranked(page);
  seen.japaneseCategory = await page.inputValue("#ws-category");
  seen.japaneseWithin = await page.inputValue("#ws-within");
  await axe("whitespace-ja");
  await shot("whitespace-ja");
  await page.selectOption("#lang", "en");

  // 6. Another as-of day, typed into the date field: the list and the time line count from it.
  await page.goto(`${orgPage(ORG_ID, "whitespace")}?asOf=${AS_OF}`);
  await page.waitForSelector('#ws-ranked-section[data-state="done"]');
  await page.fill("#ws-as-of", LATER);
  await page.$eval("#ws-as-of", (input) => input.dispatchEvent(new Event("change")));
  for (const s of ["#ws-ranked-section", "#ws-timeline-section"]) {
    await page.waitForSelector(`${s}[data-state="done"]`, { timeout: 30000 });
  }
  seen.later = {
    shown: await page.getAttribute("#ws-as-of-shown", "data-as-of"),
    address: page.url(),
    ranked: await ranked(page),
    timeline: (await timeline(page)).marks,
  };
  await shot("whitespace-later");

  // 7. An unknown organization shows the not-found page.
  await page.goto(`${orgPage("no-such-organization", "whitespace")}`);
  await page.waitForSelector("#not-found");
  seen.notFoundText = await page.textContent("#not-found");
  await shot("whitespace-not-found");

  // 8. The API's refusal (whitespace of our own organization) is shown in words.
  await page.goto(`${orgPage(SELF_ID, "whitespace")}?asOf=${AS_OF}`);
  await page.waitForSelector("#api-error");
  seen.selfErrorText = await page.textContent("#api-error");
  await axe("whitespace-error");
  await shot("whitespace-api-error");
  seen.base = BASE_URL;
});
