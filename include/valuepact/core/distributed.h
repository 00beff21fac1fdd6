#pragma once
// A run spread over several processes (`--distributed` under mpirun, docs/scaling.md). Every
// process runs the same command on the same inputs. The ranks cut each Tuva CSV file into chunks
// together, each counting quotes and newlines in its own share, and each parses its share of the
// chunks (reading only those bytes of the file); or each reads its own part of a dataset split by
// `valuepact partition`. Rank 0 gathers the parsed parts, merges them in file order — the
// dataset it holds is the one a single process reads — and computes and writes the results. The
// other ranks read nothing else and write nothing.
//
// The MPI implementation lives in src/distributed/ (built when MPI is found); the library sees
// only this interface, so a build without MPI runs one process.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "valuepact/core/status.h"

namespace valuepact {

class Distribution {
 public:
  virtual ~Distribution() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Every rank calls it, in the same order, with its bytes; rank 0 gets every rank's bytes in
  // rank order, the others an empty list.
  // Rank 0 gets an error when a rank stopped (said Done) before sending its share.
  virtual Result<std::vector<std::string>> GatherToRoot(std::string_view mine) = 0;
  // Every rank calls it, in the same order: rank 0 sends `mine` to every other rank and gets it
  // back; the others get rank 0's bytes (their `mine` is not used), or an error when rank 0
  // stopped (said Done) before sending them.
  virtual Result<std::string> BroadcastFromRoot(std::string_view mine) = 0;
  // Every rank calls it once, when its part of the command is over, whether it succeeded or
  // not, with its exit code. Every rank tells the others it talks to (rank 0 all others, the
  // others rank 0) that it is done, then receives and drops whatever they still send until each
  // has said so too, so that no rank waits forever for another and all end normally.
  virtual void Done(int exit_code) = 0;
  // After Done: the exit code of the rank that stopped while this rank waited for its message
  // (this rank's command then failed for that reason alone, and takes that rank's code, so
  // that mpirun's code is the one of the rank that failed first, whichever process ends
  // first); -1 when no rank did.
  virtual int StoppedByOtherWithCode() const = 0;
};

// The distribution this process runs in, or null (a single process).
Distribution* CurrentDistribution();
void SetCurrentDistribution(Distribution* distribution);

// True on a rank other than 0 of a distributed run: it parses its share of the Tuva CSV files
// for rank 0 and reads nothing else (rank 0 alone reads CCLF, FHIR, program data and caches).
inline bool OnPeerRank() {
  const Distribution* d = CurrentDistribution();
  return d != nullptr && d->rank() != 0;
}

// Items [begin, end) of `n` given to `rank` of `size`: contiguous, as even as can be.
inline std::pair<size_t, size_t> ShareOf(size_t n, int rank, int size) {
  const auto r = static_cast<size_t>(rank), s = static_cast<size_t>(size);
  return {n * r / s, n * (r + 1) / s};
}

}  // namespace valuepact
