// Claim lines that stay on their ranks: the exchange of run/line_tallies.h.
#include "valuepact/run/line_tallies.h"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "valuepact/core/csv.h"
#include "valuepact/core/distributed.h"
#include "valuepact/core/wire.h"
#include "valuepact/ingest/zstd_frame.h"
#include "valuepact/metrics/catalogue.h"

namespace valuepact::run {
namespace {

// The exchange's messages are zstd frames (level 1: the exchange is on the run's path); a damaged
// one is an internal error, as every damaged message between the ranks is.
std::string Pack(const std::string& raw) { return ToZstdFrame(raw, 1); }

Result<std::string> Unpack(std::string_view frame, const std::string& name) {
  auto raw = FromZstdFrame(frame, uint64_t{1} << 40, name);
  if (!raw.ok()) return Status(StatusCode::kInternal, raw.status().message());
  return raw;
}

Status Damaged(const std::string& what) {
  return Status(StatusCode::kInternal, fmt::format("{}: a damaged message", what));
}

// --- 1. Claim ids --------------------------------------------------------------------------------

// The claim ids lines in more than one part carry: `sent` holds each other rank's part's claim
// ids (ids of the whole, increasing), `own` rank 0's.
Result<std::vector<uint32_t>> SharedClaims(const std::vector<std::string>& sent,
                                           const cache::Part& own) {
  const uint64_t total = own.info.claim_ids;
  std::vector<uint8_t> parts(total, 0);
  auto add = [&](const std::vector<uint32_t>& ids, const std::string& from) -> Status {
    for (uint32_t g : ids) {
      if (g >= total) return Damaged(from);
      parts[g] = static_cast<uint8_t>(std::min(parts[g] + 1, 2));
    }
    return Status::Ok();
  };
  if (Status s = add(own.maps.claim_ids, "rank 0"); !s.ok()) return s;
  for (size_t r = 1; r < sent.size(); ++r) {
    const std::string from = fmt::format("the claim ids of rank {}", r);
    auto raw = Unpack(sent[r], from);
    if (!raw.ok()) return raw.status();
    WireReader in(*raw);
    const auto ids = in.GetArray<uint32_t>();
    if (!in.done()) return Damaged(from);
    if (Status s = add(ids, from); !s.ok()) return s;
  }
  std::vector<uint32_t> shared;
  for (uint64_t g = 0; g < total; ++g) {
    if (parts[g] > 1) shared.push_back(static_cast<uint32_t>(g));
  }
  return shared;
}

// --- 2. The population's months and the shared claims --------------------------------------------

std::string EncodePopulation(const Timeline& tl, const std::vector<uint32_t>& shared) {
  const uint64_t cells = uint64_t{tl.members()} * static_cast<uint64_t>(tl.months());
  std::vector<uint8_t> bits((cells + 7) / 8, 0);
  for (uint32_t m = 0; m < tl.members(); ++m) {
    for (int i = 0; i < tl.months(); ++i) {
      if (!tl.InPopulation(m, i)) continue;
      const uint64_t c =
          uint64_t{m} * static_cast<uint64_t>(tl.months()) + static_cast<uint64_t>(i);
      bits[c / 8] = static_cast<uint8_t>(bits[c / 8] | (1u << (c % 8)));
    }
  }
  WireWriter w;
  w.Put<int32_t>(tl.first_month().index());
  w.Put<int32_t>(tl.months());
  w.Put<uint64_t>(tl.members());
  w.PutArray(bits);
  w.PutArray(shared);
  return Pack(w.Take());
}

// The Timeline of the part's own members (only the population's months are read from it:
// TallyMemberLines), and the shared claims.
Status DecodePopulation(const std::string& frame, const cache::Part& own, const Contract& k,
                        Timeline* tl, std::vector<uint32_t>* shared) {
  const std::string what = "the population rank 0 sent";
  auto raw = Unpack(frame, what);
  if (!raw.ok()) return raw.status();
  WireReader in(*raw);
  const auto first = in.Get<int32_t>();
  const auto months = in.Get<int32_t>();
  const auto members = in.Get<uint64_t>();
  const auto bits = in.GetArray<uint8_t>();
  *shared = in.GetArray<uint32_t>();
  *tl = Timeline(k.period, static_cast<uint32_t>(own.maps.members.size()));
  if (!in.done() || first != tl->first_month().index() || months != tl->months() ||
      members != own.info.members ||
      bits.size() != (members * static_cast<uint64_t>(std::max(months, 0)) + 7) / 8) {
    return Damaged(what);
  }
  const auto& whole = own.maps.members;
  for (uint32_t m = 0; m < tl->members(); ++m) {
    if (whole[m] >= members) return Damaged(what);
    for (int i = 0; i < months; ++i) {
      const uint64_t c =
          uint64_t{whole[m]} * static_cast<uint64_t>(months) + static_cast<uint64_t>(i);
      if ((bits[c / 8] >> (c % 8) & 1u) == 0) continue;
      for (auto f : {Timeline::kPlanEnrolled, Timeline::kAttributed, Timeline::kInPopulation}) {
        tl->Set(m, i, f);
      }
    }
  }
  return Status::Ok();
}

// --- 3. The tallies ------------------------------------------------------------------------------

void PutMember(WireWriter* w, uint32_t member, const MemberLines& m) {
  w->Put(member);
  w->Put(m.lines);
  for (const Money* x : {&m.medical, &m.pharmacy}) w->Put(x->cents());
  for (const Money& x : m.by_category) w->Put(x.cents());
  for (const ClaimScopeCounts* c : {&m.without_enrollment, &m.out_of_period}) {
    w->Put(c->lines);
    w->Put(c->amount.cents());
  }
  w->Put(m.overflow);
}

MemberLines GetMember(WireReader* r, uint32_t* member) {
  MemberLines m;
  *member = r->Get<uint32_t>();
  m.lines = r->Get<int64_t>();
  for (Money* x : {&m.medical, &m.pharmacy}) *x = Money::FromCents(r->Get<int64_t>());
  for (Money& x : m.by_category) x = Money::FromCents(r->Get<int64_t>());
  for (ClaimScopeCounts* c : {&m.without_enrollment, &m.out_of_period}) {
    c->lines = r->Get<int64_t>();
    c->amount = Money::FromCents(r->Get<int64_t>());
  }
  m.overflow = r->Get<uint8_t>();
  return m;
}

// `into` += `m`; a sum beyond int64 cents sets the overflow flag, as the tally itself does.
void AddMember(MemberLines* into, const MemberLines& m) {
  bool ok = true;
  into->lines += m.lines;
  ok = into->medical.AddChecked(m.medical) && ok;
  ok = into->pharmacy.AddChecked(m.pharmacy) && ok;
  for (size_t c = 0; c < m.by_category.size(); ++c) {
    ok = into->by_category[c].AddChecked(m.by_category[c]) && ok;
  }
  into->without_enrollment.lines += m.without_enrollment.lines;
  into->out_of_period.lines += m.out_of_period.lines;
  ok = into->without_enrollment.amount.AddChecked(m.without_enrollment.amount) && ok;
  ok = into->out_of_period.amount.AddChecked(m.out_of_period.amount) && ok;
  into->overflow = static_cast<uint8_t>(into->overflow | m.overflow | (ok ? 0 : 1));
}

// The part's tallies: the scorecard's, then each member with a line, by whole member id.
std::string TallyPart(const cache::Part& own, const Contract& k, const Timeline& tl,
                      const std::vector<uint32_t>& shared) {
  quality::LinePlace place;
  place.medical_rows = &own.maps.medical;
  place.pharmacy_rows = &own.maps.pharmacy;
  place.claim_ids = &own.maps.claim_ids;
  place.shared_claims = &shared;
  WireWriter w;
  // As the part stores it, when its lines were read apart (the same figures: WritePartitions).
  w.PutString(
      quality::EncodeTally(own.tally ? *own.tally : quality::TallyClaimLines(own.dataset, place)));
  const MemberLinesTable members = TallyMemberLines(own.dataset, k, tl);
  uint64_t with_lines = 0;
  auto any = [](const MemberLines& m) {
    return m.lines + m.without_enrollment.lines + m.out_of_period.lines > 0 || m.overflow != 0;
  };
  for (const auto& m : members) with_lines += any(m) ? 1 : 0;
  w.Put(with_lines);
  for (uint32_t m = 0; m < members.size(); ++m) {
    if (any(members[m])) PutMember(&w, own.maps.members[m], members[m]);
  }
  return Pack(w.Take());
}

Status AddPart(const std::string& frame, const std::string& from, LineTallies* all) {
  auto raw = Unpack(frame, from);
  if (!raw.ok()) return raw.status();
  WireReader in(*raw);
  auto lines = quality::DecodeTally(in.GetString(), from);
  if (!lines.ok()) return lines.status();
  quality::MergeTally(&all->lines, std::move(*lines));
  const auto n = in.Get<uint64_t>();
  for (uint64_t i = 0; i < n && in.ok(); ++i) {
    uint32_t member = 0;
    const MemberLines m = GetMember(&in, &member);
    if (!in.ok() || member >= all->members.size()) return Damaged(from);
    AddMember(&all->members[member], m);
  }
  return in.done() ? Status::Ok() : Damaged(from);
}

// --- 0. Plurality attribution -------------------------------------------------------------------

void PutCandidate(WireWriter* w, const attribution::Candidate& c) {
  w->PutString(c.provider);
  w->Put(c.amount.cents());
  w->Put<int32_t>(c.service_days);
  w->Put(c.last_service.days());
}

attribution::Candidate GetCandidate(WireReader* r) {
  attribution::Candidate c;
  c.provider = r->GetString();
  c.amount = Money::FromCents(r->Get<int64_t>());
  c.service_days = r->Get<int32_t>();
  c.last_service = Date::FromDays(r->Get<int32_t>());
  return c;
}

// A part's attribution rows, with the whole dataset's member ids.
Result<std::string> AttributePart(const cache::Part& own, const RunInputs& in) {
  auto result = attribution::Attribute(own.dataset, nullptr, in.attribution, in.contract.period,
                                       in.value_sets);
  if (!result.ok()) return result.status();
  WireWriter w;
  w.Put<uint64_t>(result->rows.size());
  for (const auto& a : result->rows) {
    w.Put(own.maps.members[a.member]);
    w.Put<int32_t>(a.period);
    w.Put<uint8_t>(a.attributed ? 1 : 0);
    for (const std::string* x : {&a.provider, &a.step, &a.rationale}) w.PutString(*x);
    w.Put(a.window.start.days());
    w.Put(a.window.end.days());
    w.Put<uint64_t>(a.candidates.size());
    for (const auto& c : a.candidates) PutCandidate(&w, c);
  }
  return Pack(w.Take());
}

Status AddAttributionRows(const std::string& frame, const std::string& from, uint64_t members,
                          size_t periods, std::vector<attribution::MemberAttribution>* rows) {
  auto raw = Unpack(frame, from);
  if (!raw.ok()) return raw.status();
  WireReader in(*raw);
  const auto n = in.Get<uint64_t>();
  for (uint64_t i = 0; i < n && in.ok(); ++i) {
    attribution::MemberAttribution a;
    a.member = in.Get<uint32_t>();
    a.period = in.Get<int32_t>();
    a.attributed = in.Get<uint8_t>() != 0;
    for (std::string* x : {&a.provider, &a.step, &a.rationale}) *x = in.GetString();
    a.window.start = Date::FromDays(in.Get<int32_t>());
    a.window.end = Date::FromDays(in.Get<int32_t>());
    const auto candidates = in.Get<uint64_t>();
    for (uint64_t c = 0; c < candidates && in.ok(); ++c) a.candidates.push_back(GetCandidate(&in));
    bool text_ok = IsValidUtf8(a.provider) && IsValidUtf8(a.step) && IsValidUtf8(a.rationale);
    for (const auto& c : a.candidates) text_ok = text_ok && IsValidUtf8(c.provider);
    if (a.member >= members || a.period < 0 || static_cast<size_t>(a.period) >= periods ||
        !text_ok) {
      return Damaged(from);
    }
    rows->push_back(std::move(a));
  }
  return in.done() ? Status::Ok() : Damaged(from);
}

}  // namespace

bool AttributesOnRanks(const Contract& k) {
  return k.attribution.declared && k.attribution.method == AttributionMethod::kPlurality;
}

Result<attribution::AttributionResult> GatherAttribution(const cache::Part& own,
                                                         const RunInputs& in) {
  Distribution* dist = CurrentDistribution();
  if (dist == nullptr) return Status(StatusCode::kInternal, "GatherAttribution outside mpirun");
  auto mine = AttributePart(own, in);
  if (!mine.ok()) return mine.status();
  auto sent = dist->GatherToRoot({});
  if (!sent.ok()) return sent.status();
  (*sent)[0] = std::move(*mine);
  attribution::AttributionResult all;
  all.periods = attribution::AttributionPeriods(in.contract.period, in.attribution.frequency);
  for (size_t r = 0; r < sent->size(); ++r) {
    if (Status s = AddAttributionRows((*sent)[r], fmt::format("the attribution of rank {}", r),
                                      own.info.members, all.periods.size(), &all.rows);
        !s.ok()) {
      return s;
    }
  }
  // By period, then member, as one process lists them; a member's rows come from one part.
  std::sort(all.rows.begin(), all.rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.period, a.member) < std::tie(b.period, b.member);
  });
  for (size_t i = 1; i < all.rows.size(); ++i) {
    if (all.rows[i].period == all.rows[i - 1].period &&
        all.rows[i].member == all.rows[i - 1].member) {
      return Damaged("the ranks' attribution (a member attributed in two parts)");
    }
  }
  return all;
}

