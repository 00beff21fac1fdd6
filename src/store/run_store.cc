// What both run store backends share: where the store is by default, how a run's output folder
// becomes a record, and the compression of its files (run_store.h).
#include "valuepact/store/run_store.h"

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "store/backends.h"
#include "valuepact/core/file_io.h"
#include "valuepact/core/folder_writer.h"
#include "valuepact/core/sha256.h"
#include "valuepact/ingest/zstd_frame.h"

namespace valuepact {
namespace fs = std::filesystem;

namespace store {

std::string UtcNow() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

Result<int64_t> ChooseRecord(const std::string& where, const std::string& id,
                             const std::function<RunMatches()>& matching_runs) {
  if (!id.empty() && id[0] == '#') {
    try {
      return std::stoll(id.substr(1));
    } catch (const std::exception&) {
      return InvalidInput(fmt::format("'{}': a record is #<number>", id));
    }
  }
  const RunMatches found = id.empty() ? RunMatches{} : matching_runs();
  if (found.empty()) return NotFound(fmt::format("{}: no run '{}'", where, id));
  if (found.size() > 1) {
    return InvalidInput(
        fmt::format("{}: '{}' matches {} runs; give more of the run id", where, id, found.size()));
  }
  return found[0].second;
}

std::string Redacted(const std::string& location) {
  // postgresql://user:password@host/db → postgresql://user:***@host/db
  const size_t scheme = location.find("://");
  const size_t at = location.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return location;
  const size_t colon = location.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return location;
  return location.substr(0, colon + 1) + "***" + location.substr(at);
}

}  // namespace store

namespace {

bool IsPostgres(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

// Who is running this process: $VALUEPACT_USER, else the account name.
std::string CurrentUser() {
  if (const char* u = std::getenv("VALUEPACT_USER"); u != nullptr && *u != '\0') return u;
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  if (const char* u = std::getenv("USER"); u != nullptr && *u != '\0') return u;
  return "unknown";
}

// The hash of a group of inputs: their tables and hashes in order (not their paths, so the same
// files in another folder hash the same).
std::string GroupHash(const nlohmann::ordered_json& inputs, bool refdata) {
  std::string text;
  for (const auto& in : inputs) {
    const std::string table = in.value("table", "");
    if (table == "contract") continue;
    const bool ref = table == "refdata" || table == "value_set";
    if (ref != refdata) continue;
    text += table + "\t" + in.value("sha256", "") + "\n";
  }
  return text.empty() ? "" : Sha256Hex(text);
}

void FillProvenance(const nlohmann::ordered_json& s, RunRecord* r) {
  r->run_id = s.value("run_id", "");
  r->contract_id = s.value("contract_id", "");
  r->engine_version = s.value("engine_version", "");
  if (s.contains("period") && s["period"].is_object()) {
    r->period_start = s["period"].value("start", "");
    r->period_end = s["period"].value("end", "");
  }
  if (s.contains("net_payer_to_provider") && s["net_payer_to_provider"].is_string()) {
    r->net_payer_to_provider = s["net_payer_to_provider"].get<std::string>();
  }
  if (!s.contains("inputs") || !s["inputs"].is_array()) return;
  const auto& inputs = s["inputs"];
  for (const auto& in : inputs) {
    if (in.value("table", "") == "contract") r->contract_sha256 = in.value("sha256", "");
  }
  r->data_sha256 = GroupHash(inputs, false);
  r->refdata_sha256 = GroupHash(inputs, true);
  r->contract_version = s.value("contract_version", "");
  if (r->contract_version.empty() && !r->contract_sha256.empty()) {
    r->contract_version = r->contract_sha256.substr(0, 12);
  }
}

// The text of the contract the run read, when the file still holds what it read: later
// comparisons can then say which terms changed (compare).
void AddContractText(RunRecord* r) {
  for (const auto& in : r->summary.value("inputs", nlohmann::ordered_json::array())) {
    if (in.value("table", "") != "contract") continue;
    auto bytes = ReadWholeFile(in.value("path", ""));
    if (!bytes.ok() || Sha256Hex(*bytes) != in.value("sha256", "")) return;
    RunFile f;
    f.path = "input/contract.toml";
    f.sha256 = in.value("sha256", "");
    f.size = static_cast<int64_t>(bytes->size());
    f.content = std::move(*bytes);
    r->files.push_back(std::move(f));
    return;
  }
}

}  // namespace

std::string DefaultStoreLocation() {
  if (const char* s = std::getenv("VALUEPACT_STORE"); s != nullptr && *s != '\0') return s;
  if (const char* x = std::getenv("XDG_DATA_HOME"); x != nullptr && *x != '\0') {
    return (fs::path(x) / "valuepact" / "runs.sqlite").string();
  }
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr) home = pw->pw_dir;
  }
  return (fs::path(home != nullptr ? home : ".") / ".local" / "share" / "valuepact" / "runs.sqlite")
      .string();
}

