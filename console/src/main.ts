// The console's shell: sign-in, the language switch, and client-side routing over the stable
// addresses of CONTRACT §9 (the server answers index.html for each of them).

import "@fontsource-variable/noto-sans-jp";
import "./style.css";
import { SignInNeeded } from "./api";
import { asOfFromAddress } from "./asof";
import { h } from "./dom";
import { currentLang, setLang, t, type Lang } from "./i18n";
import { overviewPage } from "./pages/overview";
import { coveragePage } from "./pages/coverage";
import { pipelinePage } from "./pages/pipeline";
import { personPage } from "./pages/person";
import { powerMapPage } from "./pages/powermap";
import { whitespacePage } from "./pages/whitespace";
import { errorPage, homePage, notFoundPage, signInPage } from "./pages/simple";
import { adoptTokenFromAddress, clearToken, currentToken } from "./token";

function navigate(path: string): void {
  history.pushState(null, "", path);
  void route();
}

function renderChrome(orgId: string | null): void {
  const select = document.getElementById("lang") as HTMLSelectElement;
  select.value = currentLang();
  document.getElementById("lang-label")!.textContent = t().language;
  const signOut = document.getElementById("sign-out")!;
  signOut.textContent = t().signOut;
  signOut.hidden = currentToken() === null;
  const nav = document.getElementById("nav")!;
  nav.setAttribute("aria-label", t().navPages);
  if (orgId === null) {
    nav.replaceChildren();
    return;
  }
  const base = `/app/organizations/${encodeURIComponent(orgId)}`;
  const links: [string, string][] = [
    [base, t().navOverview],
    [`${base}/power-map`, t().navPowerMap],
    [`${base}/whitespace`, t().navWhitespace],
    [`${base}/pipeline`, t().navPipeline],
    [`${base}/coverage`, t().navCoverage],
  ];
  nav.replaceChildren(
    h(
      "ul",
      {},
      links.map(([href, label]) =>
        h("li", {}, h("a", { href, "aria-current": href === location.pathname ? "page" : undefined }, label)),
      ),
    ),
  );
}

let signInMessage: string | null = null;

/** The pages of an organization, by the last part of their address (CONTRACT §9). */
const ORG_PAGES: Record<string, (orgId: string) => Promise<void> | void> = {
  "": overviewPage,
  "power-map": powerMapPage,
  whitespace: whitespacePage,
  pipeline: pipelinePage,
  coverage: coveragePage,
};

let routing: Promise<void> = Promise.resolve();
let requested = 0;

/** Show the page of the current address. Pages render after their requests answer, so two
 * pages must never load at once (the one asked first could finish last and draw over the
 * other): each navigation waits for the page before it, and one superseded by a later
 * navigation while it waited is skipped. */
function route(): Promise<void> {
  const mine = ++requested;
  routing = routing.then(() => (mine === requested ? render() : undefined));
  return routing;
}

async function render(): Promise<void> {
  const path = location.pathname.replace(/\/+$/, "");
  const org = /^\/app\/organizations\/([^/]+)(?:\/([a-z-]+))?$/.exec(path);
  const person = /^\/app\/people\/([^/]+)$/.exec(path);
  const orgId = org ? decodeURIComponent(org[1]) : null;
  asOfFromAddress(); // an address's ?asOf is remembered for the tab's other pages
  renderChrome(orgId);
  if (currentToken() === null) {
    signInPage(signInMessage, () => {
      signInMessage = null;
      void route();
    });
    return;
  }
  try {
    if (path === "/app" || path === "") homePage(navigate);
    else if (org && Object.hasOwn(ORG_PAGES, org[2] ?? "")) await ORG_PAGES[org[2] ?? ""](orgId!);
    else if (person) await personPage(decodeURIComponent(person[1]));
    else notFoundPage(null);
    signInMessage = null;
  } catch (error) {
    if (error instanceof SignInNeeded) {
      clearToken();
      signInMessage = t().signInRejected;
      await render();
      return;
    }
    errorPage(error);
  }
  document.body.dataset.ready = "true";
}

function start(): void {
  adoptTokenFromAddress();
  setLang(currentLang());
  document.getElementById("lang")!.addEventListener("change", (event) => {
    setLang((event.target as HTMLSelectElement).value as Lang);
    void route();
  });
  document.getElementById("sign-out")!.addEventListener("click", () => {
    clearToken();
    void route();
  });
  // Links inside the console change the page without reloading it.
  document.addEventListener("click", (event) => {
    const link = (event.target as Element).closest("a");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || link.target || link.hasAttribute("download")) return;
    const url = new URL(link.href);
    if (url.origin !== location.origin || !url.pathname.startsWith("/app")) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
  window.addEventListener("popstate", () => void route());
  void route();
}

start();
