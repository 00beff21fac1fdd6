#pragma once
// RFC 4180 CSV over an in-memory buffer: quoted fields with doubled quotes, embedded commas
// and newlines, CRLF or LF, a leading UTF-8 byte-order mark. Records are split into chunks that
// can be parsed in parallel; line numbers are physical (1-based) lines of the file.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace valuepact {

bool IsValidUtf8(std::string_view s);

struct CsvChunk {
  size_t begin = 0;
  size_t end = 0;
  uint64_t first_line = 1;  // physical line at `begin`
};

// Splits data[begin, end) into about `target` chunks, each cut at the first newline of a raw
// piece with an even number of quotes before it: a record start in a well-formed file. After a
// stray quote (one the cursor rejects with its own line) that count is off, and a cut can fall
// inside a later quoted field; the chunk before it then reports ran_out_in_quote(), and the
// reader reads it again with the next one.
std::vector<CsvChunk> SplitCsvChunks(std::string_view data, size_t begin, uint64_t first_line,
                                     size_t target);

// SplitCsvChunks in its steps, for a split worked out by processes that each read only part of
// the bytes (docs/scaling.md): the raw pieces; each piece's quotes and newlines; in each piece
// but the first, the first record start, from the counts of the pieces before it; the chunks
// those cuts make.
struct CsvPieces {
  std::vector<size_t> bounds;  // piece i is [bounds[i], bounds[i + 1])
  size_t size() const { return bounds.size() - 1; }
};
CsvPieces SplitCsvPieces(size_t data_size, size_t begin, size_t target);

struct CsvPieceCounts {
  uint64_t quotes = 0, newlines = 0;
};
CsvPieceCounts CountCsvPiece(std::string_view data, const CsvPieces& p, size_t i);

// A record start: its position and the newlines from the split's beginning up to it.
struct CsvCut {
  static constexpr size_t kNone = static_cast<size_t>(-1);
  size_t at = kNone;  // kNone: no record starts in the piece (or only at the end of the data)
  uint64_t newlines = 0;
};
// `before`: the counts of pieces 0 … i-1 together.
CsvCut FindCsvCut(std::string_view data, const CsvPieces& p, size_t i, CsvPieceCounts before);
// The chunks between the cuts, in order; `first_line`: the physical line at the first piece.
std::vector<CsvChunk> CsvChunksFromCuts(const CsvPieces& p, uint64_t first_line,
                                        const std::vector<CsvCut>& cuts);

// SplitCsvChunks a few pieces at a time, for a reader that parses the chunks in order and lets
// each one's pages go once it is parsed: each piece is counted just before the chunks that end
// in it are wanted, so the file is read once from start to end, never held in memory whole.
// The chunks are those SplitCsvChunks gives.
class CsvSplitter {
 public:
  CsvSplitter(std::string_view data, size_t begin, uint64_t first_line, size_t target);
  // Counts the next `pieces` pieces (in parallel) and appends to `chunks` the chunks that end
  // in them (after the last piece, the last chunk).
  void Next(size_t pieces, std::vector<CsvChunk>* chunks);
  bool done() const { return next_ == p_.size(); }
  size_t pieces() const { return p_.size(); }  // no more chunks than pieces
  size_t begin() const { return p_.bounds.front(); }
  size_t counted_end() const { return p_.bounds[next_]; }  // the bytes counted end here
  // Where the bytes end that Next(pieces) counts.
  size_t end_after(size_t pieces) const { return p_.bounds[std::min(p_.size(), next_ + pieces)]; }

 private:
  std::string_view data_;
  CsvPieces p_;
  uint64_t first_line_;
  size_t next_ = 0;        // pieces [0, next_) are counted
  CsvPieceCounts before_;  // their counts together
  CsvChunk current_;       // the chunk the next cut ends
};

// Caps on one record: a binary file or a runaway line is a malformed record (and a header that
// large an error), never gigabytes of field views.
inline constexpr size_t kMaxCsvFields = 10000;
inline constexpr size_t kMaxCsvRecordBytes = size_t{16} << 20;  // 16 MiB

