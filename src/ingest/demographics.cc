// Member attribute normalisation shared by the readers (ingest/demographics.h).
#include "valuepact/ingest/demographics.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace valuepact::ingest {
namespace {

struct State {
  std::string_view fips, usps, name;
};

// FIPS state codes and USPS abbreviations (the 50 states, DC, and the inhabited territories).
constexpr std::array<State, 56> kStates = {{
    {"01", "al", "alabama"},
    {"02", "ak", "alaska"},
    {"04", "az", "arizona"},
    {"05", "ar", "arkansas"},
    {"06", "ca", "california"},
    {"08", "co", "colorado"},
    {"09", "ct", "connecticut"},
    {"10", "de", "delaware"},
    {"11", "dc", "district of columbia"},
    {"12", "fl", "florida"},
    {"13", "ga", "georgia"},
    {"15", "hi", "hawaii"},
    {"16", "id", "idaho"},
    {"17", "il", "illinois"},
    {"18", "in", "indiana"},
    {"19", "ia", "iowa"},
    {"20", "ks", "kansas"},
    {"21", "ky", "kentucky"},
    {"22", "la", "louisiana"},
    {"23", "me", "maine"},
    {"24", "md", "maryland"},
    {"25", "ma", "massachusetts"},
    {"26", "mi", "michigan"},
    {"27", "mn", "minnesota"},
    {"28", "ms", "mississippi"},
    {"29", "mo", "missouri"},
    {"30", "mt", "montana"},
    {"31", "ne", "nebraska"},
    {"32", "nv", "nevada"},
    {"33", "nh", "new hampshire"},
    {"34", "nj", "new jersey"},
    {"35", "nm", "new mexico"},
    {"36", "ny", "new york"},
    {"37", "nc", "north carolina"},
    {"38", "nd", "north dakota"},
    {"39", "oh", "ohio"},
    {"40", "ok", "oklahoma"},
    {"41", "or", "oregon"},
    {"42", "pa", "pennsylvania"},
    {"44", "ri", "rhode island"},
    {"45", "sc", "south carolina"},
    {"46", "sd", "south dakota"},
    {"47", "tn", "tennessee"},
    {"48", "tx", "texas"},
    {"49", "ut", "utah"},
    {"50", "vt", "vermont"},
    {"51", "va", "virginia"},
    {"53", "wa", "washington"},
    {"54", "wv", "west virginia"},
    {"55", "wi", "wisconsin"},
    {"56", "wy", "wyoming"},
    {"60", "as", "american samoa"},
    {"66", "gu", "guam"},
    {"69", "mp", "northern mariana islands"},
    {"72", "pr", "puerto rico"},
    {"78", "vi", "virgin islands"},
}};

std::string Trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string_view StateFromFips(std::string_view fips) {
  const std::string f = Trimmed(fips);
  for (const State& s : kStates) {
    if (s.fips == f) {
      return s.name;
    }
  }
  return {};
}

std::string NormalizeState(std::string_view s) {
  std::string t = Trimmed(s);
  for (const State& st : kStates) {
    if (st.usps == t || st.fips == t) {
      return std::string(st.name);
    }
  }
  return t;
}

std::string_view Zip3(std::string_view zip) {
  const bool ok = zip.size() >= 3 && std::isdigit(static_cast<unsigned char>(zip[0])) &&
                  std::isdigit(static_cast<unsigned char>(zip[1])) &&
                  std::isdigit(static_cast<unsigned char>(zip[2]));
  return ok ? zip.substr(0, 3) : std::string_view();
}

std::string_view CmsRaceLabel(std::string_view code) {
  static constexpr std::array<std::string_view, 7> kLabels = {
      "unknown", "white", "black", "other", "asian", "hispanic", "north american native"};
  if (code.size() != 1 || code[0] < '0' || code[0] > '6') {
    return {};
  }
  return kLabels[static_cast<size_t>(code[0] - '0')];
}

}  // namespace valuepact::ingest
