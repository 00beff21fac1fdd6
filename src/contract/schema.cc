// The contract's key schema (schema.h). Each entry: section, key, values, default, meaning,
// rule, and the reference table that lists it.
#include "valuepact/contract/schema.h"

#include <fmt/format.h>

namespace valuepact {
namespace {

constexpr ContractKey kKeys[] = {
    // ---- [contract] -------------------------------------------------------------------------
    {"contract", "id", "text", "required", "the contract's identifier; appears in every output", "",
     "contract"},
    {"contract", "title", "text", "none", "the contract's name, shown in the statement", "",
     "contract"},
    {"contract", "version", "text", "the first 12 hex digits of the file's SHA-256",
     "the version of the terms (e.g. `\"2018-amendment-1\"`); recorded with every run in the run "
     "store and shown by `runs`",
     "", "contract"},
    {"contract", "payer", "text", "none",
     "the paying party, shown in the statement (\"Example Health Plan pays Example ACO …\")", "",
     "contract"},
    {"contract", "provider", "text", "none", "the provider party, shown in the statement", "",
     "contract"},
    {"contract", "parties", "any", "none", "further names of the parties; recorded, not read", "",
     "contract"},
    {"contract", "description", "text", "none", "free text; ignored", "", "contract"},
    {"contract", "period", "`{ start = YYYY-MM-DD, end = YYYY-MM-DD }`", "required",
     "the performance period, inclusive", "", "contract"},
    {"contract", "payers", "list of text", "every payer",
     "the `eligibility.payer` values whose enrollment counts (compared case-insensitively)", "",
     "contract"},
    {"contract", "product_lines", "list of text", "every product line",
     "product lines the contract covers; recorded, not read", "", "contract"},
    {"contract", "services", "`[\"medical\"]`, `[\"pharmacy\"]` or both", "`[\"medical\"]`",
     "which claim tables count as spending", "", "contract"},
    {"contract", "basis", "`paid` or `allowed`", "`paid`",
     "which amount column counts; that column becomes required in the data", "", "contract"},
    {"contract", "member_months", "`any_day` or `full_month`", "`any_day`",
     "whether a month counts when the member is enrolled any day of it or the whole month", "",
     "contract"},
    {"contract", "claim_month", "`claim_start` or `claim_end`", "`claim_start`",
     "the date that puts a claim line in a month", "", "contract"},
    {"contract", "preset", "`mssp-basic-a` … `mssp-enhanced`, `mssp-track-1` …", "none",
     "MSSP methodology preset (section 3)", "params/mssp/track_terms.csv", "contract"},
    {"contract", "performance_year", "a year", "the period's start year",
     "the performance year whose preset terms apply", "", "contract"},
    {"contract", "track_year", "1, 2, 3 …", "unknown",
     "the ACO's year in its track (Track 2's loss limit)", "42 CFR 425.606(g)", "contract"},
    {"contract", "contract_year", "1, 2 …", "1", "which `[[year]]` table of the glide path applies",
     "", "contract"},
    {"contract", "agreement_start", "a date", "none",
     "the date the ACO's agreement period began; picks the program rules in force for it "
     "(benchmark weights, regional adjustment, risk-ratio cap; docs/parameters.md)",
     "params/mssp/", "contract"},
    {"contract", "agreement_period", "1, 2 …", "none",
     "which agreement period this is (1 = the first); picks the benchmark-year weights and the "
     "regional weights",
     "42 CFR 425.601(a)(7), (e), (f)", "contract"},

    // ---- methodology: [methodology], a shared-savings [[payment]] layer, [[year]], --set ------
    {"methodology", "sharing_rate", "0–1", "required (or from a preset)",
     "maximum sharing rate, applied to all savings once the MSR is met",
     "42 CFR 425.604(d), 425.605(d), 425.606(d), 425.610(d)", "methodology.sharing"},
    {"methodology", "quality_method", "`multiplier`, `standard`, `sliding_scale`", "`multiplier`",
     "`multiplier`: FSR = rate × quality score, 0 if the standard is failed; `standard`: met → "
     "full rate, failed → 0; `sliding_scale`: met → full rate, only the alternative standard "
     "met → rate × score, neither → 0",
     "425.502(d); 425.512(a)(3); 425.512(a)(4)–(5); mssp-parameters.md §5", "methodology.sharing"},
    {"methodology", "quality_score", "0–1", "1", "score used when the inputs give none", "425.502",
     "methodology.sharing"},
    {"methodology", "savings_cap", "0–1, share of benchmark", "no cap", "performance payment limit",
     "425.604(e), 425.606(e), 425.610(e), 425.605(d)", "methodology.sharing"},
    {"methodology", "sequestration", "0–1", "0",
     "reduction of payments to the provider (0.02 = 2%)", "mssp-parameters.md §6",
     "methodology.sharing"},
    {"methodology", "sequestration_order", "`before_cap` or `after_cap`", "`before_cap`",
     "whether sequestration applies before the payment limit (as the PUF reproduces) or after",
     "mssp-parameters.md §1, §8.3", "methodology.sharing"},
    {"methodology", "low_revenue_half_rate", "true or false", "false",
     "low-revenue ACOs with ≥ 5,000 beneficiaries and savings below the MSR share at half the "
     "rate",
     "425.605(h)(2)", "methodology.sharing"},
    {"methodology", "minimum_savings_rate", "0–1", "0",
     "fixed minimum savings rate (setting it makes `msr_method = \"fixed\"`)", "contract",
     "methodology.msr"},
    {"methodology", "minimum_loss_rate", "0–1", "0 (only with `loss_sharing_rate`)",
     "fixed minimum loss rate", "contract", "methodology.msr"},
    {"methodology", "msr_method", "`fixed`, `variable`, `elected`", "`fixed`",
     "`variable`: by assigned beneficiaries from the MSR bands, linear inside a band: MSR(n) = a "
     "− (a − b)(n − L)/(H − L); `elected`: the ACO's election",
     "425.604(b); mssp-parameters.md §2.1", "methodology.msr"},
    {"methodology", "elected_msr", "`0`, `0.005`, `0.01`, `0.015`, `0.02` or `\"variable\"`",
     "none", "the election (an input column can override it per row)",
     "425.606(b)(1)(ii), 425.610(b)(1), 425.605(b)(2)", "methodology.msr"},
    {"methodology", "symmetric_mlr", "true or false",
     "true (always so for elected and variable rates)", "the MLR equals the MSR",
     "425.606(b)(1)(ii), 425.610(b)(1), 425.605(b)(2)", "methodology.msr"},
    {"methodology", "small_population", "`bands`, `variable`, `no_sharing`", "`bands`",
     "below `small_population_threshold` beneficiaries: the size bands below 5,000, switch a "
     "fixed or elected rate to the variable one, or no sharing",
     "425.110(b); mssp-parameters.md §2.1", "methodology.msr"},
    {"methodology", "small_population_threshold", "a count", "5000",
     "the population size below which `small_population` applies", "425.110(b)", "methodology.msr"},
    {"methodology", "loss_sharing_rate", "0–1", "absent: one-sided",
     "flat shared loss rate; makes the layer two-sided", "425.605(d)(1)(iii)–(v) (30%)",
     "methodology.losses"},
    {"methodology", "two_sided", "true or false", "true when a loss rate is given",
     "`false` turns losses off (e.g. an upside-only year)", "contract", "methodology.losses"},
    {"methodology", "loss_rate_method",
     "`flat`, `one_minus_final_sharing_rate`, "
     "`one_minus_quality`",
     "`flat`", "the loss rate: flat, 1 − FSR, or 1 − `loss_quality_factor` × quality score",
     "425.606(f), 425.610(f)", "methodology.losses"},
    {"methodology", "loss_quality_factor", "0–1", "1", "k in 1 − k × quality (0.75 for ENHANCED)",
     "425.610(f)(2), (f)(4)", "methodology.losses"},
    {"methodology", "loss_rate_floor", "0–1", "none",
     "lower bound on the loss rate (Track 3/ENHANCED: 0.40)", "425.606(f), 425.610(f)",
     "methodology.losses"},
    {"methodology", "loss_rate_ceiling", "0–1", "none",
     "upper bound on the loss rate (Track 3/ENHANCED: 0.75; Track 2: 0.60)",
     "425.606(f), 425.610(f)", "methodology.losses"},
    {"methodology", "loss_rate_quality_failed", "0–1", "none",
     "the rate when no quality standard is met (ENHANCED 2021+: 0.75)", "425.610(f)(2), (f)(4)",
     "methodology.losses"},
    {"methodology", "loss_cap", "0–1, share of benchmark", "no cap",
     "loss limit as a share of the benchmark", "425.606(g), 425.610(g)", "methodology.losses"},
    {"methodology", "loss_cap_revenue", "0–1", "none",
     "loss limit as a share of ACO participants' revenue (input `participant_revenue_total`)",
     "425.605(d)(1)(iii)–(v)(D)", "methodology.losses"},
    {"methodology", "loss_limit", "`benchmark`, `revenue`, `lower`", "the one given",
     "which loss limit applies; `lower`: the revenue leg unless it exceeds the benchmark leg",
     "425.605(d)(1)(iii)–(v)(D)", "methodology.losses"},
    {"methodology", "extreme_uncontrollable", "true or false", "false",
     "losses are reduced by `loss_reduction_fraction` (or the input of that name) after the rate "
     "and the limit",
     "425.606(i), 425.610(i), 425.605(f)", "methodology.losses"},
    {"methodology", "loss_reduction_fraction", "0–1", "0",
     "the share of losses forgiven under extreme and uncontrollable circumstances",
     "425.606(i), 425.610(i), 425.605(f)", "methodology.losses"},
    {"methodology", "corridor", "list of `{ from, to, provider_share }` bands", "none",
     "risk corridor on savings: each band of the savings rate has its own provider share "
     "(section 4)",
     "contract", "methodology.losses"},
    {"methodology", "loss_corridor", "list of bands", "none", "risk corridor on losses", "contract",
     "methodology.losses"},
    {"methodology", "corridor_symmetric", "true or false", "false",
     "losses use the savings corridor's bands", "contract", "methodology.losses"},
    {"methodology", "member_truncation", "amount per member per period", "no truncation",
     "per-member spending is counted up to this amount", "contract", "methodology.expenditure"},
    {"methodology", "truncation_percentile", "(0, 1]", "none",
     "truncate at this percentile (nearest rank) of the population's member spending instead",
     "contract", "methodology.expenditure"},

    // ---- [benchmark] (method = "historical"; target_pmpm takes method and target_pmpm) ------
    {"benchmark", "method", "`target_pmpm` or `historical`", "required",
     "a fixed rate per member-month (section 1) or the historical benchmark", "", "benchmark"},
    {"benchmark", "target_pmpm", "amount", "required with `target_pmpm`",
     "the benchmark per member-month", "", "benchmark"},
    {"benchmark", "description", "text", "none", "free text; ignored", "", "benchmark"},
    {"benchmark", "performance_year", "a year", "the period's start year",
     "the year whose person-year shares blend the types and whose risk scores are the "
     "performance mean",
     "425.601(a)", "benchmark"},
    {"benchmark", "baseline", "one to three `[[benchmark.baseline]]` tables",
     "required (not with `valuepact benchmark`)",
     "the baseline years, increasing, each before the performance year",
     "425.601(a)(1) (three benchmark years)", "benchmark"},
    {"benchmark", "baseline.year", "a year", "required", "the calendar year", "", "benchmark"},
    {"benchmark", "baseline.expenditure_pmpm", "per-type amount", "computed",
     "expenditure PMPM of that year; a type left out is computed from the data's claims in that "
     "year",
     "425.601(a)(1)–(3)", "benchmark"},
    {"benchmark", "baseline.trend_factor", "per-type factor", "from `annual_trend`, else 1",
     "factor taking that year to the last baseline year", "425.601(a)(5)–(6)", "benchmark"},
    {"benchmark", "baseline.completion_factor", "1–2", "1",
     "with `cms_figures`: computed expenditure of that year × this factor (claims run-out)",
     "spec v11 §3.4 (completion factor)", "benchmark"},
    {"benchmark", "baseline.description", "text", "none", "free text; ignored", "", "benchmark"},
    {"benchmark", "cms_figures", "path relative to the contract", "none",
     "CMS's figures in the layout of `valuepact benchmark` (docs/benchmark.md): `settle` then "
     "computes the benchmark as CMS does — BY risk restatement, blended trend and update, "
     "regional adjustment and risk-ratio cap of the agreement period — taking per capita "
     "expenditure and risk scores the file does not give from the data",
     "42 CFR 425.601", "benchmark"},
    {"benchmark", "baseline_weights", "one weight per baseline year, oldest first, summing to 1",
     "with three baseline years (or `valuepact benchmark`) and `[contract] agreement_start`: "
     "CMS's weights for the agreement period (`params/mssp/baseline_year_weights.csv`: 10/30/60 "
     "in the first, equal in later ones); otherwise equal",
     "the weight of each baseline year", "425.601(a)(7), (e)(2)(i); 425.652(a)(7), (c)(2); 425.603",
     "benchmark"},
    {"benchmark", "annual_trend", "per-type rate", "none",
     "yearly trend, compounded: factor = (1 + trend)^(last year − year)", "425.601(a)(5)–(6)",
     "benchmark"},
    {"benchmark", "update_factor", "per-type factor", "1 (`valuepact benchmark`: blended)",
     "factor from the last baseline year to the performance year", "425.601(b)", "benchmark"},
    {"benchmark", "acpt_weight", "0–1",
     "with `cms_figures` or `valuepact benchmark`: `params/mssp/benchmark_update.csv` for "
     "`agreement_start` (1/3 from 2024, 0 before)",
     "weight of the Accountable Care Prospective Trend in the three-way blended update (the "
     "two-way national-regional blend has the rest); CMS may lower it for unforeseen "
     "circumstances",
     "425.652(b)(4); 425.660", "benchmark"},
    {"benchmark", "truncation", "`{ amount = … }` or `{ percentile = … }`", "none",
     "per-member annual truncation of computed baseline expenditure", "425.601(a)(4)", "benchmark"},
    {"benchmark", "truncation.amount", "amount", "none",
     "per-member annual spending above this amount is left out", "425.601(a)(4)", "benchmark"},
    {"benchmark", "truncation.percentile", "(0, 1]", "none",
     "truncate at this nearest-rank percentile of the year's member spending",
     "425.601(a)(4) (the 99th percentile of national FFS spending)", "benchmark"},
    {"benchmark", "truncation.description", "text", "none", "free text; ignored", "", "benchmark"},
    {"benchmark", "regional", "table", "none (`valuepact benchmark`: the agreement period's)",
     "the regional adjustment", "425.601(a)(8)", "benchmark"},
    {"benchmark", "regional.weight",
     "a number, or `{ lower_spending = 0.35, higher_spending = 0.15 }`",
     "CMS's schedule for `agreement_start` and `times_adjusted` "
     "(`params/mssp/regional_adjustment.csv`: 35/15, 50/25, 50/35, 50/50% the 1st … 4th+ time, "
     "agreement periods from 2019-07-01; from 2024 by 425.656(e)); without `agreement_start`, "
     "required",
     "share of the gap to the regional rate that the historical rate moves; a pair is chosen by "
     "the sign rule",
     "425.601(a)(8), (f)(1)–(5)", "benchmark"},
    {"benchmark", "regional.pmpm", "per-type amount",
     "required with `regional` in `settle` without `cms_figures`",
     "regional expenditure PMPM, risk-adjusted to the ACO's population", "425.601(a)(8)(i)",
     "benchmark"},
    {"benchmark", "regional.cap", "0–1", "0.05 from the same parameter row; else none",
     "each type's positive adjustment is at most cap × national per capita BY3 (`national_pmpm`); "
     "negative ones at least −`negative_cap` × the same",
     "425.601(a)(8)(ii)(C); 425.656(c)(3)", "benchmark"},
    {"benchmark", "regional.negative_cap", "0–1 (with `cap`)",
     "`cap` when the contract states it; else the parameter row's (0.05; 0.015 for agreement "
     "periods from 2024)",
     "bound of the negative adjustments, share of national per capita BY3",
     "425.601(a)(8)(ii)(C)(2); 425.656(c)(3)(ii)", "benchmark"},
    {"benchmark", "regional.national_pmpm", "per-type amount",
     "required with a cap in `settle` without `cms_figures`",
     "national per capita FFS spending PMPM of the last baseline year", "425.601(a)(8)(ii)(C)",
     "benchmark"},
    {"benchmark", "regional.times_adjusted", "1, 2 …", "`[contract] agreement_period`",
     "the n-th time the ACO's benchmark is regionally adjusted (picks the schedule's weights)",
     "425.601(f)", "benchmark"},
    {"benchmark", "regional.description", "text", "none", "free text; ignored", "", "benchmark"},
    {"benchmark", "risk_adjustment", "table", "none (`valuepact benchmark`: the period's cap)",
     "risk adjustment by the ratio of mean CMS-HCC scores", "425.601(a)(10)", "benchmark"},
    {"benchmark", "risk_adjustment.model", "`V24`, `V28`, `blend`",
     "required when a mean is computed",
     "CMS-HCC model for means computed from claims (`blend`: the payment year's CMS blend)",
     "425.601(a)(10) (prospective CMS-HCC scores)", "benchmark"},
    {"benchmark", "risk_adjustment.performance_mean_score", "per-type score", "computed",
     "supplied mean score of the performance year", "425.601(a)(10)", "benchmark"},
    {"benchmark", "risk_adjustment.baseline_mean_score", "per-type score", "computed",
     "supplied mean score of the last baseline year", "425.601(a)(10)", "benchmark"},
    {"benchmark", "risk_adjustment.cap", "0–1", "the parameter row's points (0.03)",
     "the cap's points: `upward_only` ratio ≤ 1 + cap; `symmetric` within [1 − cap, 1 + cap]; "
     "`demographic_plus_3` ≤ aggregate demographic growth + cap when the aggregate HCC growth "
     "exceeds it",
     "see `cap_rule`", "benchmark"},
    {"benchmark", "risk_adjustment.cap_rule",
     "`upward_only`, `symmetric`, `demographic_plus_3`, `none`",
     "the rule in force for `agreement_start` (`params/mssp/benchmark_risk_ratio_cap.csv`: "
     "`upward_only` 0.03 for agreement periods starting 2019-07-01 – 2023-12-31, "
     "`demographic_plus_3` 0.03 from 2024-01-01); without `agreement_start`, no cap (a `cap` "
     "without a rule is an error)",
     "how the risk ratio is capped (a rise only, both ways, at demographic growth + points, or "
     "not)",
     "425.605(a)(1), 425.610(a)(2), spec v11 §3.6.2; 425.605(a)(1)(ii), 425.610(a)(2)(ii)",
     "benchmark"},
    {"benchmark", "risk_adjustment.demographic_ratio", "per-type ratio",
     "computed (the same members scored without diagnoses)",
     "supplied demographic score growth, with `demographic_plus_3`",
     "425.605(a)(1)(ii), 425.610(a)(2)(ii)", "benchmark"},
    {"benchmark", "risk_adjustment.description", "text", "none", "free text; ignored", "",
     "benchmark"},

    // ---- [[target]] and [[trigger]] (docs/metrics.md) -----------------------------------------
    {"target", "id", "text", "`target-<n>`", "the target's name in monitoring.json", "", "target"},
    {"target", "label", "text", "the id", "shown in monitoring.md", "", "target"},
    {"target", "metric", "a catalogue id (`valuepact metrics --list`)", "required",
     "the metric the target is about", "", "target"},
    {"target", "direction", "`at_most` or `at_least`", "required",
     "whether the metric should stay at or below, or reach at least, the threshold", "", "target"},
    {"target", "threshold", "number", "required", "the agreed level, in the metric's unit", "",
     "target"},
    {"target", "at_risk_margin", "0–1", "0.10",
     "on the wrong side of the threshold by at most this share of it: at risk; beyond: off track",
     "", "target"},
    {"target", "period", "`month`, `quarter` or `period`", "`month`",
     "the granularity the target is judged at", "", "target"},
    {"target", "description", "text", "none", "free text; ignored", "", "target"},
    {"trigger", "id", "text", "`trigger-<n>`", "the trigger's name in monitoring.json", "",
     "trigger"},
    {"trigger", "label", "text", "the id", "shown in monitoring.md", "", "trigger"},
    {"trigger", "metric", "a catalogue id", "required", "the metric watched", "", "trigger"},
    {"trigger", "condition", "`above` or `below`", "required",
     "fires when the metric is above (below) the threshold", "", "trigger"},
    {"trigger", "threshold", "number, or `\"benchmark\"`", "required",
     "the level; `\"benchmark\"`: the contract's benchmark PMPM (`target_pmpm`) × `factor`", "",
     "trigger"},
    {"trigger", "factor", "0–100", "1", "with `threshold = \"benchmark\"` (1.05: 5% above)", "",
     "trigger"},
    {"trigger", "consecutive", "1–120", "1",
     "how many periods in a row the condition must hold for the trigger to fire", "", "trigger"},
    {"trigger", "period", "`month`, `quarter` or `period`", "`month`", "the granularity", "",
     "trigger"},
    {"trigger", "action", "text", "required",
     "what the partners agreed to do when it fires (joint review, reopen terms)", "", "trigger"},
    {"trigger", "description", "text", "none", "free text; ignored", "", "trigger"},
    {"comparison", "population", "an expression (docs/definitions.md)", "required",
     "who is in the comparison population, evaluated at the period start; members with a "
     "program month in the period are never in it",
     "", "comparison"},
    {"comparison", "risk_adjust", "true or false", "false",
     "also compare observed ÷ expected, expected from CMS-HCC risk scores", "", "comparison"},
    {"comparison", "model", "`V24`, `V28` or `blend`", "`V28` from payment year 2024, else `V24`",
     "the CMS-HCC model of the risk scores (with risk_adjust)", "", "comparison"},
    {"comparison", "payment_year", "2000–2100", "the period's first year",
     "the payment year of the scores: diagnoses of the year before (with risk_adjust)", "",
     "comparison"},
    {"comparison", "label", "text", "`Enrolled vs comparison`", "shown in monitoring.md", "",
     "comparison"},
    {"comparison", "description", "text", "none", "free text; ignored", "", "comparison"},

    // ---- [[episode]] ---------------------------------------------------------------------------
    {"episode", "id", "letters, digits, `-`, `_`", "required",
     "the episode's name: episode ids, trace nodes and a reconciliation layer's `episode` use it",
     "", "episode"},
    {"episode", "label", "text", "the id", "shown in episodes.md", "", "episode"},
    {"episode", "description", "text", "none", "free text; ignored", "", "episode"},
    {"episode", "trigger",
     "`{ drg = [...] }`, `{ hcpcs = [...] }`, `{ definition = \"…\" }` or `{ program = \"…\" }`",
     "required",
     "an acute inpatient stay (the metrics stay rule) with one of these MS-DRGs or procedure "
     "codes, or a line meeting the definition, on any of its lines anchors an episode",
     "", "episode"},
    {"episode", "trigger.definition", "a claim line condition (docs/definitions.md)", "none",
     "e.g. `\"primary_diagnosis in heart_failure\"` or a named line definition; a stay with "
     "such a line triggers",
     "", "episode"},
    {"episode", "trigger.drg", "list of MS-DRG codes", "none",
     "`\"291\"`; leading zeros are ignored", "", "episode"},
    {"episode", "trigger.hcpcs", "list of HCPCS/CPT codes", "none", "on any line of the stay", "",
     "episode"},
    {"episode", "trigger.program", "the program's name, e.g. `\"hospital_at_home\"`", "none",
     "a program admission: each program enrollment span (enrollments.csv) is an anchor, from its "
     "start to its end, with the member's lines that start within it; the name is the family and "
     "the span's care setting the setting",
     "", "episode"},
    {"episode", "trigger.claims",
     "`{ place_of_service = [...], revenue_code = [...], definition = \"…\", gap_days = N }`",
     "none",
     "with `program`: the program's admissions come from the claims instead of enrollments.csv: "
     "the member's lines meeting any of the rules, those no more than gap_days apart forming one "
     "admission",
     "", "episode"},
    {"episode", "trigger.claims.place_of_service", "list of place-of-service codes", "none",
     "`\"12\"` (home); leading zeros are ignored", "", "episode"},
    {"episode", "trigger.claims.revenue_code", "list of revenue codes (`016*` matches a prefix)",
     "none", "on institutional lines", "", "episode"},
    {"episode", "trigger.claims.definition", "a claim line condition (docs/definitions.md)", "none",
     "lines meeting it count", "", "episode"},
    {"episode", "trigger.claims.gap_days", "0–30", "1",
     "two matching lines belong to one admission when the later starts no more than this many "
     "days after the earlier ends",
     "", "episode"},
    {"episode", "window_days", "0–3650", "required",
     "post-discharge window: the day after discharge through discharge + window_days", "",
     "episode"},
    {"episode", "services", "`\"all\"` or a list of service categories", "`\"all\"`",
     "which in-scope lines dated in the window count as post-discharge cost "
     "(docs/service-categories.md)",
     "", "episode"},
    {"episode", "drg_families", "`{ name = [DRG, ...] }`", "one family named by the id",
     "groups of DRGs that share a target price and a comparison row", "", "episode"},
    {"episode", "overlap", "`fold` or `extend`", "`fold`",
     "a triggering stay admitted in an open window is post-discharge cost of that episode; "
     "`extend` also moves the window's end to that stay's discharge + window_days",
     "", "episode"},
    {"episode", "exclude_diagnoses", "list of ICD-10-CM codes (`N18*` matches a prefix)", "none",
     "an anchor with one of these diagnoses on any of its lines is excluded", "", "episode"},
    {"episode", "exclude_members", "list of person ids", "none",
     "these members' episodes are "
     "excluded",
     "", "episode"},
    {"episode", "exclude_death_in_anchor", "true or false", "true",
     "exclude an anchor discharged dead (disposition 20)", "", "episode"},
    {"episode", "exclude_transfers", "true or false", "true",
     "exclude an anchor transferred to another acute hospital (disposition 02)", "", "episode"},
    {"episode", "population_only", "true or false", "true",
     "only anchors admitted in one of the member's population months are episodes; the others "
     "are listed as excluded",
     "", "episode"},
    {"episode", "home", "`{ place_of_service = [...], revenue_code = [...] }`",
     "`{ place_of_service = [\"12\"] }`",
     "an anchor delivered at home (hospital at home): a line of the stay has one of these codes, "
     "or more than half of the member's professional lines within it that state a place of "
     "service do",
     "", "episode"},
    {"episode", "target", "`{ price = … }`, `{ by_family = { … } }` or `{ baseline = … }`", "none",
     "the target price of an episode (docs/episodes.md)", "", "episode"},
    {"episode", "target.price", "amount", "none", "one price for every episode", "", "episode"},
    {"episode", "target.by_family", "`{ family = amount }`", "none", "a price per DRG family", "",
     "episode"},
    {"episode", "target.baseline", "`{ start = date, end = date }`", "none",
     "build prices from this period's episodes: the mean total per DRG family, winsorized, "
     "trended and discounted",
     "", "episode"},
    {"episode", "target.winsorize_low", "0–0.5", "0",
     "baseline totals below this nearest-rank percentile are raised to it", "", "episode"},
    {"episode", "target.winsorize_high", "0.5–1", "1",
     "baseline totals above this nearest-rank percentile are lowered to it", "", "episode"},
    {"episode", "target.trend", "−0.5–1", "0",
     "annual trend, compounded over the years from the baseline's midpoint to the period's", "",
     "episode"},
    {"episode", "target.discount", "0–1", "0", "taken off the trended price", "", "episode"},
    {"episode", "target.risk_adjust", "`\"cms_hcc\"` or a list of `cms_hcc`, `age`, `dual`", "none",
     "each episode's target × its risk factor: CMS-HCC score ÷ the baseline episodes' mean score "
     "(a given price: ÷ 1.0); age band and dual status cell's baseline cost ratio (needs a "
     "baseline)",
     "", "episode"},
    {"episode", "target.min_cell", "1–100000", "11",
     "an age/dual cell with fewer baseline episodes has a ratio of 1.0", "", "episode"},
    {"episode", "reconciliation", "table", "none", "limits and quality on the reconciliation", "",
     "episode"},
    {"episode", "reconciliation.stop_gain", "0–1", "none",
     "the provider's aggregate gain is at most this share of the aggregate target", "", "episode"},
    {"episode", "reconciliation.stop_loss", "0–1", "none",
     "the provider's aggregate loss is at most this share of the aggregate target", "", "episode"},
    {"episode", "reconciliation.quality_adjustment", "0–1", "1",
     "multiplies a positive reconciliation amount (what the provider earns)", "", "episode"},

    // ---- [population] and [attribution] ------------------------------------------------------
    {"population", "eligible", "an expression (docs/definitions.md)", "everyone enrolled",
     "who the contract covers; windows count from the index date", "", "population"},
    {"population", "evaluate", "`period_start`, `monthly`, `sticky`", "`period_start`",
     "`period_start`: evaluated once, index date = period start, for every month; `monthly`: for "
     "each month with its first day as index date; `sticky`: as monthly, but a member stays in "
     "from the first month they qualify",
     "", "population"},
    {"population", "source", "`attribution_file`", "none",
     "older spelling of `[attribution] method = \"attribution_file\"`", "", "population"},
    {"population", "attribution_file", "path relative to the contract", "none",
     "older spelling of `[attribution] file`", "", "population"},
    {"population", "description", "text", "none", "free text; ignored", "", "population"},
    {"attribution", "method", "`enrolled`, `attribution_file`, `program_enrollment`, `plurality`",
     "`enrolled`",
     "how members are attributed (docs/attribution.md gives each rule and the "
     "tie-breaks)",
     "", "population"},
    {"attribution", "participants", "list of TINs/NPIs", "every attributed member",
     "a member attributed (by plurality, or by a list row naming a provider) to anyone else is "
     "not the contract's",
     "", "population"},
    {"attribution", "file", "path relative to the contract", "required with `attribution_file`",
     "the payer's list (`person_id[,provider],start[,end]`); read by the run and hashed into its "
     "run id",
     "", "population"},
    {"attribution", "providers", "path relative to the contract", "none",
     "the clinician directory (`npi,type`) for plurality's primary-care step", "", "population"},
    {"attribution", "provider", "text", "`[contract] provider`",
     "who enrolled or program members attribute to", "", "population"},
    {"attribution", "frequency", "`annual`, `quarterly`", "`annual`",
     "the attribution period: the year or its quarters", "", "population"},
    {"attribution", "level", "`tin`, `npi`", "`tin`",
     "plurality: the provider unit that receives members", "", "population"},
    {"attribution", "timing", "`prospective`, `retrospective`", "`prospective`",
     "plurality: the prior window or the performance window", "", "population"},
    {"attribution", "window_months", "12 or 24", "12", "plurality: the look-back window", "",
     "population"},
    {"attribution", "new_members", "`exclude`, `retrospective`", "`exclude`",
     "plurality: members without services in a prospective window are left out, or attributed "
     "on the performance period's services",
     "", "population"},
    {"attribution", "amount", "`allowed`, `paid`", "`allowed`",
     "plurality: the charges that rank providers", "", "population"},
    {"attribution", "services", "a value set name", "`primary_care_visits`",
     "plurality: the primary-care services that count", "", "population"},
    {"attribution", "description", "text", "none", "free text; ignored", "", "population"},
};

std::string Cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else {
      out += c;
    }
  }
  return out.empty() ? "" : out;
}

