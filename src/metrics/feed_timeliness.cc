// data_feed_days_late (docs/metrics.md, "Data feed timeliness"): how late the data arrived each
// month against the day the partners agreed, from the dated deliveries the readers list.
#include <algorithm>

#include <fmt/format.h>

#include "accumulator.h"

namespace valuepact::metrics {
namespace {

struct Arrival {
  Date date = kNoDate;
  std::string name;
};

// The dated deliveries, earliest first (ties by name).
std::vector<Arrival> DatedDeliveries(const Dataset& ds) {
  std::vector<Arrival> out;
  for (size_t i = 0; i < ds.deliveries.size(); ++i) {
    if (ds.deliveries.file_date[i] != kNoDate) {
      out.push_back({ds.deliveries.file_date[i], ds.deliveries.name[i]});
    }
  }
  std::sort(out.begin(), out.end(), [](const Arrival& a, const Arrival& b) {
    return a.date != b.date ? a.date < b.date : a.name < b.name;
  });
  return out;
}

// One month's row: measured when a delivery is dated on or after the month's first day.
MetricRow MonthRow(const MetricDefinition& d, const std::vector<Arrival>& arrivals, int due_day,
                   YearMonth month, std::string* how) {
  MetricRow row;
  row.metric = d.id;
  row.stratum = "all";
  row.period = month.ToString();
  const Date first_day = month.first_day(), last_day = month.last_day();
  const Date due = std::min(first_day + (due_day - 1), last_day);
  const auto it = std::find_if(arrivals.begin(), arrivals.end(),
                               [&](const Arrival& a) { return a.date >= first_day; });
  if (it == arrivals.end()) {
    *how = fmt::format("no delivery dated on or after {}: not measured", first_day.ToString());
    return row;
  }
  row.numerator = std::max<int64_t>(0, it->date - due);
  row.denominator = 1;
  *how = fmt::format("first delivery on or after {}: {} dated {}; due {}: {} day(s) late",
                     first_day.ToString(), it->name, it->date.ToString(), due.ToString(),
                     row.numerator);
  return row;
}

void AddNode(const MetricDefinition& d, const std::string& how, const std::string& source,
             MetricRow* row, Trace* tr) {
  row->value = ValueFromSums(d, row->numerator, row->denominator);
  row->id = fmt::format("metrics.{}.all.{}", d.id, row->period);
  tr->Add({row->id,
           fmt::format("{} (all, {})", d.label, row->period),
           how,
           row->value ? FormatRate(*row->value) : "n/a",
           d.unit,
           {},
           source,
           ""});
}

}  // namespace

void FeedTimelinessRows(const MetricDefinition& d, const Dataset& ds, const Contract& k,
                        const Timeline& tl, Trace* tr, std::vector<MetricRow>* rows,
                        std::vector<std::string>* notes) {
  const auto due_day = k.data_requirements.delivery_day_of_month;
  const std::vector<Arrival> arrivals = DatedDeliveries(ds);
  std::string why_not;
  if (!due_day) {
    why_not = "the contract sets no data_requirements.delivery_day_of_month";
  } else if (arrivals.empty()) {
    why_not = "the data carries no dated deliveries (CSV input, or file names without a date)";
  }
  if (due_day && !why_not.empty()) {
    notes->push_back(fmt::format("{} is not applicable: {}", d.id, why_not));
  }
  const std::string source =
      due_day ? fmt::format(
                    "data: file dates of the deliveries read; due day {} "
                    "(data_requirements.delivery_day_of_month)",
                    *due_day)
              : std::string("data_requirements.delivery_day_of_month is not set");
  MetricRow total;
  total.metric = d.id;
  total.stratum = "all";
  total.period = "total";
  for (int i = 0; i < tl.months(); ++i) {
    std::string how = why_not;
    MetricRow row;
    if (why_not.empty()) {
      row = MonthRow(d, arrivals, *due_day, tl.MonthAt(i), &how);
    } else {
      row.metric = d.id;
      row.stratum = "all";
      row.period = tl.MonthAt(i).ToString();
    }
    total.numerator += row.numerator;
    total.denominator += row.denominator;
    AddNode(d, how, source, &row, tr);
    rows->push_back(std::move(row));
  }
  AddNode(d,
          why_not.empty() ? fmt::format("{} days late over {} months measured", total.numerator,
                                        total.denominator)
                          : why_not,
          source, &total, tr);
  rows->push_back(std::move(total));
}

}  // namespace valuepact::metrics
