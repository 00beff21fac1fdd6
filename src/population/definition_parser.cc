// Lexer and recursive-descent parser for the definition language (grammar in
// docs/definitions.md). Every error names the line and column of the token at fault.
#include <cctype>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "population/definition_ast.h"

namespace valuepact::population {
namespace {

enum class Tok { kIdent, kNumber, kString, kLParen, kRParen, kComma, kCompare, kEnd };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // identifier, string contents, number spelling, operator
  double number = 0;
  CompareOp op = CompareOp::kEq;
  SourcePos pos;
};

// Deep nesting is legal but pointless; the cap keeps hostile input from exhausting the stack.
constexpr int kMaxDepth = 200;

bool IsKeyword(std::string_view s) {
  return s == "and" || s == "or" || s == "not" || s == "in" || s == "within" || s == "during" ||
         s == "ever" || s == "true" || s == "false" || s == "before" || s == "after";
}

std::string Describe(const Token& t) {
  switch (t.kind) {
    case Tok::kEnd:
      return "the end of the definition";
    case Tok::kString:
      return fmt::format("the string \"{}\"", t.text);
    case Tok::kNumber:
      return fmt::format("the number {}", t.text);
    case Tok::kIdent:
      return fmt::format("'{}'", t.text);
    default:
      return fmt::format("'{}'", t.text);
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  bool Next(Token* out, DefinitionError* error) {
    SkipBlanks();
    *out = Token();
    out->pos = {line_, col_};
    if (i_ >= text_.size()) return true;
    const char c = text_[i_];
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      const size_t b = i_;
      while (i_ < text_.size() &&
             (std::isalnum(static_cast<unsigned char>(text_[i_])) || text_[i_] == '_')) {
        Advance();
      }
      out->kind = Tok::kIdent;
      out->text = std::string(text_.substr(b, i_ - b));
      return true;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        ((c == '-' || c == '.') && i_ + 1 < text_.size() &&
         std::isdigit(static_cast<unsigned char>(text_[i_ + 1])))) {
      const size_t b = i_;
      Advance();
      bool dot = c == '.';
      while (i_ < text_.size() &&
             (std::isdigit(static_cast<unsigned char>(text_[i_])) || (text_[i_] == '.' && !dot))) {
        if (text_[i_] == '.') dot = true;
        Advance();
      }
      if (i_ < text_.size() &&
          (std::isalpha(static_cast<unsigned char>(text_[i_])) || text_[i_] == '_')) {
        return Fail(error, out->pos,
                    fmt::format("malformed number '{}{}': put a space between a number and a "
                                "word",
                                text_.substr(b, i_ - b), text_[i_]));
      }
      out->kind = Tok::kNumber;
      out->text = std::string(text_.substr(b, i_ - b));
      out->number = std::strtod(out->text.c_str(), nullptr);
      return true;
    }
    if (c == '"') {
      Advance();
      std::string value;
      while (true) {
        if (i_ >= text_.size() || text_[i_] == '\n') {
          return Fail(error, out->pos,
                      "unterminated string: no closing '\"' before the end of the line");
        }
        char d = text_[i_];
        if (d == '"') {
          Advance();
          break;
        }
        if (d == '\\' && i_ + 1 < text_.size() && (text_[i_ + 1] == '"' || text_[i_ + 1] == '\\')) {
          Advance();
          d = text_[i_];
        }
        value.push_back(d);
        Advance();
      }
      out->kind = Tok::kString;
      out->text = std::move(value);
      return true;
    }
    auto two = [&](char second) { return i_ + 1 < text_.size() && text_[i_ + 1] == second; };
    switch (c) {
      case '(':
        out->kind = Tok::kLParen;
        out->text = "(";
        Advance();
        return true;
      case ')':
        out->kind = Tok::kRParen;
        out->text = ")";
        Advance();
        return true;
      case ',':
        out->kind = Tok::kComma;
        out->text = ",";
        Advance();
        return true;
      case '<':
      case '>': {
        const bool eq = two('=');
        out->kind = Tok::kCompare;
        out->op = c == '<' ? (eq ? CompareOp::kLe : CompareOp::kLt)
                           : (eq ? CompareOp::kGe : CompareOp::kGt);
        out->text = eq ? std::string{c, '='} : std::string{c};
        Advance();
        if (eq) Advance();
        return true;
      }
      case '=':
        out->kind = Tok::kCompare;
        out->op = CompareOp::kEq;
        out->text = two('=') ? "==" : "=";
        Advance();
        if (out->text.size() == 2) Advance();
        return true;
      case '!':
        if (two('=')) {
          out->kind = Tok::kCompare;
          out->op = CompareOp::kNe;
          out->text = "!=";
          Advance();
          Advance();
          return true;
        }
        return Fail(error, out->pos, "unexpected '!': write 'not' or '!='");
      default:
        break;
    }
    const unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) {
      return Fail(error, out->pos, fmt::format("unexpected character '{}'", c));
    }
    return Fail(error, out->pos, fmt::format("unexpected byte 0x{:02X}", u));
  }

