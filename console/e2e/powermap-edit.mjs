// Editing from the power map's panel in headless Chromium: a stance, a new KNOWS line, a
// re-weighted line and a refused write, each seen on the map and in its twin table; the map
// without subsidiaries; the map in Japanese; an unknown organization. tests/console/test_power_map_edit.py picks the people
// (PERSON_ID, OTHER_ID, LINE_TYPE + LINE_OTHER) and compares with the API afterwards.

import { ORG_ID, browse, orgPage } from "./lib.mjs";

const { PERSON_ID, OTHER_ID, LINE_TYPE, LINE_OTHER } = process.env;

/** What the map and the table show of one person. */
const personShown = (page, id) =>
  page.evaluate((pid) => {
    const node = window.__cy.$id(pid);
    const cell = document.querySelector(`table#people tr[data-person-id="${CSS.escape(pid)}"] td[data-stance]`);
    return { fill: node.data("fill"), label: node.data("label"), rowStance: cell.dataset.stance, rowText: cell.textContent };
  }, id);

/** The map's line between two people of a type (either way for KNOWS), with its width. */
const lineShown = (page, type, a, b) =>
  page.evaluate(
    ([t, x, y]) => {
      const edge = [`${t}|${x}|${y}`, `${t}|${y}|${x}`].map((id) => window.__cy.$id(id)).find((e) => e.nonempty());
      return edge ? { id: edge.id(), width: edge.data("width") } : null;
    },
    [type, a, b],
  );

const waitStatus = (page, text) =>
  page.waitForFunction((t) => document.querySelector("#panel-status")?.textContent?.includes(t), text, { timeout: 20000 });

await browse(async ({ page, seen, axe, shot, signedIn, clickNode }) => {
  await signedIn(orgPage(ORG_ID, "power-map"));
  await page.waitForSelector('#map[data-layout="done"]', { timeout: 60000 });
  seen.edgeCountBefore = await page.evaluate(() => window.__cy.edges().length);
  // the department filter names each department's company
  seen.departmentOptions = await page.$$eval("#f-department option", (options) =>
    options.filter((o) => o.value).map((o) => ({ id: o.value, text: o.textContent })),
  );

  // 1. the stance: the panel opened by a click on the node, a new stance saved
  seen.before = await personShown(page, PERSON_ID);
  await clickNode(PERSON_ID);
  await page.waitForSelector("#panel-stance", { timeout: 20000 });
  await page.selectOption("#panel-stance", "CHAMPION");
  await page.click("#panel-stance-save");
  await waitStatus(page, "Stance saved");
  seen.after = await personShown(page, PERSON_ID);
  seen.panelStance = await page.$eval("#panel-stance", (s) => s.value);
  await axe("power-map-edit");
  await shot("power-map-stance");

  // 2. a new KNOWS line to another person of the map, typed as the list offers them
  const otherName = await page.evaluate((id) => window.__cy.$id(id).data("label"), OTHER_ID);
  seen.lineBefore = await lineShown(page, "KNOWS", PERSON_ID, OTHER_ID);
  await page.selectOption("#link-type", "KNOWS");
  await page.focus("#link-person"); // the list of the map's people is built on focus
  await page.fill("#link-person", await page.$eval(`#link-people option[value$=" · ${OTHER_ID}"]`, (o) => o.value));
  await page.fill("#link-strength", "0.8");
  await page.fill("#link-date", "2026-11-20");
  await page.click("#link-save");
  await waitStatus(page, "saved");
  seen.lineAdded = await lineShown(page, "KNOWS", PERSON_ID, OTHER_ID);
  seen.edgeCountAfter = await page.evaluate(() => window.__cy.edges().length);
  seen.otherLabel = otherName;
  await shot("power-map-line-added");

  // 3. an existing line re-weighted from its Edit button in the panel
  seen.reweightBefore = await lineShown(page, LINE_TYPE, PERSON_ID, LINE_OTHER);
  await page.click(`#panel-relationships li[data-other="${LINE_OTHER}"][data-type="${LINE_TYPE}"] button`);
  seen.prefilled = await page.$eval("#link-person", (i) => i.value);
  await page.fill("#link-strength", "0.15");
  await page.click("#link-save");
  await waitStatus(page, "saved");
  seen.reweightAfter = await lineShown(page, LINE_TYPE, PERSON_ID, LINE_OTHER);

  // 4. a strength out of range: refused by the API, said in words, nothing changes
  await page.click(`#panel-relationships li[data-other="${LINE_OTHER}"][data-type="${LINE_TYPE}"] button`);
  await page.fill("#link-strength", "1.5");
  await page.click("#link-save");
  await page.waitForFunction(() => document.querySelector("#panel-error")?.textContent, null, { timeout: 20000 });
  seen.refusal = await page.textContent("#panel-error");
  seen.afterRefusal = await lineShown(page, LINE_TYPE, PERSON_ID, LINE_OTHER);
  await shot("power-map-refused");

  // 5. without the subsidiaries: the holding's own people and lines
  await page.click("#subsidiaries");
  await page.waitForSelector('#map[data-layout="done"]', { timeout: 60000 });
  seen.alone = await page.evaluate(() => ({
    checked: document.getElementById("subsidiaries").checked,
    nodes: window.__cy.nodes().map((n) => n.id()),
    edges: window.__cy.edges().map((e) => e.id()),
    rows: [...document.querySelectorAll("table#people tbody tr")].map((r) => r.dataset.personId),
  }));
  await shot("power-map-without-subsidiaries");

  // 6. the same map in Japanese (after a reload: the edits are the API's now)
  await page.selectOption("#lang", "ja");
  await page.waitForSelector('#map[data-layout="done"]', { timeout: 60000 });
  seen.jaHeading = await page.textContent("#org-name");
  seen.jaAfterReload = await personShown(page, PERSON_ID);
  await clickNode(PERSON_ID);
  await page.waitForSelector("#panel-stance-save", { timeout: 20000 });
  seen.jaSave = await page.textContent("#panel-stance-save");
  await axe("power-map-ja");
  await shot("power-map-ja");
  await page.selectOption("#lang", "en");

  // 7. an unknown organization: the not-found page
  await page.goto(orgPage("no-such-org", "power-map"));
  await page.waitForSelector("#not-found-title", { timeout: 30000 });
  seen.notFound = await page.textContent("#not-found");
  await shot("power-map-not-found");
});
