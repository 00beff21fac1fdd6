#include "valuepact/core/csv.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "valuepact/core/file_io.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace valuepact {
namespace {

#if defined(__SSE2__)
// Bit k set where data[at + k] is `a` or `b`, over the 16 bytes at `at` (the caller keeps them
// inside the data).
unsigned MaskOf(const char* at, __m128i a, __m128i b) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
  return static_cast<unsigned>(
      _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, a), _mm_cmpeq_epi8(v, b))));
}
#endif

// The end before a record's first field (CsvFields).
constexpr uint32_t kNoEnd = ~uint32_t{0};

}  // namespace

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // ASCII fast path, 8 bytes at a time.
    if (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and out-of-range code points are invalid.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

size_t SkipBom(std::string_view data) {
  return data.size() >= 3 && static_cast<unsigned char>(data[0]) == 0xEF &&
                 static_cast<unsigned char>(data[1]) == 0xBB &&
                 static_cast<unsigned char>(data[2]) == 0xBF
             ? 3
             : 0;
}

CsvPieces SplitCsvPieces(size_t data_size, size_t begin, size_t target) {
  const size_t total = data_size > begin ? data_size - begin : 0;
  constexpr size_t kMinPiece = size_t{1} << 20;
  const size_t pieces = std::max<size_t>(1, std::min(target, total / kMinPiece));
  const size_t step = total / pieces;
  CsvPieces p;
  p.bounds.resize(pieces + 1);
  for (size_t i = 0; i < pieces; ++i) p.bounds[i] = begin + i * step;
  p.bounds[pieces] = std::max(data_size, begin);
  return p;
}

CsvPieceCounts CountCsvPiece(std::string_view data, const CsvPieces& p, size_t i) {
  CsvPieceCounts c;
  size_t k = p.bounds[i];
  const size_t end = p.bounds[i + 1];
  // The first read of the piece's bytes: their pages mapped in at once.
  MapInAhead(data.substr(k, end - k));
#if defined(__SSE2__)
  // Each byte lane counts its matches (a compare gives -1) for up to 255 blocks; the lanes are
  // then summed.
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i nl = _mm_set1_epi8('\n');
  const __m128i zero = _mm_setzero_si128();
  auto lanes_total = [&zero](__m128i lanes) {
    const __m128i sums = _mm_sad_epu8(lanes, zero);
    return static_cast<uint64_t>(_mm_cvtsi128_si32(sums)) +
           static_cast<uint64_t>(_mm_cvtsi128_si32(_mm_unpackhi_epi64(sums, sums)));
  };
  while (k + 16 <= end) {
    __m128i quotes = zero;
    __m128i newlines = zero;
    for (int run = 0; run < 255 && k + 16 <= end; ++run, k += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data.data() + k));
      quotes = _mm_sub_epi8(quotes, _mm_cmpeq_epi8(v, quote));
      newlines = _mm_sub_epi8(newlines, _mm_cmpeq_epi8(v, nl));
    }
    c.quotes += lanes_total(quotes);
    c.newlines += lanes_total(newlines);
  }
#endif
  for (; k < end; ++k) {
    c.quotes += data[k] == '"';
    c.newlines += data[k] == '\n';
  }
  return c;
}

// A position is inside a quoted field exactly when an odd number of quote characters precede it
// in the file ("" keeps parity): the first newline of the piece with an even count before it.
CsvCut FindCsvCut(std::string_view data, const CsvPieces& p, size_t i, CsvPieceCounts before) {
  uint64_t q = before.quotes, nl = before.newlines;
  for (size_t k = p.bounds[i]; k < p.bounds[i + 1]; ++k) {
    const char c = data[k];
    if (c == '"') ++q;
    if (c == '\n') {
      ++nl;
      if ((q & 1) == 0) return k + 1 < data.size() ? CsvCut{k + 1, nl} : CsvCut{};
    }
  }
  return {};
}

std::vector<CsvChunk> CsvChunksFromCuts(const CsvPieces& p, uint64_t first_line,
                                        const std::vector<CsvCut>& cuts) {
  std::vector<CsvChunk> chunks;
  CsvChunk current{p.bounds.front(), 0, first_line};
  for (const CsvCut& c : cuts) {
    if (c.at == CsvCut::kNone) continue;
    current.end = c.at;
    chunks.push_back(current);
    current = {c.at, 0, first_line + c.newlines};
  }
  current.end = p.bounds.back();
  chunks.push_back(current);
  return chunks;
}