 private:
  static bool Fail(DefinitionError* e, SourcePos pos, std::string message) {
    e->pos = pos;
    e->message = std::move(message);
    return false;
  }
  void Advance() {
    if (text_[i_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    ++i_;
  }
  void SkipBlanks() {
    while (i_ < text_.size()) {
      const char c = text_[i_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        Advance();
      } else if (c == '#') {  // comment to the end of the line
        while (i_ < text_.size() && text_[i_] != '\n') Advance();
      } else {
        break;
      }
    }
  }

  std::string_view text_;
  size_t i_ = 0;
  int line_ = 1;
  int col_ = 1;
};

class Parser {
 public:
  Parser(std::string_view text, DefinitionError* error) : lexer_(text), error_(error) {}

  std::unique_ptr<Node> Parse() {
    if (!Advance()) return nullptr;
    if (tok_.kind == Tok::kEnd) {
      Fail(tok_.pos, "empty definition: expected a condition such as 'age >= 65'");
      return nullptr;
    }
    auto n = ParseOr(0);
    if (!n) return nullptr;
    if (tok_.kind != Tok::kEnd) {
      if (tok_.kind == Tok::kRParen) {
        Fail(tok_.pos, "unbalanced ')': no matching '('");
      } else {
        Fail(tok_.pos, fmt::format("expected 'and', 'or' or the end of the definition, found {}",
                                   Describe(tok_)));
      }
      return nullptr;
    }
    return n;
  }

 private:
  bool Advance() { return lexer_.Next(&tok_, error_); }
  bool IsWord(std::string_view w) const { return tok_.kind == Tok::kIdent && tok_.text == w; }
  void Fail(SourcePos pos, std::string message) {
    error_->pos = pos;
    error_->message = std::move(message);
  }
  bool CheckDepth(int depth) {
    if (depth > kMaxDepth) {
      Fail(tok_.pos, fmt::format("expression nested more than {} levels deep", kMaxDepth));
      return false;
    }
    return true;
  }

  std::unique_ptr<Node> ParseOr(int depth) {
    if (!CheckDepth(depth)) return nullptr;
    auto first = ParseAnd(depth + 1);
    if (!first || !IsWord("or")) return first;
    auto n = std::make_unique<Node>();
    n->kind = NodeKind::kOr;
    n->pos = first->pos;
    n->children.push_back(std::move(first));
    while (IsWord("or")) {
      if (!Advance()) return nullptr;
      auto next = ParseAnd(depth + 1);
      if (!next) return nullptr;
      n->children.push_back(std::move(next));
    }
    return n;
  }

  std::unique_ptr<Node> ParseAnd(int depth) {
    if (!CheckDepth(depth)) return nullptr;
    auto first = ParseNot(depth + 1);
    if (!first || !IsWord("and")) return first;
    auto n = std::make_unique<Node>();
    n->kind = NodeKind::kAnd;
    n->pos = first->pos;
    n->children.push_back(std::move(first));
    while (IsWord("and")) {
      if (!Advance()) return nullptr;
      auto next = ParseNot(depth + 1);
      if (!next) return nullptr;
      n->children.push_back(std::move(next));
    }
    return n;
  }

  std::unique_ptr<Node> ParseNot(int depth) {
    if (!CheckDepth(depth)) return nullptr;
    if (IsWord("not")) {
      auto n = std::make_unique<Node>();
      n->kind = NodeKind::kNot;
      n->pos = tok_.pos;
      if (!Advance()) return nullptr;
      auto operand = ParseNot(depth + 1);
      if (!operand) return nullptr;
      n->children.push_back(std::move(operand));
      return n;
    }
    return ParseComparison(depth + 1);
  }

  std::unique_ptr<Node> ParseComparison(int depth) {
    auto lhs = ParseOperand(depth + 1);
    if (!lhs) return nullptr;
    std::unique_ptr<Node> n;
    if (tok_.kind == Tok::kCompare) {
      n = std::make_unique<Node>();
      n->kind = NodeKind::kCompare;
      n->op = tok_.op;
      n->pos = tok_.pos;
      if (!Advance()) return nullptr;
      auto rhs = ParseOperand(depth + 1);
      if (!rhs) return nullptr;
      n->children.push_back(std::move(lhs));
      n->children.push_back(std::move(rhs));
    } else if (IsWord("in")) {
      n = std::make_unique<Node>();
      n->kind = NodeKind::kIn;
      n->pos = tok_.pos;
      if (!Advance()) return nullptr;
      if (tok_.kind == Tok::kLParen) {
        n->inline_list = true;
        n->set_pos = tok_.pos;
        if (!Advance()) return nullptr;
        while (true) {
          if (tok_.kind != Tok::kString) {
            Fail(tok_.pos, fmt::format("expected a quoted code such as \"I50*\" in the list, "
                                       "found {}",
                                       Describe(tok_)));
            return nullptr;
          }
          n->list.push_back(tok_.text);
          if (!Advance()) return nullptr;
          if (tok_.kind == Tok::kComma) {
            if (!Advance()) return nullptr;
            continue;
          }
          if (tok_.kind == Tok::kRParen) {
            if (!Advance()) return nullptr;
            break;
          }
          Fail(tok_.pos, fmt::format("expected ',' or ')' in the list, found {}", Describe(tok_)));
          return nullptr;
        }
      } else if (tok_.kind == Tok::kIdent && !IsKeyword(tok_.text)) {
        n->text = tok_.text;
        n->set_pos = tok_.pos;
        if (!Advance()) return nullptr;
      } else {
        Fail(tok_.pos, fmt::format("expected a value set name or a list of quoted codes after "
                                   "'in', found {}",
                                   Describe(tok_)));
        return nullptr;
      }
      n->children.push_back(std::move(lhs));
    } else {
      n = std::move(lhs);
    }
    if (AtWindow()) {
      auto w = std::make_unique<Node>();
      w->kind = NodeKind::kWindowed;
      w->pos = tok_.pos;
      if (!ParseWindow(&w->window)) return nullptr;
      w->children.push_back(std::move(n));
      return w;
    }
    return n;
  }

  bool AtWindow() const { return IsWord("within") || IsWord("during") || IsWord("ever"); }

  // window := "within" INTEGER unit ("before" | "after") | "during" "period" | "ever"
  bool ParseWindow(Window* w) {
    w->pos = tok_.pos;
    if (IsWord("ever")) {
      w->kind = Window::Kind::kEver;
      return Advance();
    }
    if (IsWord("during")) {
      if (!Advance()) return false;
      if (!IsWord("period")) {
        Fail(tok_.pos,
             fmt::format("bad window: expected 'period' after 'during', found {}", Describe(tok_)));
        return false;
      }
      w->kind = Window::Kind::kDuringPeriod;
      return Advance();
    }
    if (!Advance()) return false;  // "within"
    if (tok_.kind != Tok::kNumber) {
      Fail(tok_.pos, fmt::format("bad window: expected a number after 'within' (as in 'within "
                                 "12 months before'), found {}",
                                 Describe(tok_)));
      return false;
    }
    const double amount = tok_.number;
    const SourcePos amount_pos = tok_.pos;
    if (amount != std::floor(amount) || amount < 1) {
      Fail(amount_pos, fmt::format("bad window: the length must be a whole number of at least "
                                   "1, found {}",
                                   tok_.text));
      return false;
    }
    if (!Advance()) return false;
    if (IsWord("day") || IsWord("days")) {
      w->unit = Window::Unit::kDays;
    } else if (IsWord("month") || IsWord("months")) {
      w->unit = Window::Unit::kMonths;
    } else if (IsWord("year") || IsWord("years")) {
      w->unit = Window::Unit::kYears;
    } else {
      Fail(tok_.pos, fmt::format("bad window: expected days, months or years after the number, "
                                 "found {}",
                                 Describe(tok_)));
      return false;
    }
    const double limit = w->unit == Window::Unit::kDays     ? 36600
                         : w->unit == Window::Unit::kMonths ? 1200
                                                            : 100;
    if (amount > limit) {
      Fail(amount_pos, fmt::format("bad window: {} is longer than 100 years", tok_.text));
      return false;
    }
    w->amount = static_cast<int>(amount);
    if (!Advance()) return false;
    if (IsWord("before")) {
      w->kind = Window::Kind::kBefore;
    } else if (IsWord("after")) {
      w->kind = Window::Kind::kAfter;
    } else {
      Fail(tok_.pos, fmt::format("bad window: expected 'before' or 'after' (the index date), "
                                 "found {}",
                                 Describe(tok_)));
      return false;
    }
    return Advance();
  }

  std::unique_ptr<Node> ParseOperand(int depth) {
    if (!CheckDepth(depth)) return nullptr;
    auto n = std::make_unique<Node>();
    n->pos = tok_.pos;
    switch (tok_.kind) {
      case Tok::kNumber:
        n->kind = NodeKind::kNumber;
        n->number = tok_.number;
        n->text = tok_.text;
        if (!Advance()) return nullptr;
        return n;
      case Tok::kString:
        n->kind = NodeKind::kString;
        n->text = tok_.text;
        if (!Advance()) return nullptr;
        return n;
      case Tok::kLParen: {
        if (!Advance()) return nullptr;
        auto inner = ParseOr(depth + 1);
        if (!inner) return nullptr;
        if (tok_.kind != Tok::kRParen) {
          Fail(tok_.pos, fmt::format("expected ')' to close the '(' at line {}, column {}, "
                                     "found {}",
                                     n->pos.line, n->pos.column, Describe(tok_)));
          return nullptr;
        }
        if (!Advance()) return nullptr;
        return inner;
      }
      case Tok::kIdent:
        if (tok_.text == "true" || tok_.text == "false") {
          n->kind = tok_.text == "true" ? NodeKind::kTrue : NodeKind::kFalse;
          if (!Advance()) return nullptr;
          return n;
        }
        if (IsKeyword(tok_.text)) break;
        n->kind = NodeKind::kName;
        n->text = tok_.text;
        if (!Advance()) return nullptr;
        if (tok_.kind == Tok::kLParen) {
          const SourcePos open = tok_.pos;
          n->has_filter = true;
          if (!Advance()) return nullptr;
          if (tok_.kind == Tok::kRParen) {
            Fail(tok_.pos, fmt::format("empty condition in '{}()': write '{}' alone, or a "
                                       "condition inside the parentheses",
                                       n->text, n->text));
            return nullptr;
          }
          auto filter = ParseOr(depth + 1);
          if (!filter) return nullptr;
          if (tok_.kind != Tok::kRParen) {
            Fail(tok_.pos, fmt::format("expected ')' to close the '(' at line {}, column {}, "
                                       "found {}",
                                       open.line, open.column, Describe(tok_)));
            return nullptr;
          }
          if (!Advance()) return nullptr;
          n->children.push_back(std::move(filter));
        }
        if (AtWindow()) {
          if (!ParseWindow(&n->window)) return nullptr;
        }
        return n;
      default:
        break;
    }
    Fail(tok_.pos, fmt::format("expected a name, a number, a quoted string or '(', found {}",
                               Describe(tok_)));
    return nullptr;
  }

  Lexer lexer_;
  DefinitionError* error_;
  Token tok_;
};

}  // namespace

const char* CompareOpText(CompareOp op) {
  switch (op) {
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLe:
      return "<=";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kGe:
      return ">=";
    case CompareOp::kEq:
      return "=";
    case CompareOp::kNe:
      return "!=";
  }
  return "=";
}

std::unique_ptr<Node> ParseDefinition(std::string_view text, DefinitionError* error) {
  Parser p(text, error);
  return p.Parse();
}

}  // namespace valuepact::population