Status StoreMustExist(const std::string& location) {
  if (IsPostgres(location)) return Status::Ok();
  const std::string path = location.rfind("sqlite:", 0) == 0 ? location.substr(7) : location;
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return Status::Ok();
  return NotFound(fmt::format(
      "{}: no run store there (settle, metrics, cohort and episodes record their runs in "
      "$VALUEPACT_STORE, else ~/.local/share/valuepact/runs.sqlite; --store names another)",
      path));
}

Result<std::unique_ptr<RunStore>> RunStore::Open(const std::string& location) {
  if (location.empty()) return InvalidInput("run store: no location given");
  if (IsPostgres(location)) return store::OpenPostgres(location);
  const std::string path = location.rfind("sqlite:", 0) == 0 ? location.substr(7) : location;
  return store::OpenSqlite(path);
}

namespace {

// A file of this size or more is recorded from its compressed frame alone (RunFile::content is
// left empty): a record does not hold a large file's bytes twice.
constexpr size_t kKeepBytes = size_t{1} << 20;

}  // namespace

void KeepRunFilesForStore() {
  KeepWrittenFiles(
      [](const std::vector<std::string_view>& pieces) { return CompressContent(pieces); },
      kKeepBytes);
}

Result<RunRecord> RecordFromFolder(const std::string& command, const std::string& out_dir) {
  // Each file checked against the manifest, compressed as the store keeps it, with its bytes
  // when it is small (summary.json is read from them; a large file needs only its frame). The
  // files this process wrote and kept (KeepRunFilesForStore) and that are unchanged since are
  // taken as kept, not read again.
  struct Checked {
    std::string stored;
    std::string content;
    int64_t size = 0;
  };
  std::map<std::string, Checked> verified;
  const auto compress = [&](const std::string& name, std::string_view bytes) {
    Checked& c = verified[name];
    c.stored = CompressContent(bytes);
    c.content = bytes.size() < kKeepBytes ? std::string(bytes) : std::string();
    c.size = static_cast<int64_t>(bytes.size());
  };
  std::optional<WrittenFolder> written = TakeWrittenFolder(out_dir);
  if (Status s = CheckManifest(out_dir, compress, written ? &*written : nullptr); !s.ok()) {
    return s;
  }
  auto manifest_bytes = ReadWholeFile((fs::path(out_dir) / "manifest.json").string());
  if (!manifest_bytes.ok()) return manifest_bytes.status();
  const auto manifest = nlohmann::json::parse(*manifest_bytes, nullptr, false);
  RunRecord r;
  r.command = command;
  r.out_dir = fs::absolute(out_dir).lexically_normal().string();
  r.user = CurrentUser();
  for (const auto& f : manifest["files"]) {
    RunFile file;
    file.path = f["file"].get<std::string>();
    file.restricted = file.path.rfind(std::string(kRestrictedDir) + "/", 0) == 0;
    if (auto v = verified.find(file.path); v != verified.end()) {
      file.content = std::move(v->second.content);
      file.stored = std::move(v->second.stored);
      file.size = v->second.size;
      file.sha256 = f.value("sha256", "");
      verified.erase(v);  // a file listed twice is read again
    } else if (const auto w = written ? written->find(file.path) : WrittenFolder::iterator();
               written && w != written->end()) {
      file.content = w->second.content;
      file.stored = w->second.stored;
      file.size = static_cast<int64_t>(w->second.size);
      file.sha256 = w->second.sha256;
    } else {  // a file CheckManifest could not read (restricted to another user)
      auto bytes = ReadWholeFile((fs::path(out_dir) / file.path).string(), kNoSizeCap);
      if (!bytes.ok()) return bytes.status();
      file.content = std::move(*bytes);
      file.size = static_cast<int64_t>(file.content.size());
      file.sha256 = Sha256Hex(file.content);
    }
    if (file.sha256 != f.value("sha256", "")) {
      return InvalidInput(fmt::format(
          "{}: {} changed after the run wrote it (its SHA-256 differs from manifest.json); not "
          "recording a run that is not what the command wrote",
          out_dir, file.path));
    }
    if (file.path == "summary.json") {
      r.summary = nlohmann::ordered_json::parse(file.content, nullptr, false);
      if (r.summary.is_discarded() || !r.summary.is_object()) {
        return InvalidInput(fmt::format("{}: summary.json is not a JSON object", out_dir));
      }
    }
    r.files.push_back(std::move(file));
  }
  if (r.summary.is_null()) {
    return InvalidInput(fmt::format("{}: no summary.json in the folder's manifest", out_dir));
  }
  FillProvenance(r.summary, &r);
  if (r.run_id.empty()) {
    return InvalidInput(fmt::format("{}: summary.json has no run_id", out_dir));
  }
  AddContractText(&r);
  return r;
}

