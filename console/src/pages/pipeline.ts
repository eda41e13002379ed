// Pipeline (/app/organizations/{id}/pipeline, CONTRACT §7): the stage funnel of the open
// deals of the organization scope (count, amount, weighted amount per stage of the model),
// its twin table with the conversion figures, the bottleneck as the API names it, and the
// stalled deals. One read of `pipeline` per scope, day and stall limit (all in the address).

import { graphql } from "../api";
import { h } from "../dom";
import { formatNumber, t, texts } from "../i18n";
import { scopedPage } from "./asof-scope";
import { drawFunnel } from "./pipeline-funnel";
import { figure, percent } from "./pipecov-format";

const STALLED_AFTER_DAYS = 30;

const tt = texts({
  en: {
    title: (org: string) => `Pipeline: ${org}`,
    help: "The open deals of the organization and, unless unticked, its subsidiaries, per stage of the workspace's stage model.",
    stalledAfter: "Stalled after (days)",
    openDeals: "Open deals",
    openAmount: "Open amount",
    weightedAmount: "Weighted amount",
    stalledDeals: "Stalled deals",
    bottleneck: "Bottleneck",
    noBottleneck: "None",
    funnel: "Stage funnel",
    funnelHelp: "Bar length: the stage's open amount; dark inner bar: its weighted amount (amount × the deal's probability, else the stage's). ⚠ and an orange outline: the bottleneck.",
    funnelLabel: "Stage funnel (the table below lists the same figures)",
    deals: (n: number) => (n === 1 ? "1 deal" : `${formatNumber(n)} deals`),
    weighted: (amount: string) => `weighted ${amount}`,
    stage: "Stage",
    probability: "Default probability",
    medianDays: "Median days in stage",
    entered: "Entered",
    advanced: "Advanced or won",
    conversion: "Conversion rate",
    bottleneckIs: (stage: string, rate: string, advanced: number, entered: number) =>
      `Bottleneck: ${stage}. Its conversion rate, ${rate} (${formatNumber(advanced)} of ${formatNumber(entered)} deals that entered it moved to a later stage or were won), is the lowest among the stages deals left, were lost in or are stalled in.`,
    bottleneckNone: "No bottleneck: no deal has left a stage, been lost in one or stalled in one.",
    stalledHelp: (days: number, asOf: string) => `Open deals that have been in their stage for more than ${formatNumber(days)} days on ${asOf}, longest first.`,
    noStalled: "No stalled deals.",
    opportunity: "Opportunity",
    department: "Department",
    daysInStage: "Days in stage",
    owner: "Owner",
    amount: "Amount",
    why: "Why stalled",
    whyText: (stage: string, days: number, limit: number) => `${formatNumber(days)} days in ${stage}, more than ${formatNumber(limit)}`,
    failed: "The pipeline could not be loaded:",
    won: "Won",
    lost: "Lost",
    winRate: "Win rate",
    closed: (count: number, amount: number) => `${formatNumber(count)} · ${formatNumber(amount)}`,
    winRateHelp: "Won and lost: the deals of the scope now won or lost, whatever their stage or close date; win rate: won ÷ (won + lost), by count.",
  },
  ja: {
    title: (org: string) => `パイプライン：${org}`,
    help: "組織（チェックを外さない限り子会社を含む）の進行中の商談を、ワークスペースのステージ定義の順に示します。",
    stalledAfter: "停滞とみなす日数",
    openDeals: "進行中の商談",
    openAmount: "進行中の金額",
    weightedAmount: "加重金額",
    stalledDeals: "停滞している商談",
    bottleneck: "ボトルネック",
    noBottleneck: "なし",
    funnel: "ステージ別ファネル",
    funnelHelp: "棒の長さ：ステージの進行中金額。内側の濃い棒：加重金額（金額 × 商談の確度、なければステージの確度）。⚠ とオレンジの枠：ボトルネック。",
    funnelLabel: "ステージ別ファネル（下の表に同じ数値を掲載）",
    deals: (n: number) => `${formatNumber(n)} 件`,
    weighted: (amount: string) => `加重 ${amount}`,
    stage: "ステージ",
    probability: "既定の確度",
    medianDays: "滞留日数の中央値",
    entered: "到達",
    advanced: "前進または受注",
    conversion: "転換率",
    bottleneckIs: (stage: string, rate: string, advanced: number, entered: number) =>
      `ボトルネック：${stage}。転換率 ${rate}（到達した ${formatNumber(entered)} 件のうち ${formatNumber(advanced)} 件が次のステージへ進むか受注）は、商談が離れた・失注した・停滞しているステージの中で最も低い値です。`,
    bottleneckNone: "ボトルネックなし：ステージを離れた商談も、失注・停滞した商談もありません。",
    stalledHelp: (days: number, asOf: string) => `${asOf} 時点で同じステージに ${formatNumber(days)} 日を超えて留まっている進行中の商談（長い順）。`,
    noStalled: "停滞している商談はありません。",
    opportunity: "商談",
    department: "部署",
    daysInStage: "滞留日数",
    owner: "担当者",
    amount: "金額",
    why: "停滞の理由",
    whyText: (stage: string, days: number, limit: number) => `${stage} に ${formatNumber(days)} 日（${formatNumber(limit)} 日超）`,
    failed: "パイプラインを読み込めませんでした：",
    won: "受注",
    lost: "失注",
    winRate: "受注率",
    closed: (count: number, amount: number) => `${formatNumber(count)} 件 · ${formatNumber(amount)}`,
    winRateHelp: "受注・失注：範囲内で現在受注・失注となっている商談（ステージ・完了日を問わず）。受注率：受注 ÷（受注 + 失注）、件数ベース。",
  },
});

