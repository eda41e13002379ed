// The power map's side panel: one person's title, department, decision rights and
// relationships (one read), and the editors' controls: change the stance, add or re-weight a
// KNOWS / INFLUENCES line to another person of the map (the public mutations updatePerson
// and link). A refused write (a viewer token: FORBIDDEN; a strength out of range: INVALID)
// is shown in words and changes nothing; a saved one updates the map in place.

import { ApiError, SignInNeeded, graphql } from "../api";
import { h } from "../dom";
import { buyingRole, t } from "../i18n";
import { pt } from "./person-text";
import { STANCE, type MapLine } from "./powermap-graph";
import { tt } from "./powermap-text";

/** What the panel needs from the page: the map's people and how to show an accepted write. */
export interface PanelHost {
  names: Map<string, string>;
  stanceOf(personId: string): string;
  stanceChanged(personId: string, stance: string): void;
  lineSaved(line: MapLine): void;
  /** False for a viewer token (Query.viewer): the editing controls are not offered. */
  canWrite: boolean;
  /** Large maps: how many reports of the person are folded away, and the switch. */
  folding?: { hidden(personId: string): number; shown(personId: string): boolean; toggle(personId: string): void };
}

type Detail = {
  person: {
    id: string;
    name: string;
    title: string | null;
    department: { name: string } | null;
    decisionRights: { area: string; role: string; scopeId: string }[];
    relationships: {
      type: string;
      dotted: boolean;
      strength: number | null;
      effectiveStrength: number;
      lastContactOn: string | null;
      from: { id: string; name: string };
      to: { id: string; name: string };
    }[];
  } | null;
};

const DETAIL = `query Person($id: ID!) { person(id: $id) { id name title department { name }
  decisionRights { area role scopeId }
  relationships { type dotted strength effectiveStrength lastContactOn from { id name } to { id name } } } }`;

type Failure = { __typename: string; code?: string; message?: string };

const SET_STANCE = `mutation Stance($id: ID!, $stance: Stance!) {
  updatePerson(id: $id, input: {stance: $stance}) {
    __typename ... on PersonPayload { person { id stance } } ... on Error { code message } } }`;

const LINK = `mutation Link($input: RelationshipInput!) {
  link(input: $input) {
    __typename
    ... on RelationshipPayload { relationship { type fromId toId effectiveStrength dotted } }
    ... on Error { code message } } }`;

/** The API's refusal in words; a network or server error as the API worded it. */
function refusal(failure: Failure | ApiError): string {
  return tt().refused(failure.message ?? failure.code ?? String(failure));
}

function stanceWords(stance: string): string {
  return `${STANCE[stance]?.glyph ?? "?"} ${t()[stance as keyof ReturnType<typeof t>] ?? stance}`;
}

/** Map people for the "other person" field: "name · id", so equal names stay apart. */
function peopleList(host: PanelHost): HTMLElement {
  const existing = document.getElementById("link-people");
  if (existing && existing.childElementCount === host.names.size) return existing;
  const list = h("datalist", { id: "link-people" }, [...host.names].map(([id, name]) => h("option", { value: `${name} · ${id}` })));
  existing?.remove();
  document.body.append(list);
  return list;
}

/** The id a typed "other person" names: "name · id", an id, or a name only one person has. */
function personNamed(host: PanelHost, text: string): string | null {
  const value = text.trim();
  const tail = value.split(" · ").pop()!;
  if (host.names.has(tail)) return tail;
  const same = [...host.names].filter(([, name]) => name === value);
  return same.length === 1 ? same[0][0] : null;
}

