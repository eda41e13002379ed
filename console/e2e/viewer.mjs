// A viewer token (read-only) on the power map: the side panel offers no editing controls and
// says why; tests/console/test_power_map_edit.py checks it beside the editor's test.

import { ORG_ID, browse, orgPage } from "./lib.mjs";

await browse(async ({ page, seen, axe, shot, signedIn }) => {
  await signedIn(orgPage(ORG_ID, "power-map"));
  await page.waitForSelector('#map[data-layout="done"]', { timeout: 60000 });
  const first = await page.$eval("table#people tbody tr", (row) => row.dataset.personId);
  await page.click(`table#people button[data-person-id="${first}"]`);
  await page.waitForSelector("#panel-name");
  seen.readOnly = await page.textContent("#panel-read-only").catch(() => null);
  seen.editingControls = await page.$$eval("#panel-stance, #panel-stance-save, #person-panel form", (found) => found.length);
  await axe("power-map-viewer");
  await shot("power-map-viewer");
});
