// The person and routes page in headless Chromium: the routes written out and drawn, a route
// highlighted from the list, a person avoided by a click on the drawing, the starting people
// changed, the address reopened, an avoided person let back by keyboard, Japanese, an
// unknown person and an API error in words. tests/console/test_person.py compares it with
// the API. PERSON_ID: the person to open.

import { app, browse } from "./lib.mjs";

const { PERSON_ID, SMALL_ORG_ID } = process.env;

/** What the page shows now: the routes written out, the drawing, the options, the address. */
const read = (page) =>
  page.evaluate(() => {
    const map = document.querySelector("#route-map");
    const cy = window.__cy;
    const drawn = !map.hidden && cy && !cy.destroyed();
    return {
      search: location.search,
      status: document.querySelector("#routes-status").textContent,
      reason: document.querySelector("#routes-status").dataset.reason ?? null,
      routes: [...document.querySelectorAll("#routes li.route")].map((item) => ({
        people: [...item.querySelectorAll(".chain > li")].map((li) => li.dataset.personId),
        names: [...item.querySelectorAll(".chain > li a.person")].map((a) => a.textContent),
        hops: [...item.querySelectorAll(".chain .hop")].map((s) => s.dataset.type),
        entryPoint: item.querySelector(".entry-point").dataset.personId || null,
        weakestLink: [item.querySelector(".weakest-link").dataset.from, item.querySelector(".weakest-link").dataset.to],
        explanation: item.querySelector(".explanation").textContent,
        avoidButtons: [...item.querySelectorAll("button.avoid")].map((b) => b.dataset.personId),
      })),
      nodes: drawn ? cy.nodes().map((n) => n.id()).sort() : [],
      edges: drawn ? cy.edges().map((e) => [e.source().id(), e.target().id()].sort().join("|")).sort() : [],
      highlightedNodes: drawn ? cy.nodes(".on").map((n) => n.id()).sort() : [],
      nodeCount: map.dataset.nodeCount ? Number(map.dataset.nodeCount) : null,
      avoided: [...document.querySelectorAll("#avoided li[data-person-id]")].map((li) => li.dataset.personId),
      from: [...document.querySelectorAll("#from input[type=checkbox]")].filter((b) => b.checked).map((b) => b.value),
    };
  });

/** Do ``action`` and wait until the routes it asked for are shown. */
async function andWait(page, action) {
  await page.$eval("#route-map", (map) => {
    map.dataset.state = "stale";
  });
  await action();
  await page.waitForSelector('#route-map[data-state="done"]', { state: "attached", timeout: 30000 });
}