std::vector<CsvChunk> SplitCsvChunks(std::string_view data, size_t begin, uint64_t first_line,
                                     size_t target) {
  CsvSplitter split(data, begin, first_line, target);
  std::vector<CsvChunk> chunks;
  split.Next(split.pieces(), &chunks);
  return chunks;
}

CsvSplitter::CsvSplitter(std::string_view data, size_t begin, uint64_t first_line, size_t target)
    : data_(data),
      p_(SplitCsvPieces(data.size(), begin, target)),
      first_line_(first_line),
      current_{p_.bounds.front(), 0, first_line} {}

void CsvSplitter::Next(size_t pieces, std::vector<CsvChunk>* chunks) {
  const size_t first = next_, last = std::min(p_.size(), next_ + pieces);
  if (first == last) return;
  std::vector<CsvPieceCounts> counts(last - first);
  tbb::parallel_for(first, last,
                    [&](size_t i) { counts[i - first] = CountCsvPiece(data_, p_, i); });
  for (size_t i = first; i < last; ++i) {
    if (i > 0) {  // the first record start in piece i, from the counts of the pieces before it
      const CsvCut c = FindCsvCut(data_, p_, i, before_);
      if (c.at != CsvCut::kNone) {
        current_.end = c.at;
        chunks->push_back(current_);
        current_ = {c.at, 0, first_line_ + c.newlines};
      }
    }
    before_.quotes += counts[i - first].quotes;
    before_.newlines += counts[i - first].newlines;
  }
  next_ = last;
  if (done()) {
    current_.end = p_.bounds.back();
    chunks->push_back(current_);
  }
}

CsvCursor::CsvCursor(std::string_view data, CsvChunk chunk, char delimiter)
    : data_(data), pos_(chunk.begin), end_(chunk.end), line_(chunk.first_line), delim_(delimiter) {}

void CsvCursor::SplitRoom(size_t used, size_t n) {
  const size_t room = std::max(split_room_ * 2, used + n + 64);
  auto grown = std::make_unique_for_overwrite<uint32_t[]>(room);
  grown[0] = kNoEnd;
  if (used > 1) std::copy(split_.get() + 1, split_.get() + used, grown.get() + 1);
  split_ = std::move(grown);
  split_room_ = room;
}

namespace {

// The ends of the fields that end in a block of sixteen bytes (`stops`: bit k for the byte at
// offset + k), written to `out`, which has room for sixteen; returns how many.
struct EndsOneByOne {
  [[gnu::always_inline]] static size_t Put(uint32_t* out, unsigned stops, uint32_t offset) {
    size_t n = 0;
    for (; stops != 0; stops &= stops - 1) {
      out[n++] = offset + static_cast<uint32_t>(__builtin_ctz(stops));
    }
    return n;
  }
};

#if defined(__x86_64__)
// All at once: the sixteen offsets of the block, the stops' compressed to the front and stored
// together (AVX-512 VPCOMPRESSD), where one by one took about eight instructions a field.
struct EndsCompressed {
  __attribute__((target("avx512f,popcnt"))) static size_t Put(uint32_t* out, unsigned stops,
                                                              uint32_t offset) {
    const __m512i at =
        _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(offset)),
                         _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    _mm512_storeu_si512(out, _mm512_maskz_compress_epi32(static_cast<__mmask16>(stops), at));
    return static_cast<size_t>(__builtin_popcount(stops));
  }
};
#endif

}  // namespace

#if defined(__x86_64__)
// SplitPlain compiled for AVX-512 as one function (flatten: EndsCompressed::Put inlined).
struct CsvSplitWide {
  __attribute__((target("avx512f,popcnt"), flatten)) static bool Split(CsvCursor* cursor,
                                                                       CsvFields* fields) {
    return cursor->SplitPlain<EndsCompressed>(fields);
  }
};
#endif

namespace {
bool WideSplitSupported() {
#if defined(__x86_64__)
  return __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("popcnt") != 0;
#else
  return false;
#endif
}
std::atomic<bool> wide_split{WideSplitSupported()};
}  // namespace

bool UseWideCsvSplit(bool on) { return wide_split.exchange(on && WideSplitSupported()); }

bool CsvCursor::SplitPlainRecord(CsvFields* fields) {
#if defined(__x86_64__)
  if (wide_split.load(std::memory_order_relaxed)) return CsvSplitWide::Split(this, fields);
#endif
  return SplitPlain<EndsOneByOne>(fields);
}

