#pragma once
// Fixed-width record layouts of the CMS Claim and Claim Line Feed (CCLF) files, CCLF Information
// Packet v38.0 (positions 1-based, inclusive). Older deliveries use shorter records that are
// prefixes of these layouts (fields added since 2018 were appended at the end of each record),
// so one layout per file type serves every length CCLF0 can announce.
#include <cstdint>
#include <span>
#include <string_view>

namespace valuepact::cclf {

enum class CclfFieldType : uint8_t { kText, kNumber, kDate, kAmount };

struct CclfField {
  const char* name;
  uint16_t start;  // 1-based
  uint16_t length;
  CclfFieldType type;
};

struct CclfLayout {
  char file_type;                // '1'..'9', 'A', 'B'
  std::string_view label;        // "CCLF1"
  std::string_view description;  // the CCLF0 description, e.g. "Part A Claims Header File"
  uint16_t record_length;        // IP v38 length
  uint16_t legacy_length;        // 2018-era length (before the v22..v36 additions)
  std::span<const CclfField> fields;

  // The field named `name`, or nullptr.
  const CclfField* Find(std::string_view name) const;
};

// The layout for file type '1'..'9', 'A', 'B' (upper or lower case), or nullptr.
const CclfLayout* CclfLayoutFor(char file_type);
// Every layout in file order CCLF1..CCLF9, CCLFA, CCLFB.
std::span<const CclfLayout> AllCclfLayouts();

// IP v38 §2 caveat: a later CCLF7 is 230 bytes, with the prescriber id moved to 196-230 (35
// bytes) and the old 118-137 slot left blank. Applied only when CCLF0 announces 230.
inline constexpr uint16_t kCclf7ExtendedLength = 230;

}  // namespace valuepact::cclf
