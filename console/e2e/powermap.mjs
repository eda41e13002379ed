// The power map of the demo's holding company in headless Chromium: what it drew, its twin
// table, search, filters, the side panel by mouse and keyboard, and the force layout;
// tests/console/test_power_map.py compares it with the API.

import { ORG_ID, browse, orgPage } from "./lib.mjs";

await browse(async ({ page, seen, axe, shot, signedIn, clickNode }) => {
  // 1. The power map of the organization (with subsidiaries): time from navigation to the
  // laid-out graph, what it drew, its twin table, search, and a click on a person.
  const mapStarted = Date.now();
  await signedIn(orgPage(ORG_ID, "power-map"));
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
  await clickNode(picked);
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

});