template <class Ends>
bool CsvCursor::SplitPlain(CsvFields* fields) {
#if defined(__SSE2__)
  const __m128i d = _mm_set1_epi8(delim_);
  const __m128i nl = _mm_set1_epi8('\n');
  const __m128i quote = _mm_set1_epi8('"');
  // Locals, not members: the stores of field ends below would otherwise reload them every time.
  const char* const data = data_.data();
  const size_t start = pos_;
  size_t n = 0;       // field ends found, in split_ after its -1
  unsigned high = 0;  // bytes above 0x7F
  for (size_t i = start; i + 16 <= end_ && i - start <= kMaxCsvRecordBytes; i += 16) {
    const char* at = data + i;
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    const auto newlines = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl)));
    const unsigned first_newline = newlines & (0u - newlines);
    // The bits of this block up to the record's end (its newline, when it is in the block).
    const unsigned inside = first_newline != 0 ? first_newline | (first_newline - 1) : 0xFFFFu;
    if ((MaskOf(at, quote, quote) & inside) != 0) return false;
    high |= static_cast<unsigned>(_mm_movemask_epi8(v)) & inside;
    // At most sixteen fields end in a block: room and the cap are checked once for them all (a
    // record this close to the cap is left to the general path, which splits it the same way).
    if (n + 16 > kMaxCsvFields) return false;
    if (n + 17 > split_room_) SplitRoom(n + 1, 16);
    n += Ends::Put(split_.get() + 1 + n, MaskOf(at, d, nl) & inside,
                   static_cast<uint32_t>(i - start));
    if (first_newline == 0) continue;
    const size_t eol = i + static_cast<size_t>(__builtin_ctz(first_newline));
    if (eol - start > kMaxCsvRecordBytes) return false;
    // The last field (the newline ends it: n >= 1) without a CR before the newline.
    uint32_t& last = split_[n];
    if (last > split_[n - 1] + 1 && data[start + last - 1] == '\r') --last;
    *fields = CsvFields(data + start, split_.get(), n);
    const size_t raw_end = eol > start && data[eol - 1] == '\r' ? eol - 1 : eol;
    raw_ = data_.substr(start, raw_end - start);
    raw_ascii_ = high == 0;
    pos_ = eol + 1;
    ++line_;
    return true;
  }
#else
  static_cast<void>(fields);
#endif
  return false;
}

CsvCursor::Outcome CsvCursor::Next(std::vector<std::string_view>* fields, uint64_t* line,
                                   std::string* error) {
  CsvFields read;
  const Outcome o = Next(&read, line, error);
  fields->clear();
  for (size_t k = 0; k < read.size(); ++k) fields->push_back(read[k]);
  return o;
}

