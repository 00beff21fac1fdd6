#pragma once
// Builds small datasets by hand for population and attribution tests: every value in a test is
// written out where the expected result is derived.
#include <initializer_list>
#include <string>
#include <vector>

#include "valuepact/core/date.h"
#include "valuepact/core/money.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/program_data.h"

namespace valuepact::testing {

inline Date D(const char* iso) { return *ParseDate(iso); }

struct LineSpec {
  std::string claim;
  int line = 1;
  std::string person;
  ClaimType type = ClaimType::kProfessional;
  ServiceCategory category = ServiceCategory::kProfessional;
  const char* start = "2018-01-01";
  const char* end = nullptr;  // defaults to start
  std::vector<std::string> dx;
  double paid = 0;
  double allowed = -1;  // defaults to paid
  std::string hcpcs;
  std::string drg;
  std::string pos;
  std::string rendering_npi;
  std::string billing_tin;
  const char* admission = nullptr;
  const char* discharge = nullptr;
  std::vector<std::string> px;
};

class DatasetBuilder {
 public:
  uint32_t Member(const std::string& person) { return ds.members.Intern(person); }

  void Span(const std::string& person, const char* start, const char* end, char sex = 'F',
            const char* birth = "1940-06-15", const std::string& payer = "medicare",
            const std::string& plan = "", const std::string& dual = "",
            const char* death = nullptr) {
    auto& e = ds.eligibility;
    e.member.push_back(Member(person));
    e.start.push_back(D(start));
    e.end.push_back(D(end));
    e.payer.push_back(ds.codes.Intern(payer));
    e.plan.push_back(plan.empty() ? kNoCode : ds.codes.Intern(plan));
    e.sex.push_back(sex);
    e.birth_date.push_back(birth ? D(birth) : kNoDate);
    e.death_date.push_back(death ? D(death) : kNoDate);
    e.dual_status.push_back(dual.empty() ? kNoCode : ds.codes.Intern(dual));
    e.medicare_status.push_back(kNoCode);
    e.orec.push_back(kNoCode);
    e.source.push_back({});
  }

  uint32_t Code(const std::string& c) { return c.empty() ? kNoCode : ds.codes.Intern(c); }

  void Line(const LineSpec& s) {
    auto& t = ds.medical;
    t.claim.push_back(ds.claim_ids.Intern(s.claim));
    t.line_number.push_back(s.line);
    t.member.push_back(Member(s.person));
    t.claim_type.push_back(s.type);
    const Date start = D(s.start);
    const Date end = s.end ? D(s.end) : start;
    t.claim_start.push_back(start);
    t.claim_end.push_back(end);
    t.line_start.push_back(start);
    t.line_end.push_back(end);
    t.admission.push_back(s.admission ? D(s.admission) : kNoDate);
    t.discharge.push_back(s.discharge ? D(s.discharge) : kNoDate);
    t.paid_date.push_back(end);
    t.place_of_service.push_back(Code(s.pos));
    t.bill_type.push_back(kNoCode);
    t.drg.push_back(Code(s.drg));
    t.revenue_code.push_back(kNoCode);
    t.hcpcs.push_back(Code(s.hcpcs));
    t.hcpcs_modifier_1.push_back(kNoCode);
    t.rendering_npi.push_back(Code(s.rendering_npi));
    t.billing_npi.push_back(kNoCode);
    t.facility_npi.push_back(kNoCode);
    t.rendering_tin.push_back(kNoCode);
    t.billing_tin.push_back(Code(s.billing_tin));
    t.discharge_disposition.push_back(kNoCode);
    t.paid.push_back(RoundToCents(s.paid));
    t.allowed.push_back(RoundToCents(s.allowed < 0 ? s.paid : s.allowed));
    t.charge.push_back(RoundToCents(s.paid));
    t.category.push_back(s.category);
    for (const auto& d : s.dx) t.dx_code.push_back(ds.codes.Intern(d));
    t.dx_offset.push_back(static_cast<uint32_t>(t.dx_code.size()));
    for (const auto& p : s.px) t.px_code.push_back(ds.codes.Intern(p));
    t.px_offset.push_back(static_cast<uint32_t>(t.px_code.size()));
    t.source.push_back({});
  }

  void Pharmacy(const std::string& claim, const std::string& person, const char* date,
                double paid) {
    auto& t = ds.pharmacy;
    t.claim.push_back(ds.claim_ids.Intern(claim));
    t.line_number.push_back(1);
    t.member.push_back(Member(person));
    t.dispensing_date.push_back(D(date));
    t.paid_date.push_back(D(date));
    t.ndc.push_back(kNoCode);
    t.prescribing_npi.push_back(kNoCode);
    t.dispensing_npi.push_back(kNoCode);
    t.paid.push_back(RoundToCents(paid));
    t.allowed.push_back(RoundToCents(paid));
    t.source.push_back({});
  }

  void Referral(const std::string& person, const char* date, ReferralOutcome outcome,
                const char* decision = nullptr, const std::string& source = "health_plan") {
    auto& r = program.referrals;
    r.member.push_back(Member(person));
    r.referral_date.push_back(D(date));
    r.source_text.push_back(program.text.Intern(source));
    r.reason_text.push_back(kNoCode);
    r.outcome.push_back(outcome);
    r.decision_date.push_back(decision ? D(decision) : kNoDate);
    r.source.push_back({});
  }

  void Enrollment(const std::string& person, const char* start, const char* end,
                  CareSetting setting = CareSetting::kHome) {
    auto& e = program.enrollments;
    e.member.push_back(Member(person));
    e.start.push_back(D(start));
    e.end.push_back(end ? D(end) : kNoDate);
    e.setting.push_back(setting);
    e.end_reason_text.push_back(kNoCode);
    e.source.push_back({});
  }

  void Visit(const std::string& person, const char* date, Discipline d, Modality m, int minutes,
             int travel = 0) {
    auto& v = program.visits;
    v.member.push_back(Member(person));
    v.date.push_back(D(date));
    v.discipline.push_back(d);
    v.modality.push_back(m);
    v.minutes.push_back(minutes);
    v.travel_minutes.push_back(travel);
    v.source.push_back({});
  }

  void Event(const std::string& person, const char* date, ProgramEvent ev,
             const std::string& location = "") {
    auto& e = program.events;
    e.member.push_back(Member(person));
    e.date.push_back(D(date));
    e.event.push_back(ev);
    e.value.push_back(std::nan(""));
    e.location_text.push_back(location.empty() ? kNoCode : program.text.Intern(location));
    e.preferred_location_text.push_back(kNoCode);
    e.source.push_back({});
  }

  // Call after adding rows.
  Dataset& Finish() {
    ds.FinalizeMembers();
    return ds;
  }

  Dataset ds;
  ProgramData program;
};

}  // namespace valuepact::testing
