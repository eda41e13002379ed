// Opens the example page in headless Chromium (Debian's, through playwright-core) and prints,
// as JSON on stdout, what the page showed and what the browser reported: the page's status
// line, the organizations listed, how the page ended (answer or error), every request it made
// and the console's errors (where Chromium names a blocked CORS preflight).
//
// Environment: PAGE_URL (the page on its own origin, with #api=…&token=…), CHROMIUM.

import { chromium } from "playwright-core";

const { PAGE_URL, CHROMIUM } = process.env;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--no-sandbox", "--disable-background-networking"],
});
const seen = { requests: [], failed: [], consoleErrors: [], pageErrors: [] };
try {
  const page = await browser.newPage();
  page.on("request", (request) => seen.requests.push({ method: request.method(), url: request.url() }));
  page.on("requestfailed", (request) => seen.failed.push({ url: request.url(), error: request.failure()?.errorText }));
  page.on("console", (message) => message.type() === "error" && seen.consoleErrors.push(message.text()));
  page.on("pageerror", (error) => seen.pageErrors.push(String(error)));
  await page.goto(PAGE_URL);
  await page.waitForSelector("body[data-done]", { timeout: 60000 });
  seen.origin = await page.evaluate(() => location.origin);
  seen.done = await page.getAttribute("body", "data-done");
  seen.status = await page.textContent("#status");
  seen.organizations = await page.$$eval("#organizations li", (items) =>
    items.map((item) => ({ id: item.dataset.id, name: item.textContent })),
  );
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(seen));
