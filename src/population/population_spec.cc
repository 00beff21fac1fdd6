#include "valuepact/population/population_spec.h"

#include <toml++/toml.h>

#include "valuepact/contract/toml_checker.h"

namespace valuepact::population {

Result<PopulationSpec> ParsePopulationSpec(const toml::table& doc, const std::string& path) {
  PopulationSpec spec;
  TomlChecker c(path);
  if (const toml::node* d = doc.get("definitions")) {
    if (const toml::table* t = d->as_table()) {
      for (const auto& [name, v] : *t) {
        if (!v.is_string()) {
          c.Error(&v, "definitions", name.str(), "a definition is a string expression");
          continue;
        }
        spec.definitions[std::string(name.str())] = *v.value<std::string>();
      }
    } else {
      c.Error(d, "", "definitions", "expected a table of name = \"expression\"");
    }
  }
  if (const toml::node* p = doc.get("population")) {
    if (const toml::table* t = p->as_table()) {
      if (auto v = c.Choice(*t, "population", "source", {"enrolled", "attribution_file"}, false)) {
        spec.source = *v;
      }
      spec.eligible = c.String(*t, "population", "eligible", false).value_or("");
    } else {
      c.Error(p, "", "population", "expected a table");
    }
  }
  if (!c.ok()) return c.ToStatus();
  return spec;
}

}  // namespace valuepact::population
