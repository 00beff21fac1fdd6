#include "valuepact/attribution/attribution.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "valuepact/core/csv.h"
#include "valuepact/population/definition.h"

namespace valuepact::attribution {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool Overlaps(Date s, Date e, const Period& p) {
  return s <= p.end && (e == kNoDate || e >= p.start);
}

struct Header {
  std::map<std::string, int> cols;
  int Col(const char* name) const {
    auto it = cols.find(name);
    return it == cols.end() ? -1 : it->second;
  }
};

// Reads a small CSV whole: header map plus rows with their physical line.
Status ReadCsv(std::string_view bytes, const std::string& name, Header* h,
               std::vector<std::pair<uint64_t, std::vector<std::string>>>* rows) {
  CsvCursor cur(bytes, CsvChunk{SkipBom(bytes), bytes.size(), 1});
  std::vector<std::string_view> f;
  uint64_t line = 0;
  std::string err;
  if (cur.Next(&f, &line, &err) != CsvCursor::Outcome::kRecord) {
    return InvalidInput(fmt::format("{}: expected a header row", name));
  }
  for (size_t i = 0; i < f.size(); ++i) h->cols[Lower(Trim(f[i]))] = static_cast<int>(i);
  while (true) {
    auto o = cur.Next(&f, &line, &err);
    if (o == CsvCursor::Outcome::kEnd) break;
    if (o == CsvCursor::Outcome::kMalformed) {
      return InvalidInput(fmt::format("{}:{}: {}", name, line, err));
    }
    std::vector<std::string> row;
    for (auto v : f) row.emplace_back(Trim(v));
    rows->emplace_back(line, std::move(row));
  }
  return Status::Ok();
}

std::string Field(const std::vector<std::string>& row, int col) {
  return col >= 0 && static_cast<size_t>(col) < row.size() ? row[col] : std::string();
}

// Ranking (docs/attribution.md): more allowed (or paid) charges, then more distinct service
// days, then the most recent service, then the provider id in text order.
bool Ranks(const Candidate& a, const Candidate& b) {
  if (a.amount != b.amount) return a.amount > b.amount;
  if (a.service_days != b.service_days) return a.service_days > b.service_days;
  if (a.last_service != b.last_service) return a.last_service > b.last_service;
  return a.provider < b.provider;
}

std::string WhyFirst(const std::vector<Candidate>& c, const char* amount_word) {
  if (c.size() == 1) {
    return fmt::format("{} is the only candidate (${} {})", c[0].provider, c[0].amount.ToString(),
                       amount_word);
  }
  const Candidate& a = c[0];
  const Candidate& b = c[1];
  if (a.amount != b.amount) {
    return fmt::format("{} has the most {} charges (${} vs ${} for {})", a.provider, amount_word,
                       a.amount.ToString(), b.amount.ToString(), b.provider);
  }
  if (a.service_days != b.service_days) {
    return fmt::format("{} and {} tie on {} charges (${}); {} has more service days ({} vs {})",
                       a.provider, b.provider, amount_word, a.amount.ToString(), a.provider,
                       a.service_days, b.service_days);
  }
  if (a.last_service != b.last_service) {
    return fmt::format(
        "{} and {} tie on {} charges (${}) and service days ({}); {} was seen "
        "most recently ({} vs {})",
        a.provider, b.provider, amount_word, a.amount.ToString(), a.service_days, a.provider,
        a.last_service.ToString(), b.last_service.ToString());
  }
  return fmt::format(
      "{} and {} tie on {} charges (${}), service days ({}) and last service "
      "({}); {} comes first in text order",
      a.provider, b.provider, amount_word, a.amount.ToString(), a.service_days,
      a.last_service.ToString(), a.provider);
}

}  // namespace

const char* MethodName(Method m) { return AttributionMethodName(m); }

AttributionSpec MakeAttributionSpec(const AttributionTerms& t,
                                    const std::string& default_provider) {
  AttributionSpec spec;
  static_cast<AttributionTerms&>(spec) = t;
  spec.contract_provider = t.provider.empty() ? default_provider : t.provider;
  return spec;
}

