#include "valuepact/distributed/mpi.h"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <thread>

#include <fmt/format.h>

namespace valuepact::distributed {
namespace {

// Messages are sent in pieces of at most 1 GiB (MPI counts are int).
constexpr uint64_t kPiece = uint64_t{1} << 30;
constexpr int kSizeTag = 1, kBytesTag = 2, kDoneTag = 3;

Status Check(int rc, const char* what) {
  if (rc == MPI_SUCCESS) return Status::Ok();
  char text[MPI_MAX_ERROR_STRING];
  int n = 0;
  MPI_Error_string(rc, text, &n);
  return IoError(fmt::format("distributed run: {}: {}", what, std::string(text, n)));
}

class MpiDistribution final : public Distribution {
 public:
  MpiDistribution() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    done_.assign(static_cast<size_t>(size_), false);
    codes_.assign(static_cast<size_t>(size_), 0);
  }
  ~MpiDistribution() override { MPI_Finalize(); }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  Result<std::vector<std::string>> GatherToRoot(std::string_view mine) override {
    if (rank_ != 0) {
      if (Status s = Send(0, mine); !s.ok()) return s;
      return std::vector<std::string>{};
    }
    std::vector<std::string> all(static_cast<size_t>(size_));
    all[0] = std::string(mine);
    for (int r = 1; r < size_; ++r) {
      auto got = Receive(r);
      if (!got.ok()) return got.status();
      all[static_cast<size_t>(r)] = std::move(*got);
    }
    return all;
  }

  Result<std::string> BroadcastFromRoot(std::string_view mine) override {
    if (rank_ != 0) return Receive(0);
    for (int r = 1; r < size_; ++r) {
      if (Status s = Send(r, mine); !s.ok()) return s;
    }
    return std::string(mine);
  }

  void Done(int exit_code) override {
    in_done_ = true;
    if (rank_ != 0) {
      MPI_Send(&exit_code, 1, MPI_INT, 0, kDoneTag, MPI_COMM_WORLD);
      while (!done_[0]) (void)Receive(0);  // drop what rank 0 still sends
      return;
    }
    for (int r = 1; r < size_; ++r) MPI_Send(&exit_code, 1, MPI_INT, r, kDoneTag, MPI_COMM_WORLD);
    for (int r = 1; r < size_; ++r) {
      while (!done_[static_cast<size_t>(r)]) (void)Receive(r);  // drop what rank 0 no longer needs
    }
  }

  int StoppedByOtherWithCode() const override {
    return stopped_by_ >= 0 ? codes_[static_cast<size_t>(stopped_by_)] : -1;
  }

 private:
  // A message to rank `to`: its length, then its bytes in pieces.
  Status Send(int to, std::string_view bytes) {
    const uint64_t n = bytes.size();
    if (Status s = Check(MPI_Send(&n, 1, MPI_UINT64_T, to, kSizeTag, MPI_COMM_WORLD), "send");
        !s.ok()) {
      return s;
    }
    for (uint64_t at = 0; at < n; at += kPiece) {
      const int len = static_cast<int>(std::min(kPiece, n - at));
      if (Status s = Check(
              MPI_Send(bytes.data() + at, len, MPI_BYTE, to, kBytesTag, MPI_COMM_WORLD), "send");
          !s.ok()) {
        return s;
      }
    }
    return Status::Ok();
  }

  // Waits for a message from rank `r`, checking now and then rather than spinning (MPI_Probe
  // does): a rank that waits — the others for rank 0 to finish its results, rank 0 for their
  // shares — leaves the cores it shares with them to them.
  static Status Probe(int r, MPI_Status* st) {
    auto pause = std::chrono::microseconds(20);
    for (;;) {
      int flag = 0;
      if (Status s = Check(MPI_Iprobe(r, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, st), "probe");
          !s.ok() || flag != 0) {
        return s;
      }
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::microseconds(5000));
    }
  }

  // The next message from rank `r`; an error when it said Done instead (it stopped early).
  Result<std::string> Receive(int r) {
    const auto ri = static_cast<size_t>(r);
    const std::string stopped =
        r == 0 ? "distributed run: rank 0 stopped before sending what this rank needs"
               : fmt::format("distributed run: rank {} stopped before sending its share", r);
    if (done_[ri]) {
      if (stopped_by_ < 0 && !in_done_) stopped_by_ = r;
      return IoError(stopped);
    }
    MPI_Status st;
    if (Status s = Probe(r, &st); !s.ok()) {
      done_[ri] = true;  // nothing more can come from it
      return s;
    }
    if (st.MPI_TAG == kDoneTag) {
      int code = 0;
      MPI_Recv(&code, 1, MPI_INT, r, kDoneTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      done_[ri] = true;
      codes_[ri] = code;
      if (stopped_by_ < 0 && !in_done_) stopped_by_ = r;
      return IoError(stopped);
    }
    uint64_t n = 0;
    if (Status s =
            Check(MPI_Recv(&n, 1, MPI_UINT64_T, r, kSizeTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
                  "receive");
        !s.ok()) {
      done_[ri] = true;
      return s;
    }
    std::string b(n, '\0');
    for (uint64_t at = 0; at < n; at += kPiece) {
      const int len = static_cast<int>(std::min(kPiece, n - at));
      if (Status s = Check(MPI_Recv(b.data() + at, len, MPI_BYTE, r, kBytesTag, MPI_COMM_WORLD,
                                    MPI_STATUS_IGNORE),
                           "receive");
          !s.ok()) {
        done_[ri] = true;
        return s;
      }
    }
    return b;
  }

  int rank_ = 0, size_ = 1;
  std::vector<bool> done_;  // by rank: it said Done (on a rank other than 0, only [0] is used)
  // By rank: its exit code, from its Done. The first rank that said Done while this one waited
  // for its message (not while in Done itself), or -1.
  std::vector<int> codes_;
  int stopped_by_ = -1;
  bool in_done_ = false;
};

}  // namespace

Result<std::unique_ptr<Distribution>> StartMpi() {
  int started = 0;
  MPI_Initialized(&started);
  if (started == 0) {
    if (Status s = Check(MPI_Init(nullptr, nullptr), "MPI_Init"); !s.ok()) return s;
  }
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  return std::unique_ptr<Distribution>(std::make_unique<MpiDistribution>());
}

}  // namespace valuepact::distributed
