#pragma once
// Layer quantities counted from the run's Timeline and program data (`settle`). Each count is a
// trace node whose source names the file and the rule, with one evidence node per member listing
// the months, events or visits behind it, so `explain` reaches every row that was paid for. The
// rules are documented in docs/contract-reference.md ("Payment layers").
#include <map>
#include <string>

#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/measures.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/dataset/timeline.h"
#include "valuepact/layers/layer.h"

namespace valuepact {

class TimelineQuantities final : public LayerQuantities {
 public:
  // `members` and `member_months` are the population's counts, already in the trace as
  // population.members and population.member_months.
  TimelineQuantities(const Dataset& ds, const ProgramData& program, const Timeline& timeline,
                     const MeasureTable& measures, int64_t members, int64_t member_months)
      : ds_(ds),
        program_(program),
        tl_(timeline),
        measures_(measures),
        members_(members),
        member_months_(member_months) {}

  Result<LayerQuantity> Get(const std::string& name, const PaymentLayerTerms& layer,
                            Trace* trace) override;

  // Episode reconciliations the run computed (episode id -> amount and its trace node), for
  // episode_reconciliation layers; without them such a layer has no input.
  void SetEpisodeAmounts(const std::map<std::string, EpisodeAmount>* amounts) {
    episodes_ = amounts;
  }

 private:
  LayerQuantity ProgramMonths(const std::string& name, Trace* trace);
  LayerQuantity InitialAssessments(Trace* trace);
  LayerQuantity Acp(bool events, Trace* trace);
  LayerQuantity OutlierMonths(const PaymentLayerTerms& layer, Trace* trace);
  LayerQuantity Measure(const std::string& measure, Trace* trace);
  LayerQuantity Episode(const std::string& name) const;
  std::string Origin(const SourceRef& s) const;

  const Dataset& ds_;
  const ProgramData& program_;
  const Timeline& tl_;
  const MeasureTable& measures_;
  int64_t members_ = 0;
  int64_t member_months_ = 0;
  std::map<std::string, LayerQuantity> cache_;
  const std::map<std::string, EpisodeAmount>* episodes_ = nullptr;
};

}  // namespace valuepact