std::vector<Period> AttributionPeriods(const Period& p, Frequency f) {
  if (f == Frequency::kAnnual) return {p};
  std::vector<Period> out;
  for (Date s = p.start; s <= p.end;) {
    const Date next = population::AddMonths(s, 3);
    out.push_back({s, std::min(p.end, next - 1)});
    s = next;
  }
  return out;
}

Result<AttributionResult> Attribute(const Dataset& ds, const ProgramData* program,
                                    const AttributionSpec& spec, const Period& contract_period,
                                    const population::ValueSetLibrary& value_sets) {
  AttributionResult res;
  res.periods = AttributionPeriods(contract_period, spec.frequency);
  const uint32_t n = ds.member_count();
  const MemberIndex elig = IndexByMember(ds.eligibility.member, n);
  const char* amount_word = spec.use_allowed ? "allowed" : "paid";

  // Plurality inputs, computed once: which lines are primary-care services, who provided them
  // and what kind of clinician they are.
  const auto& med = ds.medical;
  std::vector<uint8_t> service;
  std::vector<uint32_t> provider;
  std::vector<ClinicianType> clinician;
  MemberIndex lines;
  if (spec.method == Method::kPlurality) {
    if (Status s = RequireLineDetails(ds, "plurality attribution"); !s.ok()) return s;
    const population::ValueSet* vs = value_sets.Find(spec.services);
    if (vs == nullptr) {
      return NotFound(
          fmt::format("attribution: value set '{}' of primary-care services is not "
                      "loaded",
                      spec.services));
    }
    population::CodeMatcher matcher;
    for (const auto& c : vs->codes) {
      if (c.system != population::CodeSystem::kHcpcs) continue;
      c.prefix ? matcher.AddPrefix(c.code) : matcher.AddExact(c.code);
    }
    const std::vector<uint8_t> hit = matcher.Resolve(ds.codes);
    service.resize(med.size());
    provider.resize(med.size());
    clinician.resize(med.size());
    for (size_t l = 0; l < med.size(); ++l) {
      const uint32_t h = med.hcpcs[l];
      service[l] = h != kNoCode && h < hit.size() && hit[h];
      uint32_t p = kNoCode;
      if (spec.level == ProviderLevel::kTin) {
        p = med.billing_tin[l] != kNoCode ? med.billing_tin[l] : med.rendering_tin[l];
      } else {
        p = med.rendering_npi[l] != kNoCode ? med.rendering_npi[l] : med.billing_npi[l];
      }
      provider[l] = p;
      ClinicianType t = ClinicianType::kPrimaryCare;
      if (!spec.providers.empty()) {
        const uint32_t npi =
            med.rendering_npi[l] != kNoCode ? med.rendering_npi[l] : med.billing_npi[l];
        t = ClinicianType::kOther;
        if (npi != kNoCode) {
          auto it = spec.providers.by_npi.find(ds.codes.Get(npi));
          if (it != spec.providers.by_npi.end()) t = it->second;
        }
      }
      clinician[l] = t;
    }
    lines = IndexByMember(med.member, n);
  }
  MemberIndex penroll;
  if (spec.method == Method::kProgramEnrollment && program != nullptr) {
    penroll = IndexByMember(program->enrollments.member, n);
  }
  // The payer list by member.
  std::map<uint32_t, std::vector<const AttributionFileRow*>> listed;
  if (spec.method == Method::kAttributionFile) {
    for (const auto& r : spec.file_rows) {
      const uint32_t m = ds.members.Find(r.person_id);
      if (m != StringInterner::kNone) listed[m].push_back(&r);
    }
  }

  for (int pi = 0; pi < static_cast<int>(res.periods.size()); ++pi) {
    const Period period = res.periods[pi];
    std::vector<MemberAttribution> out(n);
    std::vector<uint8_t> present(n, 0);
    tbb::parallel_for(tbb::blocked_range<uint32_t>(0, n, 1024), [&](const auto& range) {
      std::vector<std::pair<uint32_t, uint32_t>> scratch;  // (provider, line)
      for (uint32_t m = range.begin(); m != range.end(); ++m) {
        MemberAttribution& a = out[m];
        a.member = m;
        a.period = pi;
        bool enrolled = false;
        for (uint32_t k = elig.offsets[m]; k < elig.offsets[m + 1] && !enrolled; ++k) {
          const uint32_t r = elig.order[k];
          enrolled = Overlaps(ds.eligibility.start[r], ds.eligibility.end[r], period);
        }
        switch (spec.method) {
          case Method::kEnrolled:
            if (!enrolled) continue;
            a.attributed = true;
            a.provider = spec.contract_provider;
            a.step = "enrolled";
            a.rationale = fmt::format("enrolled with the payer on at least one day of {}..{}",
                                      period.start.ToString(), period.end.ToString());
            break;
          case Method::kAttributionFile: {
            auto it = listed.find(m);
            if (it == listed.end()) continue;
            // The latest-starting list row in effect during the period wins.
            const AttributionFileRow* best = nullptr;
            for (const AttributionFileRow* r : it->second) {
              if (Overlaps(r->start, r->end, period) && (!best || r->start >= best->start)) {
                best = r;
              }
            }
            if (best == nullptr) continue;
            a.attributed = true;
            a.provider = best->provider.empty() ? spec.contract_provider : best->provider;
            a.step = "attribution_file";
            a.rationale = fmt::format("on the payer's attribution list ({}) effective {}..{}",
                                      best->origin, best->start.ToString(),
                                      best->end == kNoDate ? "open" : best->end.ToString());
            break;
          }
          case Method::kProgramEnrollment: {
            if (program == nullptr || penroll.offsets.empty()) continue;
            const auto& pe = program->enrollments;
            for (uint32_t k = penroll.offsets[m]; k < penroll.offsets[m + 1]; ++k) {
              const uint32_t r = penroll.order[k];
              if (!Overlaps(pe.start[r], pe.end[r], period)) continue;
              a.attributed = true;
              a.provider = spec.contract_provider;
              a.step = "program_enrollment";
              a.rationale = fmt::format("enrolled in the program {}..{}, overlapping {}..{}",
                                        pe.start[r].ToString(),
                                        pe.end[r] == kNoDate ? "open" : pe.end[r].ToString(),
                                        period.start.ToString(), period.end.ToString());
              break;
            }
            if (!a.attributed) continue;
            break;
          }
          case Method::kPlurality: {
            if (!enrolled) continue;
            auto search = [&](const Period& w, ClinicianType type) {
              scratch.clear();
              for (uint32_t k = lines.offsets[m]; k < lines.offsets[m + 1]; ++k) {
                const uint32_t l = lines.order[k];
                if (!service[l] || provider[l] == kNoCode || clinician[l] != type) continue;
                const Date d =
                    med.line_start[l] != kNoDate ? med.line_start[l] : med.claim_start[l];
                if (!w.Contains(d)) continue;
                scratch.emplace_back(provider[l], l);
              }
              std::sort(scratch.begin(), scratch.end());
              std::vector<Candidate> cands;
              std::vector<int32_t> days;
              for (size_t i = 0; i < scratch.size();) {
                size_t j = i;
                Candidate c;
                c.provider = std::string(ds.codes.Get(scratch[i].first));
                days.clear();
                for (; j < scratch.size() && scratch[j].first == scratch[i].first; ++j) {
                  const uint32_t l = scratch[j].second;
                  c.amount += spec.use_allowed ? med.allowed[l] : med.paid[l];
                  const Date d =
                      med.line_start[l] != kNoDate ? med.line_start[l] : med.claim_start[l];
                  days.push_back(d.days());
                  if (c.last_service == kNoDate || d > c.last_service) c.last_service = d;
                }
                std::sort(days.begin(), days.end());
                c.service_days =
                    static_cast<int>(std::unique(days.begin(), days.end()) - days.begin());
                cands.push_back(std::move(c));
                i = j;
              }
              std::sort(cands.begin(), cands.end(), Ranks);
              return cands;
            };
            Period w;
            if (spec.timing == Timing::kProspective) {
              w = {population::AddMonths(period.start, -spec.window_months), period.start - 1};
            } else {
              w = {population::AddMonths(period.end + 1, -spec.window_months), period.end};
            }
            a.window = w;
            const char* step_name[] = {"primary_care_clinicians", "specialists"};
            const char* step_words[] = {"step 1, primary-care clinicians", "step 2, specialists"};
            for (int step = 0; step < 2 && !a.attributed; ++step) {
              auto c =
                  search(w, step == 0 ? ClinicianType::kPrimaryCare : ClinicianType::kSpecialist);
              if (c.empty()) continue;
              a.attributed = true;
              a.provider = c[0].provider;
              a.step = step_name[step];
              a.rationale = fmt::format("{} in {}..{}: {}", step_words[step], w.start.ToString(),
                                        w.end.ToString(), WhyFirst(c, amount_word));
              a.candidates = std::move(c);
            }
            if (!a.attributed && spec.timing == Timing::kProspective &&
                spec.new_members == NewMembers::kRetrospective) {
              // A new member without services in the prior window is attributed on the
              // performance period's services (docs/attribution.md, "New members").
              const Period pw = period;
              for (int step = 0; step < 2 && !a.attributed; ++step) {
                auto c = search(
                    pw, step == 0 ? ClinicianType::kPrimaryCare : ClinicianType::kSpecialist);
                if (c.empty()) continue;
                a.attributed = true;
                a.window = pw;
                a.provider = c[0].provider;
                a.step = "new_member_retrospective";
                a.rationale = fmt::format(
                    "no primary-care services in {}..{}; new-member rule, {} in the "
                    "performance period {}..{}: {}",
                    w.start.ToString(), w.end.ToString(), step_words[step], pw.start.ToString(),
                    pw.end.ToString(), WhyFirst(c, amount_word));
                a.candidates = std::move(c);
              }
            }
            if (!a.attributed) {
              a.step = "none";
              a.rationale = fmt::format(
                  "no primary-care services from primary-care clinicians "
                  "or specialists in {}..{}",
                  w.start.ToString(), w.end.ToString());
            }
            break;
          }
        }
        present[m] = 1;
      }
    });
    for (uint32_t m = 0; m < n; ++m) {
      if (present[m]) res.rows.push_back(std::move(out[m]));
    }
  }
  return res;
}

