// The power map's speed in headless Chromium, for bench/console_map.py (not a test): time from
// navigation to a map that answers clicks, a click at that moment (the panel shown, and when
// from navigation), a click's answer once every line is drawn, frames while panning and
// zooming with the mouse, and (on a folded map) unfolding a person's reports. RUNS page
// loads; the first one meets a cold server (powerMap computed, Cytoscape not cached).

import { ORG_ID, browse, orgPage } from "./lib.mjs";

const runs = Number(process.env.RUNS ?? 3);

/** Frames drawn while ``act`` runs: count, frames per second, longest gap between two. */
async function frames(page, act) {
  await page.evaluate(() => {
    window.__frames = [];
    const tick = (t) => {
      if (!window.__frames) return;
      window.__frames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const started = Date.now();
  await act();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r))));
  const seconds = (Date.now() - started) / 1000;
  const stamps = await page.evaluate(() => {
    const f = window.__frames;
    window.__frames = null;
    return f;
  });
  let longest = 0;
  for (let i = 1; i < stamps.length; i++) longest = Math.max(longest, stamps[i] - stamps[i - 1]);
  return { frames: stamps.length, fps: Math.round((stamps.length / seconds) * 10) / 10, longestFrameMs: Math.round(longest), seconds };
}

await browse(async ({ page, seen, signedIn, clickNode }) => {
  seen.runs = [];
  for (let run = 0; run < runs; run++) {
    const began = Date.now();
    if (run === 0) await signedIn(orgPage(ORG_ID, "power-map"));
    else await page.goto(orgPage(ORG_ID, "power-map"));
    // as soon as the people are drawn (the lines still coming), a click on the top person
    await page.waitForFunction(() => performance.getEntriesByName("map:drawn").length > 0, null, { timeout: 180000, polling: 10 });
    const top = await page.evaluate(() => window.__cy.nodes().max((n) => n.data("size")).ele.id());
    const early = Date.now();
    await clickNode(top);
    await page.waitForSelector("#panel-name", { timeout: 60000 });
    const earlyClickMillis = Date.now() - early;
    const earlyClickAt = await page.evaluate(() => Math.round(performance.now()));
    await page.waitForSelector('#map[data-layout="done"]', { timeout: 180000 });
    const wall = Date.now() - began;
    await page.click("#panel-close");
    const figures = await page.evaluate(() => {
      const map = document.getElementById("map");
      const mark = (name) => Math.round(performance.getEntriesByName(name)[0]?.startTime ?? -1);
      return {
        people: Number(map.dataset.people),
        nodes: Number(map.dataset.nodeCount),
        edges: Number(map.dataset.edgeCount),
        // from navigation start (the page's time origin) to each step
        data: mark("map:data"),
        table: mark("map:table"),
        library: mark("map:library"),
        built: mark("map:built"),
        interactive: mark("map:drawn"), // the people drawn: clicks answered
        complete: mark("map:lines"), // the lines drawn too
      };
    });
    // a click on the most influential person's node, until the panel shows their name
    const first = await page.evaluate(() => window.__cy.nodes().max((n) => n.data("size")).ele.id());
    const clicked = Date.now();
    await clickNode(first);
    await page.waitForSelector("#panel-name", { timeout: 60000 });
    const clickMillis = Date.now() - clicked;
    await page.click("#panel-close");
    // drag the map for 40 mouse steps, then 10 wheel ticks of zoom in and out
    const box = await page.$eval("#map", (m) => {
      const r = m.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    });
    const pan = await frames(page, async () => {
      await page.mouse.move(box.x, box.y);
      await page.mouse.down();
      for (let i = 0; i < 40; i++) await page.mouse.move(box.x + i * 8, box.y + i * 3);
      await page.mouse.up();
    });
    const zoom = await frames(page, async () => {
      for (let i = 0; i < 10; i++) {
        await page.mouse.wheel(0, i < 5 ? -300 : 300);
        await page.waitForTimeout(30);
      }
    });
    const result = { wall, ...figures, earlyClickMillis, earlyClickAt, clickMillis, pan, zoom };
    // a folded map: unfold the reports of a person whose reports are folded away
    const folded = await page.evaluate(() => window.__cy.nodes(".folded").first().id() || null);
    if (folded) {
      await page.evaluate(() => window.__cy.fit());
      const opened = await page.$(`table#people button[data-person-id="${folded}"]`);
      await opened.click();
      await page.waitForSelector("#panel-fold", { timeout: 60000 });
      const before = result.nodes;
      const unfolded = Date.now();
      await page.click("#panel-fold");
      await page.waitForFunction((n) => Number(document.getElementById("map").dataset.nodeCount) > n, before, { timeout: 60000 });
      await page.waitForSelector('#map[data-layout="done"]', { timeout: 60000 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r))));
      result.unfold = { person: folded, millis: Date.now() - unfolded, nodesAfter: await page.$eval("#map", (m) => Number(m.dataset.nodeCount)) };
    }
    seen.runs.push(result);
  }
});
