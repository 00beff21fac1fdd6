import { describe, expect, it } from "vitest";

import { change, count, date, money, moneyShort, number, period, rate } from "../src/format";

describe("money", () => {
  it("groups thousands and keeps the cents of the string", () => {
    expect(money("1755635.00")).toBe("$1,755,635.00");
    expect(money("0.10")).toBe("$0.10");
    expect(money("12.5")).toBe("$12.50");
    expect(money("999")).toBe("$999.00");
  });
  it("writes a minus sign for negative amounts, and none for zero", () => {
    expect(money("-700.00")).toBe("−$700.00");
    expect(money("-0.00")).toBe("$0.00");
  });
  it("never rounds through a float", () => {
    expect(money("90071992547409.99")).toBe("$90,071,992,547,409.99");
  });
  it("shows what it cannot read as it is, and a dash for nothing", () => {
    expect(money("n/a")).toBe("n/a");
    expect(money(null)).toBe("—");
  });
  it("signs changes", () => {
    expect(change("15860.00")).toBe("+$15,860.00");
    expect(change("-1.00")).toBe("−$1.00");
    expect(change("0.00")).toBe("$0.00");
  });
  it("shortens axis labels", () => {
    expect(moneyShort(1755635)).toBe("$1.76M");
    expect(moneyShort(-950000)).toBe("−$950K");
    expect(moneyShort(420)).toBe("$420");
  });
});

describe("rates and counts", () => {
  it("writes rates as percentages", () => {
    expect(rate(0.4)).toBe("40.0%");
    expect(rate(0.025, 2)).toBe("2.50%");
    expect(rate(-0.031)).toBe("−3.1%");
    expect(rate(undefined)).toBe("—");
  });
  it("writes measures to four significant digits with a true minus", () => {
    expect(number(-67.1734)).toBe("−67.17");
    expect(number(409.36309)).toBe("409.4");
    expect(number(null)).toBe("—");
  });
  it("groups counts", () => {
    expect(count(22105)).toBe("22,105");
    expect(count("1000000")).toBe("1,000,000");
  });
});

describe("dates", () => {
  it("writes days, months and quarters", () => {
    expect(date("2018-01-31")).toBe("Jan 31, 2018");
    expect(date("2018-12")).toBe("Dec 2018");
    expect(date("2018-Q3")).toBe("Q3 2018");
    expect(date("2026-12-02T11:35:04.965Z")).toBe("Dec 2, 2026");
    expect(period("2018-01-01", "2018-12-31")).toBe("Jan 1, 2018 – Dec 31, 2018");
  });
});