interface Stage {
  stage: string;
  probability: number;
  count: number;
  amount: number;
  weightedAmount: number;
  medianDaysInStage: number | null;
  conversionRate: number | null;
  entered: number;
  advanced: number;
}

interface Stalled {
  stage: string;
  daysInStage: number;
  opportunity: {
    id: string;
    name: string;
    amount: number | null;
    organization: { id: string; name: string };
    department: { name: string } | null;
    owner: { name: string } | null;
  };
}

interface Closed {
  count: number;
  amount: number;
}

interface Pipeline {
  asOf: string;
  bottleneck: string | null;
  won: Closed;
  lost: Closed;
  winRate: number | null;
  stages: Stage[];
  stalled: Stalled[];
}

const PIPELINE = `query Pipeline($id: ID!, $subs: Boolean!, $asOf: Date!, $days: Int!) {
  pipeline(organizationId: $id, includeSubsidiaries: $subs, asOf: $asOf, stalledAfterDays: $days) {
    asOf bottleneck won { count amount } lost { count amount } winRate
    stages { stage probability count amount weightedAmount medianDaysInStage conversionRate entered advanced }
    stalled { stage daysInStage opportunity {
      id name amount organization { id name } department { name } owner { name } } } } }`;

function stageTable(stages: Stage[], bottleneck: string | null): HTMLElement {
  const head = [tt().stage, tt().probability, tt().openDeals, tt().openAmount, tt().weightedAmount, tt().medianDays, tt().entered, tt().advanced, tt().conversion];
  return h(
    "table",
    { id: "stages", "aria-labelledby": "funnel-title" },
    h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))),
    h(
      "tbody",
      {},
      stages.map((s) =>
        h(
          "tr",
          {
            "data-stage": s.stage,
            "data-count": s.count,
            "data-amount": s.amount,
            "data-weighted-amount": s.weightedAmount,
            "data-conversion-rate": s.conversionRate ?? "",
            class: s.stage === bottleneck ? "bottleneck" : undefined,
          },
          h("th", { scope: "row" }, s.stage, s.stage === bottleneck ? ` ⚠ ${tt().bottleneck}` : ""),
          h("td", { class: "num" }, percent(s.probability)),
          h("td", { class: "num" }, formatNumber(s.count)),
          h("td", { class: "num" }, formatNumber(s.amount)),
          h("td", { class: "num" }, formatNumber(s.weightedAmount)),
          h("td", { class: "num" }, s.medianDaysInStage === null ? "–" : formatNumber(s.medianDaysInStage)),
          h("td", { class: "num" }, formatNumber(s.entered)),
          h("td", { class: "num" }, formatNumber(s.advanced)),
          h("td", { class: "num" }, s.conversionRate === null ? "–" : percent(s.conversionRate)),
        ),
      ),
    ),
  );
}

