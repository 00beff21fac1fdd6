// Runs a compiled program over the whole dataset: one pass per column operation, each pass
// parallel over its domain (members, claim lines or program rows). Every member's value depends
// only on that member's rows, so results are identical for any thread count.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "population/program_impl.h"

namespace valuepact::population {

Date AddMonths(Date d, int months) {
  int y;
  unsigned m, day;
  d.ToCivil(&y, &m, &day);
  const YearMonth ym = YearMonth::Of(y, m) + months;
  const unsigned dim = DaysInMonth(ym.year(), ym.month());
  return Date::FromCivil(ym.year(), ym.month(), std::min(day, dim));
}

Result<Period> ResolveWindow(const Window& w, Date index, Date period_end) {
  const Date kMin = Date::FromDays(std::numeric_limits<int32_t>::min() + 1);
  const Date kMax = Date::FromDays(std::numeric_limits<int32_t>::max() - 1);
  switch (w.kind) {
    case Window::Kind::kNone:
    case Window::Kind::kEver:
      return Period{kMin, kMax};
    case Window::Kind::kDuringPeriod:
      if (period_end == kNoDate) {
        return InvalidInput("'during period' needs the period's end date, which was not given");
      }
      return Period{index, period_end};
    case Window::Kind::kBefore: {
      const Date start = w.unit == Window::Unit::kDays     ? index - w.amount
                         : w.unit == Window::Unit::kMonths ? AddMonths(index, -w.amount)
                                                           : AddMonths(index, -12 * w.amount);
      return Period{start, index - 1};
    }
    case Window::Kind::kAfter: {
      const Date end = w.unit == Window::Unit::kDays     ? index + w.amount
                       : w.unit == Window::Unit::kMonths ? AddMonths(index, w.amount)
                                                         : AddMonths(index, 12 * w.amount);
      return Period{index, end - 1};
    }
  }
  return Period{kMin, kMax};
}

namespace {

using Group = DatasetIndex::Impl::Group;

template <typename Less>
Group GroupRows(const std::vector<uint32_t>& member, uint32_t member_count, Less less) {
  MemberIndex idx = IndexByMember(member, member_count);
  Group g;
  g.offsets = std::move(idx.offsets);
  g.order = std::move(idx.order);
  tbb::parallel_for(tbb::blocked_range<uint32_t>(0, member_count, 4096),
                    [&](const tbb::blocked_range<uint32_t>& r) {
                      for (uint32_t m = r.begin(); m != r.end(); ++m) {
                        std::stable_sort(g.order.begin() + g.offsets[m],
                                         g.order.begin() + g.offsets[m + 1], less);
                      }
                    });
  return g;
}

template <typename F>
void ForEach(size_t n, F&& f) {
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 2048),
                    [&](const tbb::blocked_range<size_t>& r) {
                      for (size_t i = r.begin(); i != r.end(); ++i) f(i);
                    });
}

bool CompareValues(double a, CompareOp op, double b) {
  if (std::isnan(a) || std::isnan(b)) return false;  // unknown never satisfies a comparison
  switch (op) {
    case CompareOp::kLt:
      return a < b;
    case CompareOp::kLe:
      return a <= b;
    case CompareOp::kGt:
      return a > b;
    case CompareOp::kGe:
      return a >= b;
    case CompareOp::kEq:
      return a == b;
    case CompareOp::kNe:
      return a != b;
  }
  return false;
}

// What a context without program data evaluates against: every program table empty.
const ProgramData& NoProgramData() {
  static const ProgramData kEmpty;
  return kEmpty;
}

class Evaluator {
 public:
  Evaluator(const Program::Impl& p, const EvalContext& ctx, const DatasetIndex::Impl& idx)
      : p_(p),
        ctx_(ctx),
        ds_(*ctx.dataset),
        idx_(idx),
        prog_(ctx.program != nullptr ? ctx.program : &NoProgramData()) {}

