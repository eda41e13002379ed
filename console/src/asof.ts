// The day date-relative pages (whitespace, pipeline, coverage) count to. An address's
// ?asOf=YYYY-MM-DD wins and is remembered for the browser tab, so moving between pages keeps
// the day (the demo's link carries the demo world's today); without either, the browser's
// today. Pages write asOf into their address whenever it is not today, so a shared link
// shows the same figures.

const KEY = "graphsvc.asOf";
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Today in the browser's time zone, as YYYY-MM-DD: the users' day, not the server's (UTC). */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Remember ``day`` for this tab (a page's as-of field changed, or an address named it). */
export function rememberAsOf(day: string): void {
  if (ISO_DAY.test(day)) sessionStorage.setItem(KEY, day);
}

/** The day the current address asks for: its asOf, else the tab's last one, else today. */
export function asOfFromAddress(): string {
  const asked = new URLSearchParams(location.search).get("asOf") ?? "";
  if (ISO_DAY.test(asked)) {
    rememberAsOf(asked);
    return asked;
  }
  const remembered = sessionStorage.getItem(KEY) ?? "";
  return ISO_DAY.test(remembered) ? remembered : today();
}