CsvCursor::Outcome CsvCursor::Next(CsvFields* fields, uint64_t* line, std::string* error) {
  *fields = {};
  // Skip blank lines.
  while (pos_ < end_ && (data_[pos_] == '\n' || data_[pos_] == '\r')) {
    if (data_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= end_) return Outcome::kEnd;

  *line = line_;
  const size_t record_start = pos_;
  if (SplitPlainRecord(fields)) return Outcome::kRecord;
  raw_ascii_ = false;
  spans_.clear();
  scratch_.clear();
  bool malformed = false;
  bool oversized = false;  // too many fields or too long: reported once the record is skipped
  size_t i = pos_;
  for (;;) {
    // One field.
    if (i < end_ && data_[i] == '"') {
      ++i;
      const size_t content = i;
      const uint64_t field_line = line_;
      bool escaped = false;
      size_t close = std::string_view::npos;
      while (i < end_) {
        const char c = data_[i];
        if (c == '"') {
          if (i + 1 < end_ && data_[i + 1] == '"') {
            escaped = true;
            i += 2;
            continue;
          }
          close = i;
          ++i;
          break;
        }
        if (c == '\n') ++line_;
        ++i;
      }
      // A quote that is never closed, or whose closing quote lines later is followed by text
      // (the opening quote of a later field, most likely), is a stray: the record is the line
      // it opened on, and reading resumes on the next one. It costs its own row, not every row
      // up to the next quote in the file (each of those is still read, and rejected with its
      // own reason if it is bad too).
      const bool text_after = close != std::string_view::npos && i < end_ && data_[i] != delim_ &&
                              data_[i] != '\n' && data_[i] != '\r';
      if (close == std::string_view::npos) ran_out_in_quote_ = true;
      if (close == std::string_view::npos || (text_after && line_ > field_line)) {
        *error = close == std::string_view::npos
                     ? "unterminated quoted field (a '\"' opened on this line is never closed)"
                     : "unterminated quoted field (a '\"' opened on this line is not closed on "
                       "it, and the next '\"' is followed by text)";
        const size_t eol = data_.substr(0, end_).find('\n', record_start);
        pos_ = eol == std::string_view::npos ? end_ : eol + 1;
        line_ = *line + 1;
        raw_ =
            data_.substr(record_start, (eol == std::string_view::npos ? end_ : eol) - record_start);
        return Outcome::kMalformed;
      }
      if (close - content > kMaxCsvRecordBytes || spans_.size() >= kMaxCsvFields) {
        oversized = true;
      } else if (escaped) {
        const size_t off = scratch_.size();
        for (size_t k = content; k < close; ++k) {
          scratch_.push_back(data_[k]);
          if (data_[k] == '"') ++k;  // keep one quote of each doubled pair
        }
        spans_.push_back({off, scratch_.size() - off, true});
      } else {
        spans_.push_back({content, close - content, false});
      }
      if (i < end_ && data_[i] != delim_ && data_[i] != '\n' && data_[i] != '\r') {
        if (!malformed) *error = "unexpected text after a closing quote";
        malformed = true;
        while (i < end_ && data_[i] != delim_ && data_[i] != '\n') ++i;
      }
    } else {
      const size_t s = i;
      while (i < end_ && data_[i] != delim_ && data_[i] != '\n') ++i;
      size_t e = i;
      if (e > s && data_[e - 1] == '\r' && (i >= end_ || data_[i] == '\n')) --e;
      if (spans_.size() >= kMaxCsvFields) {
        oversized = true;
      } else {
        spans_.push_back({s, e - s, false});
      }
    }
    if (i < end_ && data_[i] == delim_) {
      ++i;
      continue;
    }
    // End of record: optional CR, then LF or end of chunk.
    size_t raw_end = i;
    if (i < end_ && data_[i] == '\r') ++i;
    if (i < end_ && data_[i] == '\n') {
      ++line_;
      ++i;
    }
    if (raw_end > record_start && data_[raw_end - 1] == '\r') --raw_end;
    raw_ = data_.substr(record_start, raw_end - record_start);
    break;
  }
  pos_ = i;
  if (oversized || raw_.size() > kMaxCsvRecordBytes) {
    *error = fmt::format(
        "record too large: more than {} fields or {} bytes (is this a CSV file with the right "
        "delimiter and line ends?)",
        kMaxCsvFields, kMaxCsvRecordBytes);
    raw_ = raw_.substr(0, 256);
    return Outcome::kMalformed;
  }
  general_.clear();
  general_ends_.assign(1, kNoEnd);
  for (const Span& sp : spans_) {
    general_.append(sp.scratch ? std::string_view(scratch_).substr(sp.off, sp.len)
                               : data_.substr(sp.off, sp.len));
    general_ends_.push_back(static_cast<uint32_t>(general_.size()));
    general_.push_back(delim_);
  }
  *fields = CsvFields(general_.data(), general_ends_.data(), spans_.size());
  return malformed ? Outcome::kMalformed : Outcome::kRecord;
}

void AppendCsvField(std::string* out, std::string_view f) {
  const bool quote = f.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out->append(f);
    return;
  }
  out->push_back('"');
  for (char c : f) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

int CsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

CsvTableResult ReadCsvTable(std::string_view text, std::string_view name) {
  CsvTableResult out;
  CsvCursor cur(text, {SkipBom(text), text.size(), 1});
  std::vector<std::string_view> fields;
  uint64_t line = 0;
  std::string error;
  auto fail = [&](const std::string& why) {
    out.error = std::string(name) + ":" + std::to_string(line) + ": " + why;
    return out;
  };
  if (cur.Next(&fields, &line, &error) != CsvCursor::Outcome::kRecord) {
    return fail("no header row");
  }
  out.table.header.assign(fields.begin(), fields.end());
  for (;;) {
    const auto outcome = cur.Next(&fields, &line, &error);
    if (outcome == CsvCursor::Outcome::kEnd) break;
    if (outcome == CsvCursor::Outcome::kMalformed) return fail(error);
    if (fields.size() != out.table.header.size()) {
      return fail(std::to_string(fields.size()) + " fields where the header has " +
                  std::to_string(out.table.header.size()));
    }
    out.table.rows.emplace_back(fields.begin(), fields.end());
    out.table.lines.push_back(line);
  }
  out.ok = true;
  return out;
}

}  // namespace valuepact