  Status Run(Evaluation* out) {
    const uint32_t members = idx_.member_count;
    if (ctx_.risk_scores != nullptr && ctx_.risk_scores->size() < members) {
      return InvalidInput(fmt::format("risk scores cover {} members, the dataset has {}",
                                      ctx_.risk_scores->size(), members));
    }
    regs_b_.resize(p_.register_count);
    regs_n_.resize(p_.register_count);
    resolved_.resize(p_.matchers.size());
    for (const Instr& in : p_.code) {
      Status s = Exec(in);
      if (!s.ok()) return s;
    }
    for (size_t i = 0; i < p_.outputs.size(); ++i) {
      Column c;
      c.name = p_.outputs[i].name;
      c.is_bool = p_.outputs[i].is_bool;
      if (c.is_bool) {
        c.flags = regs_b_[p_.output_regs[i]];
      } else {
        c.values = regs_n_[p_.output_regs[i]];
      }
      out->columns.push_back(std::move(c));
    }
    return Status::Ok();
  }

 private:
  size_t DomainSize(Domain d) const {
    switch (d) {
      case Domain::kMember:
        return idx_.member_count;
      case Domain::kLine:
        return ds_.medical.size();
      case Domain::kReferral:
        return prog_->referrals.size();
      case Domain::kVisit:
        return prog_->visits.size();
      case Domain::kEvent:
        return prog_->events.size();
      case Domain::kProgramEnrollment:
        return prog_->enrollments.size();
    }
    return 0;
  }

  const Group* RowGroup(Domain d) const {
    switch (d) {
      case Domain::kLine:
        return &idx_.medical;
      case Domain::kReferral:
        return &idx_.referrals;
      case Domain::kVisit:
        return &idx_.visits;
      case Domain::kEvent:
        return &idx_.events;
      case Domain::kProgramEnrollment:
        return &idx_.enrollments;
      default:
        return nullptr;
    }
  }

  // Whether row `r` of domain `d` falls in [ws, we]: its date, or for program enrollments an
  // overlap of the span with the window.
  bool RowInWindow(Domain d, uint32_t r, const Period& w) const {
    switch (d) {
      case Domain::kLine:
        return w.Contains(idx_.line_date[r]);
      case Domain::kReferral:
        return w.Contains(prog_->referrals.referral_date[r]);
      case Domain::kVisit:
        return w.Contains(prog_->visits.date[r]);
      case Domain::kEvent:
        return w.Contains(prog_->events.date[r]);
      case Domain::kProgramEnrollment: {
        const Date e = prog_->enrollments.end[r];
        return prog_->enrollments.start[r] <= w.end && (e == kNoDate || e >= w.start);
      }
      default:
        return false;
    }
  }

  static bool Valid(Date d) { return d != kNoDate; }