await browse(async ({ page, seen, axe, shot, signedIn, clickNode }) => {
  /** Click person ``id`` on the drawing, scrolled into view first; the scroll event reaches
   * Cytoscape (which caches where its canvas is) before the click does. */
  const clickOnDrawing = async (id) => {
    await page.$eval("#route-map", (map) => map.scrollIntoView({ block: "center" }));
    await page.evaluate(
      () =>
        new Promise((resolve) =>
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              window.__cy.resize();
              resolve(null);
            }),
          ),
        ),
    );
    await clickNode(id, "#route-map");
  };
  const address = app(`people/${encodeURIComponent(PERSON_ID)}`);
  // 1. The page of the person: header, routes written out and drawn, the first highlighted.
  const started = Date.now();
  await signedIn(address);
  await page.waitForSelector('#route-map[data-state="done"]', { state: "attached", timeout: 30000 });
  seen.millisToRoutes = Date.now() - started;
  seen.heading = await page.textContent("h1#person-name");
  seen.stance = await page.$eval("#person-stance", (s) => s.dataset.stance);
  seen.orgLinks = await page.$$eval("#person-facts a", (links) => links.map((a) => a.getAttribute("href")));
  seen.rights = await page.$$eval("#person-rights tbody tr", (rows) =>
    rows.map((row) => [row.querySelector("th").textContent, row.querySelector("td").dataset.role]),
  );
  seen.relationships = await page.$$eval("#person-relationships tbody tr", (rows) =>
    rows.map((row) => [row.querySelector("th a").dataset.personId, row.querySelector("td:last-child").textContent]),
  );
  seen.first = await read(page);
  await axe("person");
  await shot("person");

  // 2. "Show on the drawing" of the last route highlights its people.
  const last = seen.first.routes.length - 1;
  await page.click(`#routes li.route[data-route="${last}"] button.route-show`);
  seen.lastHighlighted = await read(page);
  seen.lastPressed = await page.$eval(`#routes li.route[data-route="${last}"] button.route-show`, (b) =>
    b.getAttribute("aria-pressed"),
  );
  await shot("person-route-highlighted");

  // 3. A click on the first route's second person on the drawing avoids them.
  seen.avoidedPerson = seen.first.routes[0].people[1];
  await andWait(page, () => clickOnDrawing(seen.avoidedPerson));
  seen.afterAvoid = await read(page);
  await axe("person-avoided");
  await shot("person-avoided");

  // 4. The first route's starting person is left out of the starting people.
  seen.leftOut = seen.afterAvoid.routes[0].people[0];
  await page.click("#from-details summary");
  await andWait(page, () => page.click(`#from input[value="${seen.leftOut}"]`));
  seen.afterFrom = await read(page);
  await shot("person-from");

  // 5. The address reproduces the view.
  seen.sharedAddress = page.url();
  await page.goto(seen.sharedAddress);
  await page.waitForSelector('#route-map[data-state="done"]', { state: "attached", timeout: 30000 });
  seen.reopened = await read(page);

  // 6. The avoided person is let back from the keyboard.
  await page.focus(`#avoided button.unavoid[data-person-id="${seen.avoidedPerson}"]`);
  await andWait(page, () => page.keyboard.press("Enter"));
  seen.afterUnavoid = await read(page);

  // The browser's back and forward buttons go through the same views.
  await andWait(page, () => page.goBack());
  seen.back = await read(page);
  await andWait(page, () => page.goForward());
  seen.forward = await read(page);

  // 7. The target cannot be avoided: a click on it says so and changes nothing.
  const before = await page.textContent("#routes-status");
  await clickOnDrawing(PERSON_ID);
  await page.waitForFunction((text) => document.querySelector("#routes-status").textContent !== text, before);
  seen.targetClicked = await read(page);

  // 8. More routes, then too few links for any: the reason in words.
  await andWait(page, async () => {
    await page.fill("#route-k", "5");
    await page.$eval("#route-k", (input) => input.dispatchEvent(new Event("change")));
  });
  seen.fiveRoutes = await read(page);
  await andWait(page, async () => {
    await page.fill("#route-max-hops", "1");
    await page.$eval("#route-max-hops", (input) => input.dispatchEvent(new Event("change")));
  });
  seen.oneHop = await read(page);
  await shot("person-no-route");
  await andWait(page, async () => {
    await page.fill("#route-max-hops", "6");
    await page.$eval("#route-max-hops", (input) => input.dispatchEvent(new Event("change")));
  });
  await andWait(page, async () => {
    await page.fill("#route-k", "3");
    await page.$eval("#route-k", (input) => input.dispatchEvent(new Event("change")));
  });

  // 9. Japanese.
  await page.selectOption("#lang", "ja");
  await page.waitForFunction(() => document.documentElement.lang === "ja");
  await page.waitForSelector('#route-map[data-state="done"]', { state: "attached", timeout: 30000 });
  seen.japaneseHeading = await page.textContent("#routes-title");
  seen.japanese = await read(page);
  await axe("person-ja");
  await shot("person-ja");
  await page.selectOption("#lang", "en");

  // 10. An unknown person, and an API error (an unknown id to avoid) in words.
  await page.goto(app("people/no-such-person"));
  await page.waitForSelector("body[data-ready=true]");
  seen.notFound = await page.textContent("#not-found");
  await shot("person-not-found");
  await page.goto(`${address}?avoid=no-such-person`);
  await page.waitForSelector('#route-map[data-state="done"]', { state: "attached", timeout: 30000 });
  seen.error = await read(page);
  await shot("person-error");

  // 11. The power map's side panel links here ("Routes to this person").
  await page.goto(app(`organizations/${encodeURIComponent(SMALL_ORG_ID)}/power-map`));
  await page.waitForSelector('#map[data-layout="done"]', { timeout: 60000 });
  seen.panelPerson = await page.$eval("table#people tbody button", (b) => b.dataset.personId);
  await page.click("table#people tbody button");
  await page.waitForSelector("#panel-routes");
  await page.click("#panel-routes");
  await page.waitForSelector('#route-map[data-state="done"]', { state: "attached", timeout: 30000 });
  seen.fromPanel = { path: await page.evaluate(() => location.pathname), heading: await page.textContent("h1") };
});
