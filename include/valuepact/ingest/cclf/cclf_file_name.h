#pragma once
// CCLF file names (IP v38 §4): P.<prog><id>.ACO.ZC<t><kind><yy>.D<yymmdd>.T<hhmmsst>, where <t>
// is the file type, <kind> is Y (regular monthly delivery) or R (run-out for the prior
// performance year), optionally preceded by W (weekly delivery; seen in 2026 code, not in the
// IP). Names that only carry the ZC<t> token (e.g. public synthetic samples) are accepted with
// the rest unknown.
#include <optional>
#include <string>
#include <string_view>

#include "valuepact/core/date.h"

namespace valuepact::cclf {

struct CclfFileName {
  char file_type = 0;                         // '0'..'9', 'A', 'B'
  bool run_out = false;                       // kind R
  bool weekly = false;                        // W marker
  int performance_year = 0;                   // 2000 + yy, or 0 when the name does not say
  Date file_date = Date::FromDays(-1000000);  // D<yymmdd>; see has_file_date
  bool has_file_date = false;
  std::string program_id;  // "A1234" (program letter + entity id), or ""
  // The name with the file-type character removed: every file of one delivery shares it.
  std::string delivery_key;
};

// Parses the last path component of `path`. nullopt when it holds no ZC<t> token.
std::optional<CclfFileName> ParseCclfFileName(std::string_view path);

}  // namespace valuepact::cclf