  Status Exec(const Instr& in) {
    const size_t n = DomainSize(in.domain);
    Period w{};
    if (in.window.kind != Window::Kind::kNone) {
      auto r = ResolveWindow(in.window, ctx_.index_date, ctx_.period_end);
      if (!r.ok()) return r.status();
      w = *r;
    }
    std::vector<uint8_t>* ob = nullptr;
    std::vector<double>* on = nullptr;
    if (in.is_bool) {
      ob = &regs_b_[in.dest];
      ob->assign(n, 0);
    } else {
      on = &regs_n_[in.dest];
      on->assign(n, 0.0);
    }
    const auto& mi = ds_.member_info;
    switch (in.op) {
      case Op::kConst:
        if (ob) std::fill(ob->begin(), ob->end(), in.number != 0);
        if (on) std::fill(on->begin(), on->end(), in.number);
        return Status::Ok();
      case Op::kAnd:
      case Op::kOr: {
        const auto& a = regs_b_[in.a];
        const auto& b = regs_b_[in.b];
        const bool is_and = in.op == Op::kAnd;
        ForEach(n, [&](size_t i) { (*ob)[i] = is_and ? (a[i] & b[i]) : (a[i] | b[i]); });
        return Status::Ok();
      }
      case Op::kNot: {
        const auto& a = regs_b_[in.a];
        ForEach(n, [&](size_t i) { (*ob)[i] = !a[i]; });
        return Status::Ok();
      }
      case Op::kCompare: {
        const auto& a = regs_n_[in.a];
        const std::vector<double>* b = in.b >= 0 ? &regs_n_[in.b] : nullptr;
        ForEach(n,
                [&](size_t i) { (*ob)[i] = CompareValues(a[i], in.cmp, b ? (*b)[i] : in.number); });
        return Status::Ok();
      }
      case Op::kAge:
        ForEach(n, [&](size_t m) {
          const Date b = m < mi.birth_date.size() ? mi.birth_date[m] : kNoDate;
          (*on)[m] =
              Valid(b) ? FullYears(b, ctx_.index_date) : std::numeric_limits<double>::quiet_NaN();
        });
        return Status::Ok();
      case Op::kRiskScore:
        if (ctx_.risk_scores == nullptr) {
          return InvalidInput("'risk_score' is used but no risk scores were supplied for the run");
        }
        ForEach(n, [&](size_t m) { (*on)[m] = (*ctx_.risk_scores)[m]; });
        return Status::Ok();
      case Op::kDual:
        ForEach(n, [&](size_t m) {
          const uint32_t c = m < mi.dual_status.size() ? mi.dual_status[m] : kNoCode;
          (*ob)[m] = c != kNoCode && IsDualStatusCode(ds_.codes.Get(c));
        });
        return Status::Ok();
      case Op::kMemberAttrIn:
        return ExecMemberAttr(in, ob);
      case Op::kLineCodeIn:
        return ExecLineCode(in, ob);
      case Op::kLineCategoryIn: {
        const auto& cat = ds_.medical.category;
        ForEach(n, [&](size_t l) {
          (*ob)[l] = l < cat.size() && (in.mask >> static_cast<int>(cat[l]) & 1);
        });
        return Status::Ok();
      }
      case Op::kLineClaimTypeIn: {
        const auto& ct = ds_.medical.claim_type;
        ForEach(n, [&](size_t l) { (*ob)[l] = in.mask >> static_cast<int>(ct[l]) & 1; });
        return Status::Ok();
      }
      case Op::kRowEnumIn:
        return ExecRowEnum(in, ob);
      case Op::kRowTextIn:
        return ExecRowText(in, ob);
      case Op::kExists:
      case Op::kAggregate:
        return ExecAggregate(in, w, ob, on);
      case Op::kAdmissions:
      case Op::kBedDays:
        return ExecAdmissions(in, w, on);
      case Op::kEdVisits:
        return ExecEdVisits(w, on);
      case Op::kEnrolled:
      case Op::kEnrolledDays:
        return ExecEnrolled(in, w, ob, on);
      case Op::kDied: {
        const Group& ev = idx_.events;
        ForEach(n, [&](size_t m) {
          bool died =
              m < mi.death_date.size() && Valid(mi.death_date[m]) && w.Contains(mi.death_date[m]);
          if (!died && m + 1 < ev.offsets.size()) {
            for (uint32_t k = ev.offsets[m]; k < ev.offsets[m + 1] && !died; ++k) {
              const uint32_t r = ev.order[k];
              died = prog_->events.event[r] == ProgramEvent::kDeath &&
                     w.Contains(prog_->events.date[r]);
            }
          }
          (*ob)[m] = died;
        });
        return Status::Ok();
      }
    }
    return Status(StatusCode::kInternal, "unknown operation");
  }

