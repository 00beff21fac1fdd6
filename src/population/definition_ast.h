#pragma once
// Syntax tree of one definition, produced by the parser and consumed once by the compiler
// (definitions are never interpreted per member). docs/definitions.md has the grammar.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/population/definition.h"

namespace valuepact::population {

enum class NodeKind {
  kOr,
  kAnd,
  kNot,
  kCompare,
  kIn,
  kNumber,
  kString,
  kTrue,
  kFalse,
  kName,
  kWindowed
};
enum class CompareOp { kLt, kLe, kGt, kGe, kEq, kNe };
const char* CompareOpText(CompareOp op);

struct Node {
  NodeKind kind = NodeKind::kName;
  SourcePos pos;
  std::string text;  // name (kName), string value (kString), value set name (kIn with a set)
  double number = 0;
  CompareOp op = CompareOp::kEq;
  // kOr/kAnd: operands; kNot: [operand]; kCompare: [lhs, rhs]; kIn: [lhs];
  // kName: [filter] when written with parentheses; kWindowed: [operand].
  std::vector<std::unique_ptr<Node>> children;
  bool has_filter = false;  // kName written as name(...)
  // kIn: either a value set name (text, set_pos) or an inline list of strings.
  bool inline_list = false;
  std::vector<std::string> list;
  SourcePos set_pos;
  Window window;  // kName (optional) and kWindowed (always)
};

// Parses one definition's text. On error returns null and fills *error (position and message).
std::unique_ptr<Node> ParseDefinition(std::string_view text, DefinitionError* error);

}  // namespace valuepact::population
