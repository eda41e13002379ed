// The signed-in token: pasted once or given as #token=… (stored, then removed from the
// address so that it does not stay in history, bookmarks or screenshots).

const KEY = "graphsvc.token";

export function currentToken(): string | null {
  return localStorage.getItem(KEY);
}

export function storeToken(token: string): void {
  localStorage.setItem(KEY, token.trim());
}

export function clearToken(): void {
  localStorage.removeItem(KEY);
}

/** Take a #token=… from the address into storage and drop it from the address. */
export function adoptTokenFromAddress(): void {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ""));
  const token = hash.get("token");
  if (token === null) return;
  if (token.trim()) storeToken(token);
  hash.delete("token");
  const rest = hash.toString();
  history.replaceState(history.state, "", location.pathname + location.search + (rest ? `#${rest}` : ""));
}