  Status ExecMemberAttr(const Instr& in, std::vector<uint8_t>* ob) {
    const auto& mi = ds_.member_info;
    const size_t n = ob->size();
    const auto attr = static_cast<MemberAttr>(in.field);
    if (attr == MemberAttr::kSex) {
      ForEach(n, [&](size_t m) {
        const char s = m < mi.sex.size() ? mi.sex[m] : 'U';
        for (const auto& v : in.strings) {
          if (v[0] == s) (*ob)[m] = 1;
        }
      });
      return Status::Ok();
    }
    std::vector<uint32_t> ids;
    for (const auto& s : in.strings) {
      const uint32_t id = ds_.codes.Find(s);
      if (id != StringInterner::kNone) ids.push_back(id);
    }
    auto has = [&](uint32_t c) {
      return c != kNoCode && std::find(ids.begin(), ids.end(), c) != ids.end();
    };
    if (attr == MemberAttr::kPayer || attr == MemberAttr::kPlan) {
      // The eligibility span that covers the index date (the latest-starting one when several
      // do) says the member's payer and plan.
      const auto& el = ds_.eligibility;
      const Group& g = idx_.eligibility;
      const Date at = ctx_.index_date;
      ForEach(n, [&](size_t m) {
        int64_t found = -1;
        for (uint32_t k = g.offsets[m]; k < g.offsets[m + 1]; ++k) {
          const uint32_t r = g.order[k];
          if (el.start[r] <= at && (el.end[r] == kNoDate || el.end[r] >= at)) found = r;
        }
        if (found >= 0) {
          (*ob)[m] = has(attr == MemberAttr::kPayer ? el.payer[found] : el.plan[found]);
        }
      });
      return Status::Ok();
    }
    const std::vector<uint32_t>& col = attr == MemberAttr::kDualStatus       ? mi.dual_status
                                       : attr == MemberAttr::kMedicareStatus ? mi.medicare_status
                                                                             : mi.orec;
    ForEach(n, [&](size_t m) { (*ob)[m] = m < col.size() && has(col[m]); });
    return Status::Ok();
  }

  const std::vector<uint8_t>& Resolved(int matcher) {
    if (resolved_[matcher].empty() && ds_.codes.size() > 0) {
      resolved_[matcher] = p_.matchers[matcher].Resolve(ds_.codes);
    }
    return resolved_[matcher];
  }

  Status ExecLineCode(const Instr& in, std::vector<uint8_t>* ob) {
    const auto& t = ds_.medical;
    const auto& hit = Resolved(in.matcher);
    auto is = [&](uint32_t c) { return c != kNoCode && c < hit.size() && hit[c]; };
    const auto col = static_cast<LineColumn>(in.field);
    if (col == LineColumn::kDiagnosisAny || col == LineColumn::kProcedure) {
      if (Status s = RequireDiagnoses(t, "a definition on diagnosis or procedure codes"); !s.ok()) {
        return s;
      }
    }
    ForEach(ob->size(), [&](size_t l) {
      bool v = false;
      switch (col) {
        case LineColumn::kDiagnosisAny:
          for (uint32_t k = t.dx_offset[l]; k < t.dx_offset[l + 1] && !v; ++k) v = is(t.dx_code[k]);
          break;
        case LineColumn::kDiagnosisPrimary:
          v = is(t.FirstDiagnosis(l));
          break;
        case LineColumn::kProcedure:
          v = is(t.hcpcs[l]);
          for (uint32_t k = t.px_offset[l]; k < t.px_offset[l + 1] && !v; ++k) v = is(t.px_code[k]);
          break;
        case LineColumn::kDrg:
          v = is(t.drg[l]);
          break;
        case LineColumn::kPlaceOfService:
          v = is(t.place_of_service[l]);
          break;
        case LineColumn::kRevenueCode:
          v = is(t.revenue_code[l]);
          break;
        case LineColumn::kBillType:
          v = is(t.bill_type[l]);
          break;
      }
      (*ob)[l] = v;
    });
    return Status::Ok();
  }

