#pragma once
// Plain values as bytes, for what the ranks of a distributed run send one another
// (core/distributed.h): little-endian integers, length-prefixed strings and arrays of trivially
// copyable values. A reader that runs out of bytes or meets a length that does not fit says so
// (ok() false) and yields zeros from then on, so a damaged message is an error, never a crash.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace valuepact {

class WireWriter {
 public:
  template <class T>
  void Put(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void PutString(std::string_view s) {
    Put<uint64_t>(s.size());
    out_.append(s);
  }
  template <class T>
  void PutArray(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    Put<uint64_t>(v.size());
    if (!v.empty()) out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class WireReader {
 public:
  explicit WireReader(std::string_view in) : in_(in) {}
  template <class T>
  T Get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T v{};
    if (!ok_ || in_.size() < sizeof v) {
      ok_ = false;
      return T{};
    }
    std::memcpy(&v, in_.data(), sizeof v);
    in_.remove_prefix(sizeof v);
    return v;
  }
  std::string GetString() {
    const auto n = Get<uint64_t>();
    if (!ok_ || n > in_.size()) {
      ok_ = false;
      return {};
    }
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  template <class T>
  std::vector<T> GetArray() {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto n = Get<uint64_t>();
    if (!ok_ || n > in_.size() / sizeof(T)) {
      ok_ = false;
      return {};
    }
    std::vector<T> v(n);
    if (n > 0) std::memcpy(v.data(), in_.data(), n * sizeof(T));
    in_.remove_prefix(n * sizeof(T));
    return v;
  }
  // Every byte read, none left over, nothing missing.
  bool done() const { return ok_ && in_.empty(); }
  bool ok() const { return ok_; }

 private:
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace valuepact
