#pragma once
// The last guard of a shared folder: no member id from the data may appear in it. Text is cut
// into tokens (letters, digits, '-' and '_'); a token that is a person id of the dataset is a
// member id. Ids that read as ordinary words or small numbers (letters only and shorter than 4,
// or digits only and shorter than 6) are not looked for: they cannot be told from text.
#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "valuepact/core/interner.h"

namespace valuepact {

class MemberIdGuard {
 public:
  explicit MemberIdGuard(const StringInterner& members) : members_(members) {}

  // Whether `id` is looked for at all (see above).
  static bool Distinctive(std::string_view id);
  // The first member id in `text`, or "" when there is none.
  std::string_view FindIn(std::string_view text) const;
  // Replaces every member id in `text` by kWithheld; returns how many were replaced.
  size_t Redact(std::string* text) const;
  // The same for every string value of a JSON document except those that read as numbers.
  size_t Redact(nlohmann::ordered_json* j) const;

  static constexpr std::string_view kWithheld = "[member]";

 private:
  bool IsMember(std::string_view token) const;
  const StringInterner& members_;
};

}  // namespace valuepact