  Status ExecRowEnum(const Instr& in, std::vector<uint8_t>* ob) {
    auto set = [&](auto const& col) {
      ForEach(ob->size(), [&](size_t r) { (*ob)[r] = in.mask >> static_cast<int>(col[r]) & 1; });
    };
    switch (static_cast<RowField>(in.field)) {
      case RowField::kReferralOutcome:
        set(prog_->referrals.outcome);
        break;
      case RowField::kVisitDiscipline:
        set(prog_->visits.discipline);
        break;
      case RowField::kVisitModality:
        set(prog_->visits.modality);
        break;
      case RowField::kEventType:
        set(prog_->events.event);
        break;
      case RowField::kEnrollmentSetting:
        set(prog_->enrollments.setting);
        break;
      default:
        return Status(StatusCode::kInternal, "not an enumerated field");
    }
    return Status::Ok();
  }

  Status ExecRowText(const Instr& in, std::vector<uint8_t>* ob) {
    if (ob->empty()) return Status::Ok();
    std::vector<uint32_t> ids;
    for (const auto& s : in.strings) {
      const uint32_t id = prog_->text.Find(s);
      if (id != StringInterner::kNone) ids.push_back(id);
    }
    const std::vector<uint32_t>* col = nullptr;
    switch (static_cast<RowField>(in.field)) {
      case RowField::kReferralSource:
        col = &prog_->referrals.source_text;
        break;
      case RowField::kReferralReason:
        col = &prog_->referrals.reason_text;
        break;
      case RowField::kEventLocation:
        col = &prog_->events.location_text;
        break;
      case RowField::kEventPreferredLocation:
        col = &prog_->events.preferred_location_text;
        break;
      case RowField::kEnrollmentEndReason:
        col = &prog_->enrollments.end_reason_text;
        break;
      default:
        return Status(StatusCode::kInternal, "not a text field");
    }
    ForEach(ob->size(), [&](size_t r) {
      (*ob)[r] = std::find(ids.begin(), ids.end(), (*col)[r]) != ids.end();
    });
    return Status::Ok();
  }

  Status ExecAggregate(const Instr& in, const Period& w, std::vector<uint8_t>* ob,
                       std::vector<double>* on) {
    const Domain rd = in.row_domain;
    const Group* g = RowGroup(rd);
    const std::vector<uint8_t>* mask = in.a >= 0 ? &regs_b_[in.a] : nullptr;
    const auto measure = static_cast<Measure>(in.field);
    const size_t members = idx_.member_count;
    const bool has_rows = DomainSize(rd) > 0;
    const auto& med = ds_.medical;
    const auto& ph = ds_.pharmacy;
    const Group& pg = idx_.pharmacy;
    ForEach(members, [&](size_t m) {
      int64_t count = 0;
      int64_t cents = 0;
      uint32_t last_claim = kNoCode;
      if (has_rows) {
        for (uint32_t k = g->offsets[m]; k < g->offsets[m + 1]; ++k) {
          const uint32_t r = g->order[k];
          if (mask != nullptr && !(*mask)[r]) continue;
          if (!RowInWindow(rd, r, w)) continue;
          if (ob != nullptr) {
            count = 1;
            break;
          }
          switch (measure) {
            case Measure::kRows:
              ++count;
              break;
            case Measure::kClaims:
              // Lines are grouped by claim within a member, so a new claim id is a new claim.
              if (med.claim[r] != last_claim) {
                ++count;
                last_claim = med.claim[r];
              }
              break;
            case Measure::kPaid:
            case Measure::kPaidAll:
              cents += med.paid[r].cents();
              break;
            case Measure::kAllowed:
            case Measure::kAllowedAll:
              cents += med.allowed[r].cents();
              break;
            case Measure::kMinutes:
              count += prog_->visits.minutes[r];
              break;
          }
        }
      }
      if (measure == Measure::kPaidAll || measure == Measure::kAllowedAll) {
        for (uint32_t k = pg.offsets[m]; k < pg.offsets[m + 1]; ++k) {
          const uint32_t r = pg.order[k];
          if (!w.Contains(ph.dispensing_date[r])) continue;
          cents += (measure == Measure::kPaidAll ? ph.paid[r] : ph.allowed[r]).cents();
        }
      }
      if (ob != nullptr) {
        (*ob)[m] = count > 0;
      } else if (measure == Measure::kPaid || measure == Measure::kAllowed ||
                 measure == Measure::kPaidAll || measure == Measure::kAllowedAll) {
        (*on)[m] = static_cast<double>(cents) / 100.0;
      } else {
        (*on)[m] = static_cast<double>(count);
      }
    });
    return Status::Ok();
  }