Status SendAttribution(const cache::Part& own, const RunInputs& in) {
  Distribution* dist = CurrentDistribution();
  if (dist == nullptr) return Status(StatusCode::kInternal, "SendAttribution outside mpirun");
  auto mine = AttributePart(own, in);
  if (!mine.ok()) return mine.status();  // rank 0 then stops: this rank sent nothing
  auto g = dist->GatherToRoot(*mine);
  return g.ok() ? Status::Ok() : g.status();
}

bool LinesOnlyForSpending(const Contract& k) {
  // What reads claim lines besides spending, plurality attribution and the scorecard: a
  // historical benchmark (risk scores), a preset, definitions and population expressions, a
  // comparison, episodes.
  if (k.benchmark.method != "target_pmpm" || !k.preset.empty() || !k.definitions.empty() ||
      !k.population.eligible.empty() || k.comparison.has_value() || !k.episodes.empty()) {
    return false;
  }
  return std::none_of(k.payments.begin(), k.payments.end(), [](const PaymentLayerTerms& p) {
    return (p.kind == "quality_incentive" || p.kind == "data_reporting_incentive") &&
           metrics::FindMetric(p.program.measure) != nullptr;
  });
}

bool LinesStayOnRanks(const InputPaths& p, const Contract& k) {
  return p.lines_apart && p.distributed && CurrentDistribution() != nullptr &&
         cache::IsPartitionFolder(p.data) && LinesOnlyForSpending(k);
}