// The fields of one record, as a cursor holds them (valid until its next read): where each
// field ends, as an offset from the record's first byte, after one end of -1 (before the first
// field, which starts at offset 0); a field starts just past the end before it. Four bytes a
// field, written as the record is split, instead of a view of sixteen: a wide claim file's
// record has well over a hundred fields, of which a reader looks at a few dozen.
class CsvFields {
 public:
  CsvFields() = default;
  // `ends`: the -1 then the n fields' ends.
  CsvFields(const char* base, const uint32_t* ends, size_t n) : base_(base), ends_(ends), n_(n) {}
  size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  std::string_view operator[](size_t k) const {
    const uint32_t start = ends_[k] + 1;  // wraps to 0 for the first field
    return {base_ + start, ends_[k + 1] - start};
  }

 private:
  const char* base_ = nullptr;
  const uint32_t* ends_ = nullptr;
  size_t n_ = 0;
};

// Whether a cursor writes the field ends of a block all at once (AVX-512, where the processor
// has it: the default) or one by one; both give the same fields. Returns the previous setting.
// For tests, which read the same text both ways.
bool UseWideCsvSplit(bool on);

class CsvCursor {
 public:
  CsvCursor(std::string_view data, CsvChunk chunk, char delimiter = ',');

  enum class Outcome { kRecord, kEnd, kMalformed };
  // Reads the next record into `fields` (views into the data or into internal scratch space,
  // valid until the next call). Blank lines are skipped. On kMalformed, `error` says why and the
  // cursor has moved past the bad record.
  Outcome Next(std::vector<std::string_view>* fields, uint64_t* line, std::string* error);
  // The same, the fields held by the cursor (valid until the next call) instead of views
  // copied out.
  Outcome Next(CsvFields* fields, uint64_t* line, std::string* error);
  // The raw bytes of the last record read (without its line terminator).
  std::string_view raw() const { return raw_; }
  // True when the last record was seen to be plain ASCII as it was split (so valid UTF-8); false
  // says nothing either way.
  bool raw_is_ascii() const { return raw_ascii_; }
  size_t position() const { return pos_; }
  // A quoted field ran to the chunk's end without its closing quote. Reading on past the end
  // might have closed it: a chunk cut there (after a stray quote misled the split's quote
  // count) must be read again together with the next one.
  bool ran_out_in_quote() const { return ran_out_in_quote_; }

 private:
  // Splits the record at pos_ when it holds no quote and ends with a newline before end_ (the
  // most common record, split sixteen bytes at a time): fills `fields` and raw_, moves past it
  // and returns true. False, having moved nothing: the general path reads it.
  bool SplitPlainRecord(CsvFields* fields);
  // SplitPlainRecord with `Ends` writing the ends of the fields that end in a block (one by
  // one, or all at once on a processor that can: csv.cc).
  template <class Ends>
  bool SplitPlain(CsvFields* fields);
  friend struct CsvSplitWide;
  // Grows split_ to room for `n` more field ends past its first `used`, keeping those.
  void SplitRoom(size_t used, size_t n);
  std::string_view data_;
  size_t pos_;
  size_t end_;
  uint64_t line_;
  char delim_;
  std::string_view raw_;
  bool ran_out_in_quote_ = false;
  bool raw_ascii_ = false;
  std::string scratch_;
  struct Span {
    size_t off;
    size_t len;
    bool scratch;
  };
  std::vector<Span> spans_;
  // A record the general path read: its fields one after another, a byte between each, and
  // their ends (CsvFields).
  std::string general_;
  std::vector<uint32_t> general_ends_;
  // The ends of the fields SplitPlainRecord finds (CsvFields), written without a check per
  // field; split_[0] is the -1.
  std::unique_ptr<uint32_t[]> split_;
  size_t split_room_ = 0;
};

// Byte offset just past a UTF-8 BOM, if any.
size_t SkipBom(std::string_view data);

// A small CSV text read whole: its header and records (physical line of each). A malformed
// record, or one with another number of fields than the header, is an error naming `name` and
// the line.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<uint64_t> lines;
  int Column(std::string_view name) const;  // -1 when absent
};
struct CsvTableResult {
  bool ok = false;
  std::string error;
  CsvTable table;
};
CsvTableResult ReadCsvTable(std::string_view text, std::string_view name);

// Writes one CSV field, quoting when needed.
void AppendCsvField(std::string* out, std::string_view field);

}  // namespace valuepact
