#pragma once
// The [attribution] section of a contract as typed terms (docs/attribution.md lists every key).
// Parsed and validated with the rest of the contract; the files it names (a payer's attribution
// list, a provider directory) are read by the run loader, never by the contract parser.
#include <string>
#include <vector>

namespace valuepact {

enum class AttributionMethod { kEnrolled, kAttributionFile, kProgramEnrollment, kPlurality };
enum class AttributionTiming { kProspective, kRetrospective };
enum class AttributionLevel { kTin, kNpi };
enum class AttributionFrequency { kAnnual, kQuarterly };
enum class NewMemberRule { kExclude, kRetrospective };

struct AttributionTerms {
  bool declared = false;  // the contract has an [attribution] section (or [population] source)
  AttributionMethod method = AttributionMethod::kEnrolled;
  AttributionLevel level = AttributionLevel::kTin;
  AttributionTiming timing = AttributionTiming::kProspective;
  AttributionFrequency frequency = AttributionFrequency::kAnnual;
  NewMemberRule new_members = NewMemberRule::kExclude;
  int window_months = 12;                        // 12 or 24
  bool use_allowed = true;                       // rank by allowed charges (false: paid)
  std::string services = "primary_care_visits";  // value set of primary-care services
  std::string provider;  // who the contract's members attribute to ("" = [contract])
  // The provider ids (TINs or NPIs, as `level` says) that make up the contract's provider: a
  // member whose plurality winner (or attribution-list provider) is not one of them is not the
  // contract's. Empty: every attributed member is the contract's.
  std::vector<std::string> participants;
  std::string file;            // payer attribution list, relative to the contract's folder
  std::string providers_file;  // npi,type directory, relative to the contract's folder
  int line = 0;                // of the section, for messages
};

const char* AttributionMethodName(AttributionMethod m);  // "enrolled", "plurality", ...

}  // namespace valuepact
