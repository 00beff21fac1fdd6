// libFuzzer target for the definition language: any bytes as a definition must either compile
// or give a positioned error, and a compiled program must evaluate without fault over a small
// dataset. Build with clang and -DVALUEPACT_FUZZ=ON.
#include <cstddef>
#include <cstdint>
#include <string>

#include "valuepact/population/definition.h"

namespace {

using valuepact::Dataset;
using valuepact::Date;

const valuepact::population::ValueSetLibrary& Sets() {
  static const valuepact::population::ValueSetLibrary sets = [] {
    valuepact::population::ValueSetLibrary lib;
    (void)lib.LoadCsv(
        "value_set,code_system,code\nheart_failure,icd-10-cm,I50*\ncopd,icd-10-cm,J44*\n"
        "pc,hcpcs,99213\n",
        "fuzz.csv");
    return lib;
  }();
  return sets;
}

const Dataset& Data() {
  static const Dataset ds = [] {
    Dataset d;
    const uint32_t m = d.members.Intern("A");
    auto& e = d.eligibility;
    e.member.push_back(m);
    e.start.push_back(Date::FromCivil(2017, 1, 1));
    e.end.push_back(Date::FromCivil(2018, 12, 31));
    e.payer.push_back(d.codes.Intern("medicare"));
    e.plan.push_back(valuepact::kNoCode);
    e.sex.push_back('F');
    e.birth_date.push_back(Date::FromCivil(1940, 1, 1));
    e.death_date.push_back(valuepact::kNoDate);
    e.dual_status.push_back(valuepact::kNoCode);
    e.medicare_status.push_back(valuepact::kNoCode);
    e.orec.push_back(valuepact::kNoCode);
    e.source.push_back({});
    auto& t = d.medical;
    t.claim.push_back(d.claim_ids.Intern("c"));
    t.line_number.push_back(1);
    t.member.push_back(m);
    t.claim_type.push_back(valuepact::ClaimType::kInstitutional);
    const Date day = Date::FromCivil(2017, 6, 1);
    for (auto* v : {&t.claim_start, &t.claim_end, &t.line_start, &t.line_end, &t.admission,
                    &t.discharge, &t.paid_date}) {
      v->push_back(day);
    }
    for (auto* v : {&t.place_of_service, &t.bill_type, &t.drg, &t.revenue_code, &t.hcpcs,
                    &t.hcpcs_modifier_1, &t.rendering_npi, &t.billing_npi, &t.facility_npi,
                    &t.rendering_tin, &t.billing_tin, &t.discharge_disposition}) {
      v->push_back(valuepact::kNoCode);
    }
    t.paid.push_back(valuepact::Money::FromUnits(100));
    t.allowed.push_back(valuepact::Money::FromUnits(100));
    t.charge.push_back(valuepact::Money::FromUnits(100));
    t.category.push_back(valuepact::ServiceCategory::kAcuteInpatient);
    t.dx_code.push_back(d.codes.Intern("I509"));
    t.dx_offset.push_back(1);
    t.px_offset.push_back(0);
    t.source.push_back({});
    d.FinalizeMembers();
    return d;
  }();
  return ds;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // The input is used both as a root and as a named definition others refer to.
  const std::map<std::string, std::string> defs = {{"fuzzed", text},
                                                   {"older", "age >= 65 and fuzzed"}};
  valuepact::population::DefinitionError error;
  auto program = valuepact::population::Compile(defs, {{"root", text}}, Sets(), &error);
  if (!program.ok()) {
    // Errors always carry a position inside the text.
    if (error.pos.line < 1 || error.pos.column < 1) __builtin_trap();
    return 0;
  }
  valuepact::population::EvalContext ctx;
  ctx.dataset = &Data();
  ctx.index_date = Date::FromCivil(2018, 1, 1);
  ctx.period_end = Date::FromCivil(2018, 12, 31);
  std::vector<double> scores{1.0};
  ctx.risk_scores = &scores;
  (void)valuepact::population::Evaluate(*program, ctx);
  return 0;
}