Result<RunRecord> RecordFolder(const std::string& location, const std::string& command,
                               const std::string& out_dir) {
  const std::string where = location.empty() ? DefaultStoreLocation() : location;
  auto record = RecordFromFolder(command, out_dir);
  if (!record.ok()) return record.status();
  if (!IsPostgres(where)) {
    // The default store's folder may not exist yet.
    const std::string path = where.rfind("sqlite:", 0) == 0 ? where.substr(7) : where;
    std::error_code ec;
    const fs::path parent = fs::absolute(path).parent_path();
    fs::create_directories(parent, ec);
    if (ec) {
      return IoError(fmt::format("{}: cannot create the run store's folder: {}", parent.string(),
                                 ec.message()));
    }
  }
  auto st = RunStore::Open(where);
  if (!st.ok()) return st.status();
  if (Status s = (*st)->Record(&*record); !s.ok()) return s;
  for (auto& f : record->files) f.content.clear();
  return record;
}

const RunFile* FindFile(const RunRecord& r, const std::string& path) {
  for (const auto& f : r.files) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

nlohmann::ordered_json RunRecordJson(const RunRecord& r) {
  return {{"record", r.record_id},
          {"run_id", r.run_id},
          {"command", r.command},
          {"contract_id", r.contract_id},
          {"contract_version", r.contract_version},
          {"contract_sha256", r.contract_sha256},
          {"data_sha256", r.data_sha256},
          {"refdata_sha256", r.refdata_sha256},
          {"engine_version", r.engine_version},
          {"period", {{"start", r.period_start}, {"end", r.period_end}}},
          {"net_payer_to_provider", r.net_payer_to_provider},
          {"user", r.user},
          {"recorded_at", r.recorded_at},
          {"out_dir", r.out_dir}};
}

// Level 3, but a large file (a population's members.csv) at level 1, as frames of 2 MiB of it
// each compressed on the run's threads (ToZstdFrames): at 300,000 members on 2 threads level 1
// took half the time of level 3 and came out no larger; frames of their own took the set-up of
// zstd's threads (a context and fresh buffers each time) off a 100,000-member settlement.
std::string CompressContent(const std::vector<std::string_view>& pieces) {
  constexpr size_t kLarge = size_t{4} << 20;
  size_t size = 0;
  for (const std::string_view p : pieces) size += p.size();
  if (size < kLarge) return ToZstdFrame(pieces, 3);
  return ToZstdFrames(pieces, 1, size_t{2} << 20);
}

std::string CompressContent(std::string_view bytes) {
  return CompressContent(std::vector<std::string_view>{bytes});
}

void CompressContents(std::vector<RunFile>* files) {
  tbb::parallel_for(size_t{0}, files->size(), [&](size_t i) {
    RunFile& f = (*files)[i];
    if (f.stored.empty()) f.stored = CompressContent(f.content);
  });
}

Result<std::string> DecompressContent(std::string_view frame, uint64_t size) {
  // The frame is read up to the size recorded; one that holds more is refused unread.
  auto bytes = FromZstdFrame(frame, size, "a stored file");
  if (!bytes.ok()) {
    return InvalidInput(fmt::format("run store: {}, or holds more than the {} bytes recorded",
                                    bytes.status().message(), size));
  }
  if (bytes->size() != size) {
    return InvalidInput(fmt::format("run store: a stored file holds {} bytes, not the {} recorded",
                                    bytes->size(), size));
  }
  return bytes;
}

namespace store {

Status AddStoredFile(StoredFileRow row, bool with_contents, std::vector<RunFile>* files) {
  RunFile file;
  file.path = std::move(row.path);
  file.restricted = row.restricted;
  file.sha256 = std::move(row.sha256);
  file.size = row.size;
  if (with_contents) {
    auto bytes = DecompressContent(row.frame, static_cast<uint64_t>(file.size));
    if (!bytes.ok()) {
      return Status(bytes.status().code(),
                    fmt::format("{} ({})", bytes.status().message(), file.path));
    }
    file.content = std::move(*bytes);
  }
  files->push_back(std::move(file));
  return Status::Ok();
}

}  // namespace store

}  // namespace valuepact
