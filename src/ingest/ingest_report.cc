#include "valuepact/ingest/ingest_report.h"

#include <algorithm>

#include <fmt/format.h>

#include "valuepact/core/csv.h"
#include "valuepact/core/text.h"

namespace valuepact {

void IngestReport::AddReject(std::string file, uint64_t line, std::string field,
                             std::string_view value, std::string reason) {
  // A whole-row rejection (no field) never copies the row: it may hold names, addresses and
  // phone numbers. A field's own offending value is kept, cut to 200 bytes.
  std::string v = field.empty() ? std::string() : std::string(value.substr(0, 200));
  if (rejects.empty()) rejects.reserve(16);  // files with rejects rarely have just one
  rejects.push_back(
      {std::move(file), line, std::move(field), std::move(v), std::move(reason), Money(), Money()});
}

void IngestReport::NotePharmacyNotRead(const std::string& file) {
  notes.push_back(
      fmt::format("{}: not read (the contract's services do not include pharmacy claims)", file));
}

void IngestReport::Merge(IngestReport&& other) {
  rejects.insert(rejects.end(), std::make_move_iterator(other.rejects.begin()),
                 std::make_move_iterator(other.rejects.end()));
  notes.insert(notes.end(), other.notes.begin(), other.notes.end());
  for (const auto& [k, v] : other.counters) counters[k] += v;
  rounded_amounts += other.rounded_amounts;
}

std::string DescribeRejectTotal(const RejectTotal& t) {
  return fmt::format("{}: {} {}, {} paid ({} allowed)", t.reason, GroupDigits(t.rows),
                     t.rows == 1 ? "row" : "rows", FormatDollars(t.paid), FormatDollars(t.allowed));
}

std::vector<RejectTotal> IngestReport::RejectTotals() const {
  std::vector<RejectTotal> out = {{kRejectDuplicateKey, 0, Money(), Money()},
                                  {kRejectImplausibleAmount, 0, Money(), Money()}};
  for (const auto& r : rejects) {
    for (auto& t : out) {
      if (r.reason != t.reason) continue;
      ++t.rows;
      t.paid += r.paid;
      t.allowed += r.allowed;
    }
  }
  return out;
}

std::string IngestReport::RejectsCsv() const {
  std::vector<const Reject*> sorted;
  sorted.reserve(rejects.size());
  for (const auto& r : rejects) sorted.push_back(&r);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Reject* a, const Reject* b) {
    return a->file != b->file ? a->file < b->file : a->line < b->line;
  });
  std::string out = "file,line,field,value,reason\n";
  for (const Reject* r : sorted) {
    AppendCsvField(&out, r->file);
    out += ',';
    out += std::to_string(r->line);
    out += ',';
    AppendCsvField(&out, r->field);
    out += ',';
    // Bytes that are not UTF-8 are shown as \xNN so the rejects file itself stays valid text.
    std::string shown;
    if (IsValidUtf8(r->value)) {
      shown = r->value;
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      for (unsigned char c : r->value) {
        if (c < 0x80) {
          shown.push_back(static_cast<char>(c));
        } else {
          shown += "\\x";
          shown.push_back(kHex[c >> 4]);
          shown.push_back(kHex[c & 15]);
        }
      }
    }
    AppendCsvField(&out, shown);
    out += ',';
    AppendCsvField(&out, r->reason);
    out += '\n';
  }
  return out;
}

void IngestReport::NoteUnterminatedLastLine(std::string_view bytes, const std::string& file) {
  if (bytes.empty() || bytes.back() == '\n') return;
  notes.push_back(fmt::format(
      "{}: the file does not end with a line end: its last row counts only if it is complete (a "
      "row cut short is rejected and listed in rejects.csv); check that the file was copied whole",
      file));
}

}  // namespace valuepact