export async function openPanel(panel: HTMLElement, personId: string, host: PanelHost, message = ""): Promise<void> {
  panel.hidden = false;
  panel.replaceChildren(h("p", { role: "status" }, t().loading));
  const { person } = await graphql<Detail>(DETAIL, { id: personId });
  if (person === null) return;
  const reopen = (said: string): Promise<void> => openPanel(panel, personId, host, said).catch(panelError(panel));
  const close = h("button", { type: "button", id: "panel-close" }, t().closePanel);
  close.addEventListener("click", () => {
    panel.hidden = true;
  });
  const status = h("p", { id: "panel-status", role: "status" }, message);
  const alert = h("p", { id: "panel-error", class: "message", role: "alert" });

  // The stance: a select and a button (a select alone would save on every arrow key).
  const current = host.stanceOf(person.id);
  const stance = h(
    "select",
    { id: "panel-stance" },
    Object.keys(STANCE).map((s) => h("option", { value: s, selected: s === current }, stanceWords(s))),
  ) as HTMLSelectElement;
  const saveStance = h("button", { type: "button", id: "panel-stance-save" }, tt().saveStance);
  saveStance.addEventListener("click", () => {
    alert.textContent = "";
    status.textContent = tt().saving;
    const chosen = stance.value;
    void graphql<{ updatePerson: Failure & { person?: { id: string; stance: string } } }>(SET_STANCE, { id: person.id, stance: chosen })
      .then(({ updatePerson: result }) => {
        if (result.__typename !== "PersonPayload") {
          status.textContent = "";
          alert.textContent = refusal(result);
          return;
        }
        host.stanceChanged(person.id, result.person!.stance);
        void reopen(tt().stanceSaved(stanceWords(result.person!.stance)));
      })
      .catch((error) => {
        if (error instanceof SignInNeeded) throw error;
        status.textContent = "";
        alert.textContent = refusal(error as ApiError);
      });
  });

  // A KNOWS or INFLUENCES line to another person of the map: created, or re-weighted when it
  // exists (link is an upsert on type, from and to).
  const type = h("select", { id: "link-type" }, ["KNOWS", "INFLUENCES"].map((k) => h("option", { value: k }, t()[k as "KNOWS"]))) as HTMLSelectElement;
  const direction = h(
    "select",
    { id: "link-direction" },
    h("option", { value: "from" }, tt().fromThis),
    h("option", { value: "to" }, tt().toThis),
  ) as HTMLSelectElement;
  const other = h("input", { id: "link-person", list: "link-people", autocomplete: "off", required: true }) as HTMLInputElement;
  // The list of the map's people is built when first wanted (10,000 options cost ~1 s).
  other.addEventListener("focus", () => peopleList(host), { once: true });
  const strength = h("input", { id: "link-strength", type: "number", min: 0, max: 1, step: 0.05, value: "0.5" }) as HTMLInputElement;
  const contact = h("input", { id: "link-date", type: "date" }) as HTMLInputElement;
  const form = h(
    "form",
    { id: "panel-link", "aria-labelledby": "panel-link-title", novalidate: true },
    h("label", { for: "link-type" }, tt().linkType, " ", type),
    h("label", { for: "link-direction" }, tt().linkDirection, " ", direction),
    h("label", { for: "link-person" }, tt().linkPerson, " ", other),
    h("label", { for: "link-strength" }, tt().linkStrength, " ", strength),
    h("label", { for: "link-date" }, tt().linkDate, " ", contact),
    h("button", { type: "submit", id: "link-save" }, tt().saveLink),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    alert.textContent = "";
    const otherId = personNamed(host, other.value);
    if (otherId === null) {
      alert.textContent = tt().unknownPerson(other.value);
      return;
    }
    const [from, to] = direction.value === "from" ? [person.id, otherId] : [otherId, person.id];
    const input: Record<string, unknown> = { type: type.value, from, to, strength: strength.valueAsNumber };
    if (contact.value) input.lastContactOn = contact.value;
    status.textContent = tt().saving;
    void graphql<{ link: Failure & { relationship?: MapLine & { fromId: string; toId: string } } }>(LINK, { input })
      .then(({ link: result }) => {
        if (result.__typename !== "RelationshipPayload") {
          status.textContent = "";
          alert.textContent = refusal(result);
          return;
        }
        const r = result.relationship!;
        host.lineSaved({ type: r.type, from: r.fromId, to: r.toId, effectiveStrength: r.effectiveStrength, dotted: r.dotted });
        void reopen(tt().linkSaved(host.names.get(otherId) ?? otherId));
      })
      .catch((error) => {
        if (error instanceof SignInNeeded) throw error;
        status.textContent = "";
        alert.textContent = refusal(error as ApiError);
      });
  });

  const folding = host.folding;
  let foldButton: HTMLElement | null = null;
  if (folding && (folding.hidden(person.id) > 0 || folding.shown(person.id))) {
    foldButton = h(
      "button",
      { type: "button", id: "panel-fold" },
      folding.shown(person.id) ? tt().hideReports : tt().showReports(folding.hidden(person.id)),
    );
    foldButton.addEventListener("click", () => {
      folding.toggle(person.id);
      void reopen("");
    });
  }

  panel.replaceChildren(
    ...[
    h("h2", { id: "panel-name" }, person.name),
    h(
      "dl",
      {},
      h("dt", {}, t().title),
      h("dd", { id: "panel-title" }, person.title ?? "–"),
      h("dt", {}, t().department),
      h("dd", {}, person.department?.name ?? "–"),
    ),
    h("p", {}, h("a", { href: `/app/people/${encodeURIComponent(person.id)}`, id: "panel-routes" }, pt().routesLink)),
    foldButton,
    h("h3", {}, t().decisionRights),
    person.decisionRights.length === 0
      ? h("p", {}, t().none)
      : h("ul", { id: "panel-rights" }, person.decisionRights.map((r) => h("li", {}, `${r.area}: ${buyingRole(r.role)} (${r.scopeId})`))),
    h("h3", {}, t().relationships),
    person.relationships.length === 0
      ? h("p", {}, t().none)
      : h(
          "ul",
          { id: "panel-relationships" },
          person.relationships.map((r) => {
            const mine = r.from.id === person.id;
            const them = mine ? r.to : r.from;
            const contactText = r.lastContactOn ? `${t().lastContact} ${r.lastContactOn}` : t().noLastContact;
            const item = h(
              "li",
              { "data-other": them.id, "data-type": r.type },
              `${t()[r.type as "KNOWS"]}${r.dotted ? ` (${t().dottedLine})` : ""} ${mine ? "→" : "←"} ${them.name} — ${tt().strength} ${r.effectiveStrength.toFixed(2)}, ${contactText} `,
            );
            if (host.canWrite && r.type !== "REPORTS_TO" && host.names.has(them.id)) {
              const edit = h("button", { type: "button", class: "link", "aria-label": tt().editLink(them.name) }, tt().edit);
              edit.addEventListener("click", () => {
                type.value = r.type;
                direction.value = mine ? "from" : "to";
                other.value = `${them.name} · ${them.id}`;
                strength.value = String(r.strength ?? r.effectiveStrength);
                contact.value = r.lastContactOn ?? "";
                strength.focus();
              });
              item.append(edit);
            }
            return item;
          }),
        ),
    ...(host.canWrite
      ? [
          h("h3", {}, tt().editTitle),
          status,
          alert,
          h("div", { class: "panel-stance" }, h("label", { for: "panel-stance" }, tt().stanceSelect, " ", stance), " ", saveStance),
          h("h4", { id: "panel-link-title" }, tt().linkTitle),
          form,
        ]
      : [h("p", { id: "panel-read-only", class: "muted" }, tt().readOnly)]),
    close,
    ].filter((node): node is HTMLElement => node !== null),
  );
  if (!message) close.focus();
}

/** A failed panel read shown in the panel itself (the map stays usable). */
export function panelError(panel: HTMLElement): (error: unknown) => void {
  return (error) => {
    if (error instanceof SignInNeeded) throw error;
    panel.replaceChildren(h("p", { class: "message", role: "alert" }, refusal(error as ApiError)));
  };
}
