// libFuzzer target for the lean read of a Tuva CSV folder (LoadOptions::tally_lines): the input,
// split on "\n\x01", is a folder's eligibility.csv, medical_claim.csv and pharmacy_claim.csv,
// read once whole and once lean. The two reads must agree: the same status, rejects and
// counters, the same kept columns, and the lean read's scorecard tally equal to the one taken
// on the whole read's lines. A disagreement stops the run (a crash libFuzzer reports).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "valuepact/core/files.h"
#include "valuepact/ingest/quality/line_tally.h"
#include "valuepact/ingest/tuva_reader.h"

namespace {

void Require(bool agreed) {
  if (!agreed) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace valuepact;
  fuzz::OneThread();
  const auto parts = fuzz::SplitParts(fuzz::Bytes(data, size), 3);
  MemoryFileSystem files;
  const char* names[] = {"d/eligibility.csv", "d/medical_claim.csv", "d/pharmacy_claim.csv"};
  for (size_t i = 0; i < parts.size(); ++i) files.Put(names[i], std::string(parts[i]));
  Dataset whole, lean;
  IngestReport whole_report, lean_report;
  const Status a = LoadTuvaDirectory("d", {}, &whole, &whole_report, files);
  LoadOptions o;
  o.line_details = o.diagnoses = false;
  quality::ClaimLineTally tally;
  o.tally_lines = &tally;
  const Status b = LoadTuvaDirectory("d", o, &lean, &lean_report, files);
  Require(a.ok() == b.ok() && a.message() == b.message());
  if (!a.ok()) return 0;
  Require(whole_report.RejectsCsv() == lean_report.RejectsCsv());
  Require(whole_report.counters == lean_report.counters);
  const MedicalClaimTable &m = whole.medical, &n = lean.medical;
  Require(m.member == n.member && n.claim.empty() && n.line_number.empty() && n.source.empty() &&
          n.claim_end.empty() && m.paid == n.paid && m.category == n.category);
  // One claim date a line (LoadOptions::claim_month, the start by default).
  Require(n.claim_start.size() == m.size());
  for (size_t i = 0; i < m.size(); ++i) {
    Require(n.claim_start[i] == MedicalLineDate(m, i, ClaimMonthRule::kClaimStart));
  }
  const PharmacyClaimTable &p = whole.pharmacy, &q = lean.pharmacy;
  Require(p.member == q.member && p.line_number == q.line_number && q.source.empty() &&
          p.dispensing_date == q.dispensing_date && p.paid == q.paid);
  Require(quality::EncodeTally(tally) == quality::EncodeTally(quality::TallyClaimLines(whole)));
  return 0;
}
