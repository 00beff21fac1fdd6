// libFuzzer target for the definition language: any bytes as a definition must either compile
// or give a positioned error, and a compiled program must evaluate without fault over a small
// dataset, with program data (referrals, enrollments, visits, events) and without it.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "valuepact/core/files.h"
#include "valuepact/ingest/load_data.h"
#include "valuepact/ingest/program/program_reader.h"
#include "valuepact/population/definition.h"

namespace {

using valuepact::Date;
namespace population = valuepact::population;

const population::ValueSetLibrary& Sets() {
  static const population::ValueSetLibrary sets = [] {
    population::ValueSetLibrary lib;
    (void)lib.LoadCsv(
        "value_set,code_system,code\nheart_failure,icd-10-cm,I50*\ncopd,icd-10-cm,J44*\n"
        "pc,hcpcs,99213\ndialysis,hcpcs,90935\nsurgery,icd-10-pcs,0DT*\n",
        "fuzz.csv");
    return lib;
  }();
  return sets;
}

// Claims, eligibility and program data as a run reads them: through the readers, from files.
struct Inputs {
  valuepact::Dataset dataset;
  valuepact::ProgramData program;
  valuepact::IngestReport report;
  std::vector<double> risk_scores;
};

const Inputs& Data() {
  static const Inputs in = [] {
    valuepact::MemoryFileSystem files;
    files.Put("/d/eligibility.csv",
              "person_id,gender,birth_date,death_date,enrollment_start_date,enrollment_end_date,"
              "payer,dual_status_code\n"
              "A,female,1940-06-15,,2017-01-01,2018-12-31,medicare,\n"
              "B,male,1953-01-01,,2017-02-01,2018-12-31,medicare,02\n"
              "C,female,1960-03-01,2018-02-01,2016-01-01,2018-02-01,medicare,\n"
              "D,female,,,2018-01-01,2018-12-31,commercial,\n");
    files.Put("/d/medical_claim.csv",
              "claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,"
              "admission_date,discharge_date,bill_type_code,place_of_service_code,"
              "revenue_center_code,hcpcs_code,drg_code,paid_amount,allowed_amount,"
              "diagnosis_code_1,diagnosis_code_2,procedure_code_1\n"
              "a1,1,professional,A,2017-01-01,2017-01-01,,,,11,,99213,,100.00,110.00,I509,,\n"
              "a2,1,professional,A,2016-12-31,2016-12-31,,,,11,,90935,,50.00,50.00,R05,I5022,\n"
              "c1,1,institutional,C,2017-03-01,2017-03-05,2017-03-01,2017-03-05,111,,0120,,"
              "190,10000.00,10500.00,J441,I150,0DTJ4ZZ\n"
              "c1,2,institutional,C,2017-03-01,2017-03-05,2017-03-01,2017-03-05,111,,0250,,"
              "190,500.00,500.00,J441,,\n"
              "c3,1,institutional,C,2017-04-04,2017-04-04,,,131,,0450,,,700.00,700.00,J440,,\n"
              "c4,1,professional,C,2017-04-04,2017-04-04,,,,23,,99284,,150.00,150.00,J440,,\n"
              "b1,1,professional,B,2017-12-31,2017-12-31,,,,11,,99214,,10.00,10.00,I110,,\n");
    files.Put("/d/pharmacy_claim.csv",
              "claim_id,claim_line_number,person_id,dispensing_date,paid_date,ndc_code,"
              "paid_amount,allowed_amount\n"
              "cp1,1,C,2017-06-01,2017-06-02,00000000001,40.25,40.25\n");
    files.Put("/d/referrals.csv",
              "person_id,referral_date,source,reason,outcome,decision_date\n"
              "A,2017-11-01,hospital,serious illness,enrolled,2017-11-10\n"
              "B,2017-06-01,clinic,frailty,declined,2017-06-03\n"
              "E,2017-09-01,health_plan,,,\n");
    files.Put("/d/enrollments.csv",
              "person_id,start,end,setting,end_reason\n"
              "A,2017-11-10,,home,\n"
              "C,2017-05-01,2018-02-01,nursing_facility,died\n");
    files.Put("/d/visits.csv",
              "person_id,date,discipline,modality,minutes,travel_minutes\n"
              "A,2017-11-12,rn,in_person,60,30\n"
              "A,2017-12-12,social_worker,phone,20,\n"
              "C,2017-06-01,physician,video,45,0\n");
    files.Put("/d/events.csv",
              "person_id,date,event,value,location,preferred_location\n"
              "A,2017-11-12,initial_assessment,,home,home\n"
              "A,2017-12-01,symptom_score,7,,\n"
              "C,2017-12-01,hospice_election,,,\n"
              "C,2018-02-01,death,,home,home\n");
    Inputs d;
    (void)valuepact::LoadDataDirectory("/d", valuepact::DataFormat::kTuva, {}, &d.dataset,
                                       &d.report, files);
    (void)valuepact::LoadProgramDirectory("/d", files, &d.dataset, &d.program, &d.report);
    d.dataset.FinalizeMembers();
    d.risk_scores.assign(d.dataset.member_count(), 1.0);
    return d;
  }();
  return in;
}

void EvaluateWith(const population::Program& program, const valuepact::ProgramData* data,
                  Date index) {
  population::EvalContext ctx;
  ctx.dataset = &Data().dataset;
  ctx.program = data;
  ctx.risk_scores = &Data().risk_scores;
  ctx.index_date = index;
  ctx.period_end = Date::FromCivil(2018, 12, 31);
  (void)population::Evaluate(program, ctx);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  valuepact::fuzz::OneThread();
  const std::string text(valuepact::fuzz::Bytes(data, size));
  // The input is used both as a root and as a named definition others refer to.
  const std::map<std::string, std::string> defs = {{"fuzzed", text},
                                                   {"older", "age >= 65 and fuzzed"}};
  population::DefinitionError error;
  // As a claim line condition (an episode trigger): one flag per medical line.
  auto line = population::CompileLineCondition(defs, {"trigger", text}, Sets(), &error);
  if (line.ok()) {
    population::EvalContext ctx;
    ctx.dataset = &Data().dataset;
    ctx.index_date = Date::FromCivil(2018, 1, 1);
    auto ev = population::Evaluate(*line, ctx);
    if (ev.ok() && ev->columns.at(0).flags.size() != Data().dataset.medical.size()) {
      __builtin_trap();
    }
  } else if (error.pos.line < 1 || error.pos.column < 1) {
    __builtin_trap();
  }
  auto program = population::Compile(defs, {{"root", text}}, Sets(), &error);
  if (!program.ok()) {
    // Errors always carry a position inside the text.
    if (error.pos.line < 1 || error.pos.column < 1) __builtin_trap();
    return 0;
  }
  (void)program->Listing();
  EvaluateWith(*program, &Data().program, Date::FromCivil(2018, 1, 1));
  // A claims-only run has no program data: program terms then see no rows.
  EvaluateWith(*program, nullptr, Date::FromCivil(2017, 7, 1));
  return 0;
}
