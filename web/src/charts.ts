// Charts (ECharts, SVG so that the meeting pack prints sharply). Charts show shapes; the figures
// people read are the tables and buttons beside them, formatted from the engine's strings.
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

import { date, moneyShort, number } from "./format";

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

const INK = "#1f2933";
const BLUE = "#1f6fb2";
const GREEN = "#2f855a";
const RED = "#c53030";
const GREY = "#9aa5b1";

const charts: echarts.ECharts[] = [];

function make(el: HTMLElement, label: string): echarts.ECharts {
  el.setAttribute("role", "img");
  el.setAttribute("aria-label", label);
  const c = echarts.init(el, undefined, { renderer: "svg" });
  charts.push(c);
  return c;
}

export function resizeCharts(): void {
  for (const c of charts) c.resize();
}

export function disposeCharts(): void {
  while (charts.length) charts.pop()?.dispose();
}

const axisText = { color: INK, fontSize: 13 };

export interface Step {
  label: string;
  value: number;
  total?: boolean; // a running total (drawn from zero) rather than a change
  reset?: boolean; // not drawn: the changes after it start again from zero
}

/** A waterfall: totals from zero, changes floating on the running total. */
export function waterfall(el: HTMLElement, steps: Step[], label: string): void {
  let running = 0;
  const base: number[] = [];
  const up: (number | string)[] = [];
  const down: (number | string)[] = [];
  const drawn = steps.filter((s) => !s.reset);
  for (const s of steps) {
    if (s.reset) {
      running = 0;
      continue;
    }
    if (s.total) {
      running = s.value;
      base.push(0);
      up.push(s.value >= 0 ? s.value : "-");
      down.push(s.value < 0 ? -s.value : "-");
      continue;
    }
    const start = running;
    running += s.value;
    base.push(Math.min(start, running));
    up.push(s.value >= 0 ? s.value : "-");
    down.push(s.value < 0 ? -s.value : "-");
  }
  make(el, label).setOption({
    animation: false,
    grid: { left: 90, right: 20, top: 20, bottom: 90 },
    tooltip: { trigger: "axis", valueFormatter: (v: number) => moneyShort(v) },
    xAxis: { type: "category", data: drawn.map((s) => s.label), axisLabel: { ...axisText, interval: 0, rotate: 30 } },
    yAxis: { type: "value", axisLabel: { ...axisText, formatter: moneyShort } },
    series: [
      { type: "bar", stack: "w", data: base, itemStyle: { color: "transparent" }, tooltip: { show: false } },
      { type: "bar", stack: "w", name: "up", data: up, itemStyle: { color: BLUE } },
      { type: "bar", stack: "w", name: "down", data: down, itemStyle: { color: RED } },
    ],
  });
}

/** Horizontal bars, largest first; amounts in dollars unless `counts`. */
export function bars(el: HTMLElement, labels: string[], values: number[], label: string, counts = false): void {
  const fmt = counts ? (v: number) => number(v) : moneyShort;
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  make(el, label).setOption({
    animation: false,
    grid: { left: 170, right: 30, top: 10, bottom: 30 },
    tooltip: { trigger: "axis", valueFormatter: (v: number) => fmt(v) },
    xAxis: { type: "value", axisLabel: { ...axisText, formatter: fmt } },
    yAxis: { type: "category", data: order.map(([, i]) => labels[i]), axisLabel: axisText },
    series: [{ type: "bar", data: order.map(([v]) => v), itemStyle: { color: BLUE } }],
  });
}

export interface Line {
  name: string;
  values: (number | null)[];
}

export interface LineOptions {
  money?: boolean;
  threshold?: { value: number; label: string };
  band?: { low: number; high: number; label: string };
}

/** Lines over periods, with an optional target line and a shaded band (a corridor). */
export function lines(el: HTMLElement, periods: string[], series: Line[], label: string, o: LineOptions = {}): void {
  const fmt = (v: number) => (o.money ? moneyShort(v) : number(v));
  const colors = [BLUE, GREEN, RED, GREY];
  make(el, label).setOption({
    animation: false,
    color: colors,
    grid: { left: 80, right: 30, top: 40, bottom: 40 },
    legend: { top: 0, textStyle: axisText },
    tooltip: { trigger: "axis", valueFormatter: (v: number) => fmt(v) },
    xAxis: { type: "category", data: periods.map(date), axisLabel: axisText },
    yAxis: { type: "value", scale: true, axisLabel: { ...axisText, formatter: fmt } },
    series: series.map((s, i) => ({
      type: "line",
      name: s.name,
      data: s.values,
      connectNulls: false,
      symbolSize: 7,
      markLine:
        i === 0 && o.threshold
          ? { symbol: "none", lineStyle: { color: INK, type: "dashed" }, label: { formatter: o.threshold.label, position: "insideEndTop" }, data: [{ yAxis: o.threshold.value }] }
          : undefined,
      markArea:
        i === 0 && o.band
          ? { itemStyle: { color: "rgba(31,111,178,0.10)" }, label: { formatter: o.band.label, position: "insideTopLeft" }, data: [[{ yAxis: o.band.low }, { yAxis: o.band.high }]] }
          : undefined,
    })),
  });
}