// "key" in the table: `id`; a sub-table key as `regional.weight`; attribution keys with their
// section, since the population table lists both sections.
std::string KeyCell(const ContractKey& k) {
  if (k.doc_table == "population") {
    return fmt::format("`[{}] {}`", k.section, k.key);
  }
  return fmt::format("`{}`", k.key);
}

}  // namespace

std::span<const ContractKey> ContractKeys() { return kKeys; }

std::vector<std::string> KeysOf(std::string_view section) {
  std::vector<std::string> out;
  const size_t dot = section.find('.');
  const std::string_view top = section.substr(0, dot);
  const std::string prefix =
      dot == std::string_view::npos ? "" : std::string(section.substr(dot + 1)) + ".";
  for (const auto& k : kKeys) {
    if (k.section != top) {
      continue;
    }
    if (prefix.empty()) {
      if (k.key.find('.') == std::string_view::npos) {
        out.emplace_back(k.key);
      }
    } else if (k.key.substr(0, prefix.size()) == prefix &&
               k.key.find('.', prefix.size()) == std::string_view::npos) {
      out.emplace_back(k.key.substr(prefix.size()));  // direct children only
    }
  }
  return out;
}

const ContractKey* FindContractKey(std::string_view section, std::string_view key) {
  for (const auto& k : kKeys) {
    if (k.section == section && k.key == key) {
      return &k;
    }
  }
  return nullptr;
}