bool LinesReadApart(const InputPaths& p, const Contract& k) {
  if (LinesStayOnRanks(p, k)) return true;
  return p.lines_apart && cache::IsCacheFile(p.data) && LinesOnlyForSpending(k) &&
         !AttributesOnRanks(k);
}

std::vector<std::string> LineColumnsReadApart(const Contract& k) {
  // Plurality attribution reads the part's lines and eligibility whole.
  return AttributesOnRanks(k) ? std::vector<std::string>{} : SpendingLineColumns(k);
}

std::vector<std::string> SpendingLineColumns(const Contract& k) {
  const std::string amount = k.basis == AmountBasis::kPaid ? "paid" : "allowed";
  std::vector<std::string> out;
  if (k.medical) {
    for (const char* c : {"member", "claim_start", "claim_end", "category"}) {
      out.push_back(std::string("medical.") + c);
    }
    out.push_back("medical." + amount);
  }
  if (k.pharmacy) {
    for (const char* c : {"member", "dispensing_date"}) out.push_back(std::string("pharmacy.") + c);
    out.push_back("pharmacy." + amount);
  }
  return out;
}

LineTallies TallyLinesReadApart(const cache::Part& lines, const Contract& k,
                                const Timeline& timeline) {
  LineTallies out;
  out.lines = lines.tally ? *lines.tally : quality::ClaimLineTally{};
  out.members = TallyMemberLines(lines.dataset, k, timeline);
  return out;
}

