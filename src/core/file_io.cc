#include "valuepact/core/file_io.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>
#include <new>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "valuepact/core/sha256.h"

namespace valuepact {
namespace {

// Closes a descriptor on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

FileStamp StampOf(const struct stat& st) {
  return {static_cast<uint64_t>(st.st_size),
          static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

bool SameStamp(const FileStamp& a, const FileStamp& b) {
  return a.size == b.size && a.modified_ns == b.modified_ns;
}

Status Changed(const std::string& path, const FileStamp& before, const FileStamp& after) {
  return IoError(fmt::format(
      "{}: file changed while reading (size {} -> {} bytes, modified {} -> {}); wait until the "
      "file is complete and run again",
      path, before.size, after.size, FormatModified(before.modified_ns),
      FormatModified(after.modified_ns)));
}

// Opens `path` for reading and checks it is a regular file; fills *st.
Result<int> OpenRegular(const std::string& path, struct stat* st) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int e = errno;
    if (e == ENOENT) return NotFound(fmt::format("{}: no such file", path));
    return IoError(fmt::format("{}: cannot open: {}", path, std::strerror(e)));
  }
  if (fstat(fd, st) != 0) {
    const int e = errno;
    ::close(fd);
    return IoError(fmt::format("{}: cannot stat: {}", path, std::strerror(e)));
  }
  if (S_ISDIR(st->st_mode)) {
    ::close(fd);
    return InvalidInput(fmt::format("{}: is a folder, not a file", path));
  }
  if (!S_ISREG(st->st_mode)) {
    ::close(fd);
    return InvalidInput(fmt::format("{}: not a regular file", path));
  }
  return fd;
}

// Reads up to `n` bytes at `offset`; fewer only at the end of the file.
Result<size_t> ReadFullAt(int fd, char* out, size_t n, uint64_t offset, const std::string& path) {
  size_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(fd, out + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      return IoError(fmt::format("{}: read failed: {}", path, std::strerror(errno)));
    }
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  return done;
}

// Reads up to `n` bytes from the start of the file. A large file is read in blocks on every
// thread: copying gigabytes from the page cache, and the fresh pages they land in, is otherwise
// one core's work while the others wait. The count is short when the file is.
Result<size_t> ReadFull(int fd, char* out, size_t n, const std::string& path) {
  constexpr size_t kBlock = size_t{16} << 20;
  if (n <= 2 * kBlock) return ReadFullAt(fd, out, n, 0, path);
  const size_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<size_t> got(blocks, 0);
  std::vector<Status> failed(blocks);
  tbb::parallel_for(size_t{0}, blocks, [&](size_t b) {
    const size_t offset = b * kBlock, len = std::min(kBlock, n - offset);
    auto r = ReadFullAt(fd, out + offset, len, offset, path);
    if (r.ok()) {
      got[b] = *r;
    } else {
      failed[b] = r.status();
    }
  });
  size_t total = 0;
  for (size_t b = 0; b < blocks; ++b) {
    if (!failed[b].ok()) return failed[b];
    total += got[b];
  }
  return total;
}

}  // namespace

std::string FormatModified(int64_t modified_ns) {
  if (modified_ns == 0) return "";
  const time_t secs = static_cast<time_t>(modified_ns / 1000000000);
  struct tm tm {};
  if (gmtime_r(&secs, &tm) == nullptr) return "";
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, modified_ns % 1000000000);
}