std::string KeyTableMarkdown(std::string_view doc_table) {
  std::string out = "| key | values | default | meaning | rule |\n|---|---|---|---|---|\n";
  for (const auto& k : kKeys) {
    if (k.doc_table != doc_table) {
      continue;
    }
    out += fmt::format("| {} | {} | {} | {} | {} |\n", KeyCell(k), Cell(k.values),
                       Cell(k.default_value), Cell(k.meaning), Cell(k.rule));
  }
  return out;
}

Result<std::string> RegenerateKeyTables(std::string_view doc) {
  static constexpr std::string_view kOpen = "<!-- keys: ", kClose = "<!-- /keys -->";
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t open = doc.find(kOpen, pos);
    if (open == std::string_view::npos) {
      break;
    }
    const size_t name_end = doc.find(" -->", open);
    const size_t close = doc.find(kClose, open);
    if (name_end == std::string_view::npos || close == std::string_view::npos) {
      return InvalidInput(
          fmt::format("a '{}' block at byte {} is not closed by '{}'", kOpen, open, kClose));
    }
    const std::string_view name = doc.substr(open + kOpen.size(), name_end - open - kOpen.size());
    bool known = false;
    for (const auto& k : kKeys) {
      known |= k.doc_table == name;
    }
    if (!known) {
      return InvalidInput(fmt::format("no key table named '{}'", name));
    }
    out += doc.substr(pos, name_end + 4 - pos);
    out += "\n";
    out += KeyTableMarkdown(name);
    pos = close;
  }
  out += doc.substr(pos);
  return out;
}

}  // namespace valuepact
