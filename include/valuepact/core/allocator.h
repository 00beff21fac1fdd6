#pragma once

// How the C library's allocator treats memory a run frees.
//
// A run builds columns of tens of megabytes, frees them and builds others of much the same
// sizes. By default glibc gives each block above a sliding threshold (128 KiB at start) its own
// mapping and returns it to the kernel when freed, and trims the top of its heap after 128 KiB
// is free there; the next column then takes fresh pages, which the kernel faults in and zeroes
// one by one. On the virtual machines partners run on that was about a tenth of a settlement's
// wall time on a million members (bench/results.md). A one-run process keeps what it frees for
// what it allocates next instead.

#include <cstddef>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

namespace valuepact {

// On: blocks under 32 MiB come from the heap (a fixed threshold), the heap is not trimmed, and
// it grows 64 MiB at a time. Off: glibc's starting values, held fixed (what a long-lived server
// such as `serve` wants, so that a large request's memory goes back). Neither changes a figure.
// Does nothing where the C library is not glibc.
void KeepFreedMemory(bool on);

// Faults in the pages of [p, p + bytes), 2 MiB at a time on as many of the run's threads as are
// free, where they are fresh memory that their first use would fault in one by one: the kernel
// zeroes a page when it is first touched, and on a virtual machine that costs more than most of
// what is then written there, so a table one thread is about to fill (a hash table's slots,
// placed by one merge task) is zeroed by every thread instead. The bytes read as they did.
// Nothing happens below 8 MiB, or where the kernel cannot (before Linux 5.14).
void FaultInParallel(void* p, size_t bytes);

// A fixed number of values of a plain type T, all zero at the start, from calloc: a large array
// comes as fresh pages the kernel has already zeroed, which are not written a second time, and
// are faulted in on the threads that are free (FaultInParallel). A table of tens of megabytes
// made this way (a hash table, a counting sort's counts) takes no serial pass to clear before
// the threads that fill it run; a std::vector of the same size is written through once on one
// thread first. T must be an implicit-lifetime type whose zero bytes are its zero value
// (integers, or aggregates of them).
template <class T>
class ZeroedArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  ZeroedArray() = default;
  explicit ZeroedArray(size_t n) : size_(n) {
    if (n == 0) return;
    data_ = static_cast<T*>(std::calloc(n, sizeof(T)));
    if (data_ == nullptr) throw std::bad_alloc();
    FaultInParallel(data_, n * sizeof(T));
  }
  ZeroedArray(ZeroedArray&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  ZeroedArray& operator=(ZeroedArray&& o) noexcept {
    ZeroedArray(std::move(o)).swap(*this);
    return *this;
  }
  ZeroedArray(const ZeroedArray&) = delete;
  ZeroedArray& operator=(const ZeroedArray&) = delete;
  ~ZeroedArray() { std::free(data_); }

  void swap(ZeroedArray& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
  }
  // No values, and the memory back to the allocator.
  void clear() { ZeroedArray().swap(*this); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

 private:
  T* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace valuepact