  // An acute inpatient stay is an institutional claim with an acute-inpatient line, dated by
  // its admission date (claim start when blank); bed days are discharge (claim end when blank)
  // minus admission, at least 1.
  Status ExecAdmissions(const Instr& in, const Period& w, std::vector<double>* on) {
    const auto& t = ds_.medical;
    const Group& g = idx_.medical;
    const bool bed_days = in.op == Op::kBedDays;
    if (Status s = RequireLineDetails(ds_, "a definition on admissions or bed days"); !s.ok()) {
      return s;
    }
    ForEach(idx_.member_count, [&](size_t m) {
      double total = 0;
      uint32_t last_claim = kNoCode;
      for (uint32_t k = g.offsets[m]; k < g.offsets[m + 1]; ++k) {
        const uint32_t r = g.order[k];
        if (t.category[r] != ServiceCategory::kAcuteInpatient ||
            t.claim_type[r] == ClaimType::kProfessional || t.claim[r] == last_claim) {
          continue;
        }
        last_claim = t.claim[r];
        const Date admit = Valid(t.admission[r]) ? t.admission[r] : t.claim_start[r];
        if (!w.Contains(admit)) continue;
        if (bed_days) {
          const Date out = Valid(t.discharge[r]) ? t.discharge[r] : t.claim_end[r];
          total += std::max(1, Valid(out) ? out - admit : 1);
        } else {
          total += 1;
        }
      }
      (*on)[m] = total;
    });
    return Status::Ok();
  }

  // ED visits are distinct days with an emergency-department line, so a facility claim and the
  // physician's claim for the same visit count once.
  Status ExecEdVisits(const Period& w, std::vector<double>* on) {
    const auto& t = ds_.medical;
    const Group& g = idx_.medical;
    tbb::parallel_for(
        tbb::blocked_range<size_t>(0, idx_.member_count, 2048),
        [&](const tbb::blocked_range<size_t>& range) {
          std::vector<int32_t> days;
          for (size_t m = range.begin(); m != range.end(); ++m) {
            days.clear();
            for (uint32_t k = g.offsets[m]; k < g.offsets[m + 1]; ++k) {
              const uint32_t r = g.order[k];
              if (t.category[r] != ServiceCategory::kEmergency) continue;
              const Date d = idx_.line_date[r];
              if (w.Contains(d)) days.push_back(d.days());
            }
            std::sort(days.begin(), days.end());
            (*on)[m] = static_cast<double>(std::unique(days.begin(), days.end()) - days.begin());
          }
        });
    return Status::Ok();
  }

