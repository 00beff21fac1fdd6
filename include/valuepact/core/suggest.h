#pragma once
// "Did you mean …?" for misspelt names in contracts, definitions and command lines.
#include <string>
#include <string_view>
#include <vector>

namespace valuepact {

size_t EditDistance(std::string_view a, std::string_view b);
// The closest candidate within a distance of max(2, size/3), or "" when none is close.
std::string NearestName(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace valuepact