std::vector<uint32_t> AttributionResult::Members(int period) const {
  std::vector<uint32_t> out;
  for (const auto& r : rows) {
    if (r.period == period && r.attributed) out.push_back(r.member);
  }
  return out;
}

std::string AttributionResult::ToCsv(const Dataset& ds) const {
  std::string out =
      "person_id,period_start,period_end,attributed,provider,step,window_start,window_end,"
      "candidates,rationale\n";
  for (const auto& r : rows) {
    const Period& p = periods[r.period];
    std::string cands;
    for (const auto& c : r.candidates) {
      cands += fmt::format("{}{}:{}:{}", cands.empty() ? "" : ";", c.provider, c.amount.ToString(),
                           c.service_days);
    }
    AppendCsvField(&out, ds.members.Get(r.member));
    out += fmt::format(",{},{},{},", p.start.ToString(), p.end.ToString(),
                       r.attributed ? "yes" : "no");
    AppendCsvField(&out, r.provider);
    out += ',';
    AppendCsvField(&out, r.step);
    out += ',';
    if (r.window.start != Date()) {
      out += fmt::format("{},{}", r.window.start.ToString(), r.window.end.ToString());
    } else {
      out += ',';
    }
    out += ',';
    AppendCsvField(&out, cands);
    out += ',';
    AppendCsvField(&out, r.rationale);
    out += '\n';
  }
  return out;
}