function stalledTable(stalled: Stalled[], limit: number): HTMLElement {
  if (stalled.length === 0) return h("p", { id: "no-stalled" }, tt().noStalled);
  const head = [tt().opportunity, t().company, tt().department, tt().stage, tt().daysInStage, tt().owner, tt().amount, tt().why];
  return h(
    "table",
    { id: "stalled", "aria-labelledby": "stalled-title" },
    h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))),
    h(
      "tbody",
      {},
      stalled.map(({ opportunity: o, stage, daysInStage }) =>
        h(
          "tr",
          { "data-opportunity-id": o.id, "data-days-in-stage": daysInStage },
          h("th", { scope: "row" }, o.name),
          h("td", {}, h("a", { href: `/app/organizations/${encodeURIComponent(o.organization.id)}` }, o.organization.name)),
          h("td", {}, o.department?.name ?? "–"),
          h("td", {}, stage),
          h("td", { class: "num" }, formatNumber(daysInStage)),
          h("td", {}, o.owner?.name ?? "–"),
          h("td", { class: "num" }, o.amount === null ? "–" : formatNumber(o.amount)),
          h("td", { class: "why" }, tt().whyText(stage, daysInStage, limit)),
        ),
      ),
    ),
  );
}

function results(p: Pipeline, limit: number): HTMLElement[] {
  const open = p.stages.reduce((sum, s) => sum + s.count, 0);
  const amount = p.stages.reduce((sum, s) => sum + s.amount, 0);
  const weighted = p.stages.reduce((sum, s) => sum + s.weightedAmount, 0);
  const neck = p.stages.find((s) => s.stage === p.bottleneck);
  return [
    h(
      "dl",
      { class: "figures", id: "pipeline-figures" },
      figure("openDeals", tt().openDeals, formatNumber(open)),
      figure("openAmount", tt().openAmount, formatNumber(amount)),
      figure("weightedAmount", tt().weightedAmount, formatNumber(weighted)),
      figure("stalledDeals", tt().stalledDeals, formatNumber(p.stalled.length)),
      figure("bottleneck", tt().bottleneck, p.bottleneck ?? tt().noBottleneck),
      figure("won", tt().won, tt().closed(p.won.count, p.won.amount)),
      figure("lost", tt().lost, tt().closed(p.lost.count, p.lost.amount)),
      figure("winRate", tt().winRate, p.winRate === null ? "–" : percent(p.winRate)),
    ),
    h("p", { class: "muted", id: "win-rate-help" }, tt().winRateHelp),
    h(
      "section",
      { "aria-labelledby": "funnel-title" },
      h("h2", { id: "funnel-title" }, tt().funnel),
      h("p", { class: "muted" }, tt().funnelHelp),
      drawFunnel(p.stages, p.bottleneck, { deals: tt().deals, weighted: tt().weighted, bottleneck: tt().bottleneck, label: tt().funnelLabel }),
      h(
        "p",
        { id: "bottleneck", "data-stage": p.bottleneck ?? "" },
        neck && neck.conversionRate !== null
          ? tt().bottleneckIs(neck.stage, percent(neck.conversionRate), neck.advanced, neck.entered)
          : tt().bottleneckNone,
      ),
      stageTable(p.stages, p.bottleneck),
    ),
    h(
      "section",
      { "aria-labelledby": "stalled-title" },
      h("h2", { id: "stalled-title" }, `${tt().stalledDeals} (${formatNumber(p.stalled.length)})`),
      h("p", { id: "stalled-help" }, tt().stalledHelp(limit, p.asOf)),
      stalledTable(p.stalled, limit),
    ),
  ];
}

export function pipelinePage(id: string): Promise<void> {
  return scopedPage<Pipeline>(id, {
    key: "pipeline",
    navTitle: t().navPipeline,
    title: (name) => tt().title(name),
    help: tt().help,
    defaultDays: STALLED_AFTER_DAYS,
    daysLabel: tt().stalledAfter,
    failed: tt().failed,
    load: async (orgId, scope) =>
      (await graphql<{ pipeline: Pipeline }>(PIPELINE, { id: orgId, subs: scope.subsidiaries, asOf: scope.asOf, days: scope.days })).pipeline,
    render: (data, scope) => results(data, scope.days),
  });
}
