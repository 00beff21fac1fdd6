// valuepact keys [SECTION] [--markdown] [--update-doc FILE | --check-doc FILE]: the contract's
// key schema (valuepact/contract/schema.h).
#include <cstdio>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "valuepact/contract/schema.h"
#include "valuepact/core/file_io.h"

namespace valuepact::cli {
namespace {

struct KeysArgs {
  std::string section, update_doc, check_doc;
  bool markdown = false;
};

int RunKeys(const KeysArgs& a) {
  if (!a.update_doc.empty() || !a.check_doc.empty()) {
    return UpdateGeneratedDoc(a.update_doc.empty() ? a.check_doc : a.update_doc,
                              !a.check_doc.empty(), "key tables", "valuepact keys --update-doc",
                              RegenerateKeyTables);
  }
  std::set<std::string> sections;
  for (const auto& k : ContractKeys()) {
    sections.emplace(k.section);
  }
  if (!a.section.empty() && !sections.count(a.section)) {
    std::string all;
    for (const auto& s : sections) {
      all += (all.empty() ? "" : ", ") + s;
    }
    return Fail(InvalidInput(fmt::format("no section '{}'; the sections are {}", a.section, all)));
  }
  if (a.markdown) {
    std::set<std::string> tables;
    for (const auto& k : ContractKeys()) {
      if (a.section.empty() || k.section == a.section) {
        tables.emplace(k.doc_table);
      }
    }
    for (const auto& t : tables) {
      std::printf("%s\n%s\n", t.c_str(), KeyTableMarkdown(t).c_str());
    }
    return 0;
  }
  for (const auto& k : ContractKeys()) {
    if (!a.section.empty() && k.section != a.section) {
      continue;
    }
    std::printf("[%.*s] %.*s = %.*s (default: %.*s)\n    %.*s\n",
                static_cast<int>(k.section.size()), k.section.data(),
                static_cast<int>(k.key.size()), k.key.data(), static_cast<int>(k.values.size()),
                k.values.data(), static_cast<int>(k.default_value.size()), k.default_value.data(),
                static_cast<int>(k.meaning.size()), k.meaning.data());
  }
  return 0;
}

const RegisterCommand kKeys(
    {"keys", 15, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "keys",
           "List the contract keys a section accepts, with values, defaults and meaning (the "
           "schema the parser, --set and the reference tables come from)");
       cmd->footer(
           "Sections: contract, methodology, benchmark, population, attribution.\n"
           "--check-doc exits 1 when a document's key tables differ from the schema.");
       auto a = std::make_shared<KeysArgs>();
       cmd->add_option("SECTION", a->section, "only this section");
       cmd->add_flag("--markdown", a->markdown, "print the reference tables in Markdown");
       cmd->add_option("--update-doc", a->update_doc,
                       "regenerate the key tables between <!-- keys: … --> markers of a file");
       cmd->add_option("--check-doc", a->check_doc,
                       "check that a file's key tables match the schema")
           ->excludes("--update-doc");
       cmd->callback([a] { SetExitCode(RunKeys(*a)); });
     }});

}  // namespace
}  // namespace valuepact::cli
