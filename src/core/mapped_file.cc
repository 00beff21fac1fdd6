#include "valuepact/core/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "valuepact/core/sha256.h"

namespace valuepact {

MappedFile::MappedFile(MappedFile&& o) noexcept
    : addr_(o.addr_), size_(o.size_), path_(std::move(o.path_)) {
  o.addr_ = nullptr;
  o.size_ = 0;
}

MappedFile& MappedFile::operator=(MappedFile&& o) noexcept {
  if (this != &o) {
    if (addr_ != nullptr) munmap(addr_, size_);
    addr_ = o.addr_;
    size_ = o.size_;
    path_ = std::move(o.path_);
    o.addr_ = nullptr;
    o.size_ = 0;
  }
  return *this;
}

MappedFile::~MappedFile() {
  if (addr_ != nullptr) munmap(addr_, size_);
}

Result<MappedFile> MappedFile::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    return IoError(fmt::format("{}: cannot stat: {}", path, std::strerror(e)));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return IoError(fmt::format("{}: not a regular file", path));
  }
  MappedFile f;
  f.path_ = path;
  f.size_ = static_cast<size_t>(st.st_size);
  if (f.size_ > 0) {
    void* p = mmap(nullptr, f.size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      const int e = errno;
      ::close(fd);
      return IoError(fmt::format("{}: cannot map: {}", path, std::strerror(e)));
    }
    madvise(p, f.size_, MADV_SEQUENTIAL);
    f.addr_ = p;
  }
  ::close(fd);
  return f;
}

std::string FingerprintBytes(std::string_view data) {
  constexpr size_t kBlock = size_t{4} << 20;
  const size_t n = (data.size() + kBlock - 1) / kBlock;
  std::vector<std::array<uint8_t, 32>> digests(n);
  tbb::parallel_for(size_t{0}, n, [&](size_t i) {
    Sha256 h;
    h.Update(data.substr(i * kBlock, kBlock));
    digests[i] = h.Finish();
  });
  Sha256 top;
  top.Update(fmt::format("vp-blocks-v1:{}:", data.size()));
  for (const auto& d : digests) {
    top.Update(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
  }
  return top.FinishHex();
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return s;
}

Status WriteWholeFile(const std::string& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return IoError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out) return IoError(fmt::format("{}: write failed", path));
  return Status::Ok();
}

}  // namespace valuepact