Result<LineTallies> GatherLineTallies(const Dataset& whole, const cache::Part& own,
                                      const Contract& k, const Timeline& timeline) {
  Distribution* dist = CurrentDistribution();
  if (dist == nullptr || timeline.members() != whole.member_count() ||
      own.info.members != whole.member_count()) {
    return Status(StatusCode::kInternal, "GatherLineTallies outside a run that keeps lines");
  }
  auto ids = dist->GatherToRoot({});
  if (!ids.ok()) return ids.status();
  auto shared = SharedClaims(*ids, own);
  if (!shared.ok()) return shared.status();
  ids->clear();
  const std::string population = EncodePopulation(timeline, *shared);
  if (auto b = dist->BroadcastFromRoot(population); !b.ok()) return b.status();
  // Rank 0's own part, as every other rank tallies its own.
  Timeline mine;
  std::vector<uint32_t> mine_shared;
  if (Status s = DecodePopulation(population, own, k, &mine, &mine_shared); !s.ok()) return s;
  const std::string own_tally = TallyPart(own, k, mine, mine_shared);
  auto sent = dist->GatherToRoot({});
  if (!sent.ok()) return sent.status();
  LineTallies all;
  all.members = MemberLinesTable(whole.member_count());
  for (size_t r = 0; r < sent->size(); ++r) {
    const std::string from = fmt::format("the tallies of rank {}", r);
    if (Status s = AddPart(r == 0 ? own_tally : (*sent)[r], from, &all); !s.ok()) return s;
    (*sent)[r].clear();
  }
  return all;
}

Status SendLineTallies(const cache::Part& own, const Contract& k) {
  Distribution* dist = CurrentDistribution();
  if (dist == nullptr) return Status(StatusCode::kInternal, "SendLineTallies outside mpirun");
  WireWriter w;
  w.PutArray(own.maps.claim_ids);
  if (auto g = dist->GatherToRoot(Pack(w.Take())); !g.ok()) return g.status();
  auto population = dist->BroadcastFromRoot({});
  if (!population.ok()) return population.status();
  Timeline tl;
  std::vector<uint32_t> shared;
  if (Status s = DecodePopulation(*population, own, k, &tl, &shared); !s.ok()) return s;
  population->clear();
  auto g = dist->GatherToRoot(TallyPart(own, k, tl, shared));
  return g.ok() ? Status::Ok() : g.status();
}

}  // namespace valuepact::run
