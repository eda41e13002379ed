// The pipeline page of the demo's holding company in headless Chromium: the funnel and its
// twin table, the bottleneck, the stalled deals, the include-subsidiaries switch by keyboard,
// Japanese, an API error in words and an unknown organization;
// tests/console/test_pipeline.py compares what it saw with the API.

import { ORG_ID, browse, orgPage, scopedRefusedDays, scopedWithoutSubsidiaries } from "./lib.mjs";

const { AS_OF } = process.env;

/** Everything the page shows of the pipeline, read from the page. */
async function read(page) {
  return page.evaluate(() => {
    const text = (selector) => document.querySelector(selector)?.textContent ?? null;
    const cells = (row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent);
    return {
      heading: text("h1"),
      asOfInput: document.querySelector("#as-of").value,
      area: { ...document.querySelector("#pipeline").dataset },
      figures: Object.fromEntries(
        [...document.querySelectorAll("#pipeline-figures .figure")].map((f) => [f.id.replace("figure-", ""), f.querySelector("dd").textContent]),
      ),
      funnel: [...document.querySelectorAll("#funnel g.funnel-stage")].map((g) => ({
        stage: g.dataset.stage,
        count: Number(g.dataset.count),
        amount: Number(g.dataset.amount),
        weightedAmount: Number(g.dataset.weightedAmount),
        bottleneck: g.classList.contains("bottleneck"),
        texts: [...g.querySelectorAll("text")].map((t) => t.textContent),
      })),
      table: [...document.querySelectorAll("table#stages tbody tr")].map((row) => ({
        stage: row.dataset.stage,
        count: Number(row.dataset.count),
        amount: Number(row.dataset.amount),
        weightedAmount: Number(row.dataset.weightedAmount),
        cells: cells(row),
      })),
      bottleneck: document.querySelector("#bottleneck").dataset.stage,
      bottleneckText: text("#bottleneck"),
      stalled: [...document.querySelectorAll("table#stalled tbody tr")].map((row) => ({
        id: row.dataset.opportunityId,
        daysInStage: Number(row.dataset.daysInStage),
        cells: cells(row),
      })),
      stalledHelp: text("#stalled-help"),
    };
  });
}

await browse(async (b) => {
  const { page, seen, axe, shot, signedIn } = b;
  // 1. The pipeline of the organization with its subsidiaries, on the demo's today.
  await signedIn(`${orgPage(ORG_ID, "pipeline")}?asOf=${AS_OF}`);
  await page.waitForSelector('#pipeline[data-state="done"]', { timeout: 30000 });
  seen.withSubsidiaries = await read(page);
  await axe("pipeline");
  await shot("pipeline");

  // 2. The include-subsidiaries switch, by keyboard: the page asks again and keeps the focus.
  await scopedWithoutSubsidiaries(b, "pipeline", read);

  // 3. Japanese: headings and words change, the figures do not.
  await page.selectOption("#lang", "ja");
  await page.waitForFunction(() => document.querySelector("h1")?.textContent.startsWith("パイプライン"));
  await page.waitForSelector('#pipeline[data-state="done"]');
  seen.japanese = { heading: await page.textContent("h1"), funnelTitle: await page.textContent("#funnel-title") };
  await axe("pipeline-ja");
  await shot("pipeline-ja");
  await page.selectOption("#lang", "en");
  await page.waitForFunction(() => document.querySelector("h1")?.textContent.startsWith("Pipeline"));

  // 4. A stall limit the API refuses: its error, in words, under the controls.
  await scopedRefusedDays(b, "pipeline", -1);

  // 5. An unknown organization: the not-found page.
  await page.goto(orgPage("no-such-organization", "pipeline"));
  await page.waitForSelector("#not-found");
  seen.notFoundText = await page.textContent("#not-found");
  await shot("pipeline-not-found");
});