// ---- mapped files and SIGBUS ----------------------------------------------------------------
namespace {

// The mappings the SIGBUS handler knows: address range and file name, read without a lock (a
// slot is published by its `begin`, stored last).
struct MappedRegion {
  std::atomic<uintptr_t> begin{0};
  std::atomic<uintptr_t> end{0};
  char path[1024] = {};
  size_t path_len = 0;
};
constexpr size_t kRegions = 256;
MappedRegion g_regions[kRegions];
std::mutex g_regions_mutex;  // taken to claim or free a slot, never by the handler
std::atomic<bool> g_map_data_files{false};
struct sigaction g_previous_sigbus {};  // the handler before ours, for faults not in a data file

int RegisterMapping(const char* base, size_t len, const std::string& path) {
  const std::lock_guard<std::mutex> lock(g_regions_mutex);
  for (size_t i = 0; i < kRegions; ++i) {
    MappedRegion& r = g_regions[i];
    if (r.begin.load(std::memory_order_relaxed) != 0) continue;
    r.path_len = std::min(path.size(), sizeof r.path);
    std::memcpy(r.path, path.data(), r.path_len);
    r.end.store(reinterpret_cast<uintptr_t>(base) + len, std::memory_order_relaxed);
    r.begin.store(reinterpret_cast<uintptr_t>(base), std::memory_order_release);
    return static_cast<int>(i);
  }
  return -1;  // more files mapped at once than slots (the caller reads the file instead)
}

void UnregisterMapping(int slot) {
  if (slot < 0) return;
  const std::lock_guard<std::mutex> lock(g_regions_mutex);
  g_regions[static_cast<size_t>(slot)].begin.store(0, std::memory_order_release);
}

void WriteToStderr(const char* s, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(STDERR_FILENO, s, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    s += w;
    n -= static_cast<size_t>(w);
  }
}

// A fault in a mapped data file means another program cut the file short while this one read
// it: say which file, and stop with status 3 (only async-signal-safe calls here).
void OnSigbus(int sig, siginfo_t* info, void* /*context*/) {
  const auto at = reinterpret_cast<uintptr_t>(info->si_addr);
  for (const MappedRegion& r : g_regions) {
    const uintptr_t begin = r.begin.load(std::memory_order_acquire);
    if (begin == 0 || at < begin || at >= r.end.load(std::memory_order_relaxed)) continue;
    static constexpr char kLead[] = "valuepact: ";
    static constexpr char kWhy[] =
        ": file cut short while reading (another program changed it, or the disk or network "
        "file system failed); the run stopped and wrote no results: wait until the file is "
        "complete and readable and run again\n";
    WriteToStderr(kLead, sizeof kLead - 1);
    WriteToStderr(r.path, r.path_len);
    WriteToStderr(kWhy, sizeof kWhy - 1);
    _exit(3);  // as for any input file that changed while it was read (an I/O error)
  }
  // Not a data file's bytes: the handler before ours (or the default action), so the real
  // fault is not hidden.
  sigaction(sig, &g_previous_sigbus, nullptr);
  raise(sig);
}

}  // namespace

void SetMapDataFiles(bool on) {
  static std::once_flag installed;
  if (on) {
    std::call_once(installed, [] {
      struct sigaction sa {};
      sa.sa_sigaction = OnSigbus;
      sa.sa_flags = SA_SIGINFO;
      sigemptyset(&sa.sa_mask);
      sigaction(SIGBUS, &sa, &g_previous_sigbus);
    });
  }
  g_map_data_files.store(on);
}

bool MapDataFiles() { return g_map_data_files.load(); }

// What FileBuffer::CopyIn copied of a mapped file: the bytes [0, copied) in memory of the
// process's own, each 2 MiB unit of them the file's mapping again once Release has given back
// all of its bytes (released[u] counts them). A unit given back keeps its page, moved aside
// (mremap) into the process's pool (CopyInPages), for a later unit to be copied into: a page
// taken fresh is zeroed by the kernel first, which cost about as much as the copy.
namespace {
constexpr size_t kHugePage = size_t{2} << 20;
}  // namespace

struct FileBuffer::Copied {
  static constexpr size_t kUnit = kHugePage;
  CopyInPages pages;  // the pool kept while the file is copied in
  std::mutex mu;
  size_t copied = 0;
  bool stopped = false;  // a copy fell short: the rest stays mapped
  std::string broken;    // the mapping could not be put back: the run must not use the bytes
  std::vector<uint32_t> released;
  static constexpr uint32_t kMappedAgain = ~uint32_t{0};
};

FileBuffer::FileBuffer() = default;
FileBuffer::FileBuffer(std::unique_ptr<char[]> data, size_t size, FileStamp stamp)
    : data_(std::move(data)), size_(size), stamp_(stamp) {}
FileBuffer::FileBuffer(FileBuffer&& o) noexcept { *this = std::move(o); }

FileBuffer& FileBuffer::operator=(FileBuffer&& o) noexcept {
  if (this == &o) return *this;
  Unmap();
  data_ = std::move(o.data_);
  mapped_ = std::exchange(o.mapped_, nullptr);
  copied_ = std::move(o.copied_);
  fd_ = std::exchange(o.fd_, -1);
  region_ = std::exchange(o.region_, -1);
  path_ = std::move(o.path_);
  size_ = std::exchange(o.size_, 0);
  stamp_ = o.stamp_;
  return *this;
}