void AttributionResult::AddToTrace(const Dataset& ds, Trace* trace) const {
  for (size_t pi = 0; pi < periods.size(); ++pi) {
    const std::string ps = periods[pi].start.ToString();
    std::vector<std::string> inputs;
    for (const auto& r : rows) {
      if (r.period != static_cast<int>(pi)) continue;
      TraceNode node;
      node.id = fmt::format("attribution.{}.{}", ps, ds.members.Get(r.member));
      node.label = fmt::format("Attribution of {} for {}..{}", ds.members.Get(r.member), ps,
                               periods[pi].end.ToString());
      node.formula = fmt::format("{}: {}", r.step, r.rationale);
      node.value = r.attributed ? r.provider : "not attributed";
      node.unit = "provider";
      node.source = "attribution";
      node.member = std::string(ds.members.Get(r.member));
      if (r.attributed) inputs.push_back(node.id);
      trace->Add(std::move(node));
    }
    trace->AddCount(fmt::format("attribution.{}.members", ps),
                    fmt::format("Attributed members, {}..{}", ps, periods[pi].end.ToString()),
                    static_cast<int64_t>(inputs.size()), "members", "count of attributed members",
                    inputs, "[attribution]");
  }
}

Result<std::vector<AttributionFileRow>> ParseAttributionFile(std::string_view bytes,
                                                             const std::string& name) {
  Header h;
  std::vector<std::pair<uint64_t, std::vector<std::string>>> rows;
  Status s = ReadCsv(bytes, name, &h, &rows);
  if (!s.ok()) return s;
  const int person = h.Col("person_id") >= 0 ? h.Col("person_id") : h.Col("patient_id");
  const int start = h.Col("start") >= 0 ? h.Col("start") : h.Col("start_date");
  const int end = h.Col("end") >= 0 ? h.Col("end") : h.Col("end_date");
  const int prov = h.Col("provider");
  if (person < 0)
    return InvalidInput(fmt::format("{}:1: missing required column 'person_id'", name));
  std::vector<AttributionFileRow> out;
  for (const auto& [line, row] : rows) {
    AttributionFileRow r;
    r.person_id = Field(row, person);
    r.provider = Field(row, prov);
    r.origin = fmt::format("{}:{}", name, line);
    if (r.person_id.empty()) {
      return InvalidInput(fmt::format("{}:{}: person_id: empty", name, line));
    }
    const std::string st = Field(row, start), en = Field(row, end);
    r.start = Date::FromDays(std::numeric_limits<int32_t>::min() + 1);
    if (!st.empty()) {
      auto d = ParseDate(st);
      if (!d.ok())
        return InvalidInput(
            fmt::format("{}:{}: start: expected YYYY-MM-DD, found '{}'", name, line, st));
      r.start = *d;
    }
    if (!en.empty()) {
      auto d = ParseDate(en);
      if (!d.ok())
        return InvalidInput(
            fmt::format("{}:{}: end: expected YYYY-MM-DD, found '{}'", name, line, en));
      r.end = *d;
      if (r.end < r.start) return InvalidInput(fmt::format("{}:{}: end: before start", name, line));
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<ProviderDirectory> ParseProviderDirectory(std::string_view bytes, const std::string& name) {
  Header h;
  std::vector<std::pair<uint64_t, std::vector<std::string>>> rows;
  Status s = ReadCsv(bytes, name, &h, &rows);
  if (!s.ok()) return s;
  const int npi = h.Col("npi"), type = h.Col("type");
  if (npi < 0 || type < 0) {
    return InvalidInput(fmt::format("{}:1: expected columns npi,type", name));
  }
  ProviderDirectory dir;
  for (const auto& [line, row] : rows) {
    const std::string t = Lower(Field(row, type));
    ClinicianType ct;
    if (t == "primary_care") {
      ct = ClinicianType::kPrimaryCare;
    } else if (t == "specialist") {
      ct = ClinicianType::kSpecialist;
    } else if (t == "other") {
      ct = ClinicianType::kOther;
    } else {
      return InvalidInput(
          fmt::format("{}:{}: type: expected primary_care, specialist or other, "
                      "found '{}'",
                      name, line, Field(row, type)));
    }
    dir.by_npi[Field(row, npi)] = ct;
  }
  return dir;
}

}  // namespace valuepact::attribution
