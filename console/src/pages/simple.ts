// Pages without data: sign-in, not found, errors, and the start page.

import { ApiError } from "../api";
import { h, show } from "../dom";
import { t } from "../i18n";
import { storeToken } from "../token";

export function signInPage(message: string | null, onSignedIn: () => void): void {
  const input = h("input", {
    id: "token",
    name: "token",
    type: "password",
    autocomplete: "off",
    required: true,
    "aria-describedby": "sign-in-help",
  }) as HTMLInputElement;
  const status = h("p", { id: "sign-in-message", class: "message", role: "alert" }, message ?? "");
  const form = h(
    "form",
    { id: "sign-in", "aria-labelledby": "sign-in-title" },
    h("p", { id: "sign-in-help" }, t().signInHelp),
    h("label", { for: "token" }, t().tokenLabel),
    input,
    h("button", { type: "submit" }, t().signInButton),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!input.value.trim()) {
      status.textContent = t().signInEmpty;
      return;
    }
    storeToken(input.value);
    onSignedIn();
  });
  show(h("h1", { id: "sign-in-title" }, t().signInTitle), status, form);
  input.focus();
}

export function notFoundPage(what: string | null): void {
  show(
    h(
      "section",
      { id: "not-found", "aria-labelledby": "not-found-title" },
      h("h1", { id: "not-found-title" }, t().notFoundTitle),
      h("p", {}, what === null ? t().pageNotFound : t().notFoundText(what)),
      h("p", {}, h("a", { href: "/app/" }, t().backHome)),
    ),
  );
}

export function errorPage(error: unknown): void {
  const text = error instanceof ApiError ? `${error.message} (${error.code})` : String(error);
  show(
    h(
      "section",
      { id: "api-error", role: "alert", "aria-labelledby": "api-error-title" },
      h("h1", { id: "api-error-title" }, t().errorTitle),
      h("p", {}, text),
    ),
  );
}

export function homePage(navigate: (path: string) => void): void {
  const input = h("input", { id: "org-id", name: "org-id", required: true }) as HTMLInputElement;
  const form = h(
    "form",
    { id: "open-org", "aria-labelledby": "home-title" },
    h("label", { for: "org-id" }, t().orgLabel),
    input,
    h("button", { type: "submit" }, t().openButton),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (input.value.trim()) navigate(`/app/organizations/${encodeURIComponent(input.value.trim())}`);
  });
  show(h("h1", { id: "home-title" }, t().homeTitle), form);
}