FileBuffer::~FileBuffer() { Unmap(); }

void FileBuffer::Unmap() {
  if (mapped_ != nullptr) {
    UnregisterMapping(region_);
    ::munmap(mapped_, size_);
    mapped_ = nullptr;
    region_ = -1;
  }
  copied_.reset();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status FileBuffer::CheckUnchanged() const {
  if (fd_ < 0) return Status::Ok();  // read into memory: checked then
  if (copied_ != nullptr && !copied_->broken.empty()) return IoError(copied_->broken);
  struct stat st {};
  if (fstat(fd_, &st) != 0) {
    return IoError(fmt::format("{}: cannot stat: {}", path_, std::strerror(errno)));
  }
  if (!SameStamp(stamp_, StampOf(st))) return Changed(path_, stamp_, StampOf(st));
  return Status::Ok();
}

namespace {

// `n` bytes rounded up to whole pages.
size_t WholePages(size_t n) {
  static const auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return (n + page - 1) / page * page;
}

// `size` bytes of address space, inaccessible, from a multiple of 2 MiB; nullptr when refused.
char* ReserveAligned(size_t size) {
  void* room = ::mmap(nullptr, size + kHugePage, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (room == MAP_FAILED) return nullptr;
  char* const from = static_cast<char*>(room);
  char* const room_end = from + size + kHugePage;
  char* const at = from + (kHugePage - reinterpret_cast<uintptr_t>(from) % kHugePage) % kHugePage;
  // The room before and after goes back.
  char* const end = at + WholePages(size);
  if (at > from) ::munmap(from, static_cast<size_t>(at - from));
  if (room_end > end) ::munmap(end, static_cast<size_t>(room_end - end));
  return at;
}

// The file of `size` bytes mapped read-only, from an address that is a multiple of 2 MiB when
// it is that large (so that FileBuffer::CopyIn can put whole huge pages in its place).
void* MapAligned(int fd, size_t size) {
  char* const at = size >= kHugePage ? ReserveAligned(size) : nullptr;
  if (at == nullptr) return ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  void* p = ::mmap(at, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
  if (p == MAP_FAILED) {
    ::munmap(at, WholePages(size));
    return ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  }
  return p;
}

bool CopyInWanted() {
  static const bool wanted = [] {
    const char* v = std::getenv("VALUEPACT_COPY_IN");
    return v == nullptr || std::string_view(v) != "0";
  }();
  return wanted;
}

}  // namespace

Result<FileBuffer> MapFileStable(const std::string& path) {
  struct stat st {};
  auto opened = OpenRegular(path, &st);
  if (!opened.ok()) return opened.status();
  FileBuffer b;
  b.fd_ = *opened;  // closed by b on every path out
  b.path_ = path;
  b.stamp_ = StampOf(st);
  if (b.stamp_.size == 0) return b;
  void* p = MapAligned(b.fd_, b.stamp_.size);
  if (p == MAP_FAILED) {
    // A file system that cannot map: read the file instead.
    b = FileBuffer();
    return ReadFileStable(path, kNoSizeCap);
  }
  b.region_ = RegisterMapping(static_cast<char*>(p), b.stamp_.size, path);
  if (b.region_ < 0) {
    // More files mapped at once than the SIGBUS handler can name: read this one.
    ::munmap(p, b.stamp_.size);
    b = FileBuffer();
    return ReadFileStable(path, kNoSizeCap);
  }
  b.mapped_ = static_cast<char*>(p);
  b.size_ = b.stamp_.size;
  // Copied in as it is read (CopyIn) when it is two huge pages or more, mapped from one.
  constexpr size_t kUnit = FileBuffer::Copied::kUnit;
  if (b.size_ >= 2 * kUnit && reinterpret_cast<uintptr_t>(p) % kUnit == 0 && CopyInWanted()) {
    b.copied_ = std::make_unique<FileBuffer::Copied>();
    b.copied_->released.assign((b.size_ + kUnit - 1) / kUnit, 0);
  }
  return b;
}

namespace {

// The 2 MiB page at `from` moved to `to` (mapped over). With MREMAP_DONTUNMAP the place it leaves
// stays mapped (empty), so that no other mapping of the process can land there before it is
// mapped over. False where the move fails or the system has no such move: the page stays.
bool MovePage(char* from, char* to) {
#if defined(MREMAP_DONTUNMAP)
  return ::mremap(from, kHugePage, kHugePage, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
                  to) != MAP_FAILED;
#else
  (void)from;
  (void)to;
  return false;
#endif
}

// The pages copied-in files gave back, moved aside into a reserved room of kUnits 2 MiB units
// (each unit holds a page or nothing), while a CopyInPages is alive. One for the process:
// CopyIn and Release take its lock inside a file's own.
class PagePool {
 public:
  static PagePool& Get() {
    static auto* const pool = new PagePool();  // never destroyed: used until the process ends
    return *pool;
  }
  void Open() {
    const std::lock_guard<std::mutex> lock(mu_);
    ++users_;
  }
  // The last user gone: the room and its pages go back.
  void Close() {
    const std::lock_guard<std::mutex> lock(mu_);
    if (--users_ > 0 || room_ == nullptr) return;
    ::munmap(room_, kUnits * kHugePage);
    room_ = nullptr;
    kept_.clear();
    empty_.clear();
  }
  // The page at `at` (a unit) moved into the pool; false when it is full or the move fails (the
  // page then stays where it is).
  bool Keep(char* at) {
    const std::lock_guard<std::mutex> lock(mu_);
    if (room_ == nullptr) {
      room_ = ReserveAligned(kUnits * kHugePage);
      if (room_ == nullptr) return false;
      for (size_t i = kUnits; i-- > 0;) empty_.push_back(i);
    }
    if (empty_.empty() || !MovePage(at, room_ + empty_.back() * kHugePage)) return false;
    kept_.push_back(empty_.back());
    empty_.pop_back();
    return true;
  }
  // A kept page moved to `at` (a unit, mapped over); false when none is kept.
  bool Take(char* at) {
    const std::lock_guard<std::mutex> lock(mu_);
    if (kept_.empty() || !MovePage(room_ + kept_.back() * kHugePage, at)) return false;
    empty_.push_back(kept_.back());
    kept_.pop_back();
    return true;
  }
  size_t Kept() {
    const std::lock_guard<std::mutex> lock(mu_);
    return kept_.size();
  }

 private:
  static constexpr size_t kUnits = 32;  // 64 MiB kept at most
  PagePool() = default;
  std::mutex mu_;
  int users_ = 0;
  char* room_ = nullptr;       // reserved when a page is first kept
  std::vector<size_t> kept_;   // the room's units that hold a page
  std::vector<size_t> empty_;  // and those that do not
};

}  // namespace

CopyInPages::CopyInPages() { PagePool::Get().Open(); }
CopyInPages::~CopyInPages() { PagePool::Get().Close(); }
size_t CopyInPages::Kept() { return PagePool::Get().Kept(); }

void FileBuffer::CopyIn(size_t end) {
  constexpr size_t kUnit = Copied::kUnit;
  if (copied_ == nullptr) return;
  Copied& c = *copied_;
  const std::lock_guard<std::mutex> lock(c.mu);
  const size_t to = std::min(size_, (end + kUnit - 1) / kUnit * kUnit);
  if (c.stopped || to <= c.copied) return;
  const size_t at = c.copied;
  const size_t span = WholePages(to - at);  // the last page's bytes past the file's end: 0
  char* const dest = mapped_ + at;
  // Whole units into pages kept aside, while there are some; the rest into fresh memory.
  size_t placed = 0;
  while (span - placed >= kUnit && PagePool::Get().Take(dest + placed)) placed += kUnit;
  if (placed < span) {
    char* const rest = dest + placed;
    if (::mmap(rest, span - placed, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
               -1, 0) == MAP_FAILED) {
      c.stopped = true;
      MapFileAgain(at, span);  // a failed fixed mapping may have removed what was there
      return;
    }
    madvise(rest, span - placed, MADV_HUGEPAGE);
  }
  if (placed > 0) mprotect(dest, placed, PROT_READ | PROT_WRITE);
  size_t got = 0;
  while (got < to - at) {
    const ssize_t n = ::pread(fd_, dest + got, to - at - got, static_cast<off_t>(at + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  if (got != to - at) {
    // Cut short (or unreadable) since it was mapped: the mapping again, whose reader then meets
    // the change as it would have (SIGBUS, or "changed while reading").
    c.stopped = true;
    MapFileAgain(at, span);
    return;
  }
  mprotect(dest, span, PROT_READ);
  c.copied = to;
}

void FileBuffer::MapFileAgain(size_t at, size_t len) {
  if (::mmap(mapped_ + at, len, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd_, static_cast<off_t>(at)) ==
      MAP_FAILED) {
    copied_->broken = fmt::format(
        "{}: could not map bytes {}-{} of the file again after copying them ({}); the run stopped",
        path_, at, at + len, std::strerror(errno));
  }
}

// The whole units of the copied bytes [begin, end) given back: the file's mapping again.
void FileBuffer::ReleaseCopied(size_t begin, size_t end) {
  constexpr size_t kUnit = Copied::kUnit;
  Copied& c = *copied_;
  size_t run_begin = 0, run_end = 0;  // units to map again, adjacent
  const auto flush = [&] {
    if (run_end > run_begin) {
      const size_t from = run_begin * kUnit;
      const size_t to = std::min(size_, run_end * kUnit);
      // Whole units' pages kept aside for the next copies; the file mapped over all of them.
      for (size_t u = run_begin; u < run_end && (u + 1) * kUnit <= size_; ++u) {
        if (!PagePool::Get().Keep(mapped_ + u * kUnit)) break;
      }
      MapFileAgain(from, WholePages(to - from));
    }
    run_begin = run_end = 0;
  };
  for (size_t u = begin / kUnit; u * kUnit < end; ++u) {
    const size_t unit_end = std::min(size_, (u + 1) * kUnit);
    const size_t overlap = std::min(end, unit_end) - std::max(begin, u * kUnit);
    if (c.released[u] == Copied::kMappedAgain) continue;
    c.released[u] =
        static_cast<uint32_t>(std::min<size_t>(unit_end - u * kUnit, c.released[u] + overlap));
    if (c.released[u] < unit_end - u * kUnit) continue;
    c.released[u] = Copied::kMappedAgain;
    if (u != run_end) flush();
    if (run_end == 0) run_begin = u;
    run_end = u + 1;
  }
  flush();
}

void FileBuffer::Release(size_t begin, size_t end) {
  static const auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  end = std::min(end, size_);
  if (begin >= end) return;
  if (copied_ != nullptr) {
    const std::lock_guard<std::mutex> lock(copied_->mu);
    const size_t copied = copied_->copied;
    if (begin < copied) ReleaseCopied(begin, std::min(end, copied));
    begin = std::max(begin, copied);
    if (begin >= end) return;
  }
  char* const base = mapped_ != nullptr ? mapped_ : data_.get();
  const auto past_page = [&](size_t off) { return reinterpret_cast<uintptr_t>(base + off) % page; };
  const size_t first = begin + (page - past_page(begin)) % page;  // whole pages only
  const size_t last = end - past_page(end);
  if (last > first) madvise(base + first, last - first, MADV_DONTNEED);
}

void MapInAhead(std::string_view bytes) {
#ifdef MADV_POPULATE_READ
  static const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  if (bytes.empty()) return;
  const auto from = reinterpret_cast<uintptr_t>(bytes.data()) & ~(page - 1);
  const uintptr_t to = reinterpret_cast<uintptr_t>(bytes.data()) + bytes.size();
  // NOLINTNEXTLINE(performance-no-int-to-ptr): the page the bytes start in
  madvise(reinterpret_cast<void*>(from), to - from, MADV_POPULATE_READ);
#else
  (void)bytes;
#endif
}

Result<FileBuffer> ReadFileStable(const std::string& path, uint64_t max_bytes,
                                  const std::function<void()>& after_read) {
  struct stat st {};
  auto opened = OpenRegular(path, &st);
  if (!opened.ok()) return opened.status();
  const Fd fd(*opened);
  const FileStamp before = StampOf(st);
  if (before.size > max_bytes) {
    return InvalidInput(fmt::format("{}: {} bytes is more than the {} bytes allowed for this file",
                                    path, before.size, max_bytes));
  }
  std::unique_ptr<char[]> buf;
  try {
    // One spare byte shows a file that grew after the size was taken.
    buf.reset(new char[before.size + 1]);
  } catch (const std::bad_alloc&) {
    return IoError(fmt::format("{}: not enough memory to read {} bytes", path, before.size));
  }
  auto got = ReadFull(fd.get(), buf.get(), before.size + 1, path);
  if (!got.ok()) return got.status();
  if (after_read) after_read();
  struct stat st_after {};
  if (fstat(fd.get(), &st_after) != 0) {
    return IoError(fmt::format("{}: cannot stat: {}", path, std::strerror(errno)));
  }
  const FileStamp after = StampOf(st_after);
  if (!SameStamp(before, after) || *got != before.size) {
    FileStamp seen = after;
    if (SameStamp(before, after)) seen.size = *got;  // grew or shrank within one timestamp tick
    return Changed(path, before, seen);
  }
  return FileBuffer(std::move(buf), before.size, before);
}

Result<std::string> ReadWholeFile(const std::string& path, uint64_t max_bytes) {
  auto b = ReadFileStable(path, max_bytes);
  if (!b.ok()) return b.status();
  return std::string(b->data());
}

Result<std::string> ReadFileHead(const std::string& path, size_t n) {
  struct stat st {};
  auto opened = OpenRegular(path, &st);
  if (!opened.ok()) return opened.status();
  const Fd fd(*opened);
  std::string out(n, '\0');
  auto got = ReadFull(fd.get(), out.data(), n, path);
  if (!got.ok()) return got.status();
  out.resize(*got);
  return out;
}

size_t FingerprintBlocks(size_t size) { return (size + kFingerprintBlock - 1) / kFingerprintBlock; }

std::string BlockDigests(std::string_view data, size_t first, size_t last) {
  constexpr size_t kDigest = 32;
  std::string out((last - first) * kDigest, '\0');
  // Consecutive blocks in groups of kSha256Lanes, hashed together; the groups in parallel.
  const size_t groups = (last - first + kSha256Lanes - 1) / kSha256Lanes;
  const auto digest_group = [&](size_t g) {
    const size_t a = first + g * kSha256Lanes, b = std::min(last, a + kSha256Lanes);
    std::array<std::string_view, kSha256Lanes> in;
    std::array<std::array<uint8_t, kDigest>, kSha256Lanes> digests{};
    for (size_t i = a; i < b; ++i) {
      in[i - a] = data.substr(i * kFingerprintBlock, kFingerprintBlock);
    }
    Sha256Lanes(in.data(), b - a, digests.data());
    for (size_t i = a; i < b; ++i) {
      std::memcpy(out.data() + (i - first) * kDigest, digests[i - a].data(), kDigest);
    }
  };
  if (groups == 1) {
    digest_group(0);  // no tasks to schedule
  } else if (groups > 1) {
    tbb::parallel_for(size_t{0}, groups, digest_group);
  }
  return out;
}

std::string FingerprintFromDigests(size_t size, std::string_view digests) {
  Sha256 top;
  top.Update(fmt::format("vp-blocks-v1:{}:", size));
  top.Update(digests);
  return top.FinishHex();
}

void Fingerprinter::HashTo(size_t end) {
  const size_t all = FingerprintBlocks(data_.size());
  size_t last = end >= data_.size() ? all : end / kFingerprintBlock;
  if (last <= hashed_) return;
  // Before the data's end, whole groups of blocks, which are hashed together (BlockDigests).
  if (last < all) last = hashed_ + (last - hashed_) / kSha256Lanes * kSha256Lanes;
  if (last == hashed_) return;
  digests_ += BlockDigests(data_, hashed_, last);
  hashed_ = last;
}

std::string Fingerprinter::Finish() {
  HashTo(data_.size());
  return FingerprintFromDigests(data_.size(), digests_);
}

std::string FingerprintBytes(std::string_view data) {
  return FingerprintFromDigests(data.size(), BlockDigests(data, 0, FingerprintBlocks(data.size())));
}

Status WriteWholeFile(const std::string& path, std::string_view data, unsigned mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
                        static_cast<mode_t>(mode));
  if (fd < 0) return IoError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) {
    const int e = errno;
    ::close(fd);
    return IoError(fmt::format("{}: cannot set permissions: {}", path, std::strerror(e)));
  }
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int e = errno;
      ::close(fd);
      return IoError(fmt::format("{}: write failed: {}", path, std::strerror(e)));
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    return IoError(fmt::format("{}: write failed on close: {}", path, std::strerror(errno)));
  }
  return Status::Ok();
}

}  // namespace valuepact