  Status ExecEnrolled(const Instr& in, const Period& w, std::vector<uint8_t>* ob,
                      std::vector<double>* on) {
    const auto& el = ds_.eligibility;
    const Group& g = idx_.eligibility;
    ForEach(idx_.member_count, [&](size_t m) {
      // Spans are sorted by start; walk the covered days of the window.
      int64_t covered = 0;
      int64_t cursor = w.start.days();  // first day not yet known to be covered
      for (uint32_t k = g.offsets[m]; k < g.offsets[m + 1]; ++k) {
        const uint32_t r = g.order[k];
        const int64_t s = std::max<int64_t>(el.start[r].days(), cursor);
        const int64_t e =
            std::min<int64_t>(el.end[r] == kNoDate ? w.end.days() : el.end[r].days(), w.end.days());
        if (e < s) continue;
        covered += e - s + 1;
        cursor = e + 1;
      }
      const int64_t length = int64_t{w.end.days()} - w.start.days() + 1;
      if (ob != nullptr) {
        (*ob)[m] = covered == length;
      } else {
        (*on)[m] = static_cast<double>(covered);
      }
    });
    return Status::Ok();
  }

  const Program::Impl& p_;
  const EvalContext& ctx_;
  const Dataset& ds_;
  const DatasetIndex::Impl& idx_;
  const ProgramData* prog_;  // never null: NoProgramData() when the context has none
  std::vector<std::vector<uint8_t>> regs_b_;
  std::vector<std::vector<double>> regs_n_;
  std::vector<std::vector<uint8_t>> resolved_;
};

}  // namespace

DatasetIndex::DatasetIndex(const Dataset& ds, const ProgramData* program)
    : impl_(std::make_unique<Impl>()) {
  Impl& x = *impl_;
  x.member_count = ds.member_count();
  const auto& med = ds.medical;
  x.line_date.resize(med.size());
  for (size_t i = 0; i < med.size(); ++i) {
    x.line_date[i] = med.line_start[i] != kNoDate ? med.line_start[i] : med.claim_start[i];
  }
  x.medical = GroupRows(med.member, x.member_count, [&](uint32_t a, uint32_t b) {
    return med.claim[a] != med.claim[b] ? med.claim[a] < med.claim[b]
                                        : med.line_number[a] < med.line_number[b];
  });
  const auto& ph = ds.pharmacy;
  x.pharmacy = GroupRows(ph.member, x.member_count, [&](uint32_t a, uint32_t b) {
    return ph.dispensing_date[a] < ph.dispensing_date[b];
  });
  const auto& el = ds.eligibility;
  x.eligibility = GroupRows(el.member, x.member_count,
                            [&](uint32_t a, uint32_t b) { return el.start[a] < el.start[b]; });
  const ProgramData& p = program != nullptr ? *program : NoProgramData();
  x.referrals = GroupRows(p.referrals.member, x.member_count, [&](uint32_t a, uint32_t b) {
    return p.referrals.referral_date[a] < p.referrals.referral_date[b];
  });
  x.visits = GroupRows(p.visits.member, x.member_count,
                       [&](uint32_t a, uint32_t b) { return p.visits.date[a] < p.visits.date[b]; });
  x.events = GroupRows(p.events.member, x.member_count,
                       [&](uint32_t a, uint32_t b) { return p.events.date[a] < p.events.date[b]; });
  x.enrollments = GroupRows(p.enrollments.member, x.member_count, [&](uint32_t a, uint32_t b) {
    return p.enrollments.start[a] < p.enrollments.start[b];
  });
}

DatasetIndex::~DatasetIndex() = default;

const Column* Evaluation::Find(const std::string& name) const {
  for (const auto& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

Result<Evaluation> Evaluate(const Program& program, const EvalContext& context) {
  if (context.dataset == nullptr) return InvalidInput("no dataset to evaluate definitions over");
  std::unique_ptr<DatasetIndex> own;
  const DatasetIndex* index = context.index;
  if (index == nullptr) {
    own = std::make_unique<DatasetIndex>(*context.dataset, context.program);
    index = own.get();
  }
  if (index->impl().member_count != context.dataset->member_count()) {
    return InvalidInput("the dataset index was built for a different dataset");
  }
  Evaluation out;
  Evaluator ev(program.impl(), context, index->impl());
  Status s = ev.Run(&out);
  if (!s.ok()) return s;
  return out;
}

}  // namespace valuepact::population
