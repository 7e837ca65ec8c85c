#include "regf/recovery.hpp"

#include <algorithm>

#include "regf/base_block.hpp"
#include "regf/checksum.hpp"
#include "regf/dirty_vector.hpp"
#include "regf/format.hpp"
#include "regf/log_entry.hpp"
#include "regf/log_file.hpp"
#include "util/bytes.hpp"
#include "util/error.hpp"

namespace hivelint::regf {
namespace {

// Sequence numbers are compared in serial-number order, so that a counter that wrapped past
// 0xFFFFFFFF still counts as newer (yarp does the same when it orders .LOG1 and .LOG2).
bool sequence_before(std::uint32_t a, std::uint32_t b) noexcept {
  return a != b && static_cast<std::uint32_t>(b - a) <= 0x7FFFFFFFu;
}

struct Candidate {
  std::size_t index;  // into RecoveryReport::logs
  LogFile log;
};

void ensure_hive_bins(WritableImage& image, std::uint32_t hive_bins_data_size) {
  const std::size_t need = kBaseBlockSize + std::size_t{hive_bins_data_size};
  if (image.size() < need)
    image.resize(need);  // a log entry may grow the hive (spec "Log entries")
}

std::uint64_t first_hbin_timestamp(std::span<const std::uint8_t> file) {
  if (file.size() < kBaseBlockSize + kHbinHeaderSize) return 0;
  const util::ByteReader hbin(file.subspan(kBaseBlockSize, kHbinHeaderSize), kBaseBlockSize,
                              kHbinStructure);
  return hbin.has_signature("hbin") ? hbin.u64(kHbinTimestamp) : 0;
}

// The base block the recovered image starts from: the file's own when its checksum is right, else
// the log's 512-byte copy (spec "Old format", note 4; "Log entries", note 6), zero-padded to 4096
// bytes.
void install_base_block(WritableImage& image, std::span<const std::uint8_t> source) {
  const std::size_t n = std::min(source.size(), kBaseBlockSize);
  std::fill_n(image.data(), kBaseBlockSize, std::uint8_t{0});
  util::ByteWriter(image.span()).put_bytes(0, source.first(n));
}

// Old format: the dirty hive bins must be sound after the pages are written (spec "Dirty pages":
// signature right and offset matching its place), else Windows aborts with this log. Returns the
// problem, "" if none.
std::string check_dirty_bins(std::span<const std::uint8_t> image, const DirtyVector& v) {
  std::vector<bool> dirty(v.hive_bins_data_size / kOldLogPageSize, false);
  for (const auto& p : v.pages) dirty[p.offset / kOldLogPageSize] = true;
  std::uint64_t at = 0;
  while (at < v.hive_bins_data_size) {
    const std::uint64_t file_at = kBaseBlockSize + at;
    const util::ByteReader h(image.subspan(static_cast<std::size_t>(file_at), kHbinHeaderSize),
                             file_at, kHbinStructure);
    std::string problem;
    std::uint32_t size = 0;
    if (!h.has_signature("hbin")) {
      problem = "signature is not \"hbin\"";
    } else {
      size = h.u32(kHbinSize);
      const std::uint32_t offset = h.u32(kHbinOffset);
      if (offset != at)
        problem =
            "offset field is " + util::hex_offset(offset) + ", expected " + util::hex_offset(at);
      else if (size < kHbinSizeAlignment || size % kHbinSizeAlignment != 0 ||
               size > v.hive_bins_data_size - at)
        problem = "size is " + std::to_string(size) +
                  ", not a multiple of 4096 inside the hive bins data";
    }
    if (!problem.empty()) {
      // Damage the log did not touch is the base file's own (the reader reports it later); only a
      // bin the log rewrote makes the log unusable.
      if (dirty[static_cast<std::size_t>(at / kOldLogPageSize)])
        return h.describe("dirty hive bin: " + problem);
      return "";
    }
    at += size;
  }
  return "";
}

// A valid entry (hashes right) whose sequence number is older than the one expected: left over from
// an earlier cycle of a log that Windows writes from its start again. It ends the log like unused
// space does; it is not damage. An entry with a newer sequence number is a gap and stays an error.
bool is_remnant_entry(std::span<const std::uint8_t> log, std::size_t offset,
                      std::uint32_t expected) {
  if (offset > log.size() || log.size() - offset < kLeHeaderSize) return false;
  const std::uint32_t seq =
      util::ByteReader(log.subspan(offset), offset, "log entry (HvLE)").u32(kLeSequence);
  if (!sequence_before(seq, expected)) return false;
  try {
    (void)parse_log_entry(log, offset, seq);
    return true;
  } catch (
      const FormatError&) {  // damaged as well: reported by the caller with the first problem found
    return false;
  }
}

class Recovery {
 public:
  Recovery(std::span<const std::uint8_t> primary, const std::vector<LogInput>& inputs,
           const HiveImage* file)
      : primary_(primary), inputs_(inputs), file_(file) {}

  RecoveryResult run() {
    std::vector<Diagnostic> ignored;  // the reader reports base-block problems on its own
    base_ = parse_base_block(primary_, ignored);
    auto& rep = result_.report;
    rep.base_block_valid = base_.checksum_ok();
    rep.dirty = !rep.base_block_valid || base_.is_dirty();
    rep.primary_sequence = base_.primary_sequence;
    rep.secondary_sequence = base_.secondary_sequence;

    std::vector<Candidate> news, olds;
    for (std::size_t i = 0; i < inputs_.size() && i < kMaxLogFiles; ++i) {
      LogOutcome out;
      out.label = inputs_[i].label;
      try {
        LogFile log = parse_log_file(inputs_[i].bytes, inputs_[i].label);
        out.format = log_format_name(log.format);
        if (!log.usable()) {
          std::string why;
          for (const auto& p : log.problems) why += (why.empty() ? "" : "; ") + p;
          out.reason = "unusable: " + why;
        } else {
          (log.format == LogFormat::kNew ? news : olds)
              .push_back(Candidate{rep.logs.size(), std::move(log)});
        }
      } catch (const FormatError&
                   e) {  // not a transaction log at all: reported, never fatal to the hive
        out.reason = std::string("not a transaction log: ") + e.what();
      }
      rep.logs.push_back(std::move(out));
    }
    for (std::size_t i = kMaxLogFiles; i < inputs_.size(); ++i)
      rep.logs.push_back(
          LogOutcome{inputs_[i].label,
                     "",
                     false,
                     "not read: more than " + std::to_string(kMaxLogFiles) + " logs given",
                     0,
                     0,
                     {},
                     {}});

    if (!rep.dirty) {
      for (auto& c : news) rep.logs[c.index].reason = clean_reason(c.log);
      for (auto& c : olds) rep.logs[c.index].reason = clean_reason(c.log);
    } else if (!news.empty() && apply_new(news)) {
      rep.format = "new";
      for (auto& c : olds)
        rep.logs[c.index].reason =
            "not applied: new-format logs were applied (Windows 8.1+ writes only those)";
    } else if (!olds.empty() && apply_old(olds)) {
      rep.format = "old";
    }
    for (const auto& l : rep.logs)
      if (!l.reason.empty()) rep.skipped.push_back(l.label + ": " + l.reason);
    if (rep.recovered) {
      result_.smallest_size = image_.smallest_size();
      result_.bytes = std::move(image_);
    }
    return std::move(result_);
  }

 private:
  std::string clean_reason(const LogFile& log) const {
    return "not applied: the hive is clean (sequence " + std::to_string(base_.primary_sequence) +
           "); Windows ignores the logs of a clean hive (this log's sequence number is " +
           std::to_string(log.base.primary_sequence) + ")";
  }

  void start_image() {
    if (image_.empty()) image_ = copy_of_primary();
  }

  // A writable copy of the file as found: a private mapping of the same file when it is mapped (no
  // page copied until written), else memory of its own.
  WritableImage copy_of_primary() const {
    if (file_ && file_->bytes().data() == primary_.data() &&
        file_->bytes().size() == primary_.size())
      if (auto mapped = file_->private_copy()) return std::move(*mapped);
    return WritableImage::copy_of(primary_);
  }

  // Applies the entries of one new-format log. Returns false when it stopped at an invalid entry
  // (which ends the whole recovery: later entries would skip the bogus one).
  bool apply_entries(const Candidate& c) {
    auto& rep = result_.report;
    auto& out = rep.logs[c.index];
    const auto bytes = c.log.bytes;
    std::size_t pos = kLogEntriesOffset;
    std::uint32_t expected = c.log.base.primary_sequence;
    // Entries' hash-1, computed ahead a few at a time (prehash_log_entries), only for entries whose
    // headers hold: an entry whose pages are damaged costs at most the entries after it in the same
    // batch, 16 or 16 MiB, hashed for nothing.
    constexpr std::size_t kPrehashed = 16;
    constexpr std::size_t kPrehashedBytes = 16u << 20;
    std::vector<KnownHash> known;
    std::size_t next_known = 0;
    while (pos < bytes.size() && has_log_entry_signature(bytes, pos)) {
      if (out.entries_applied >= kMaxLogEntries) {
        out.reason =
            "stopped after " + std::to_string(kMaxLogEntries) + " entries (hivelint's cap)";
        return false;
      }
      LogEntry e;
      try {
        // The chain prehash_log_entries follows is the one walked here, entry by entry.
        const auto is_next = [&] {
          return next_known < known.size() &&
                 known[next_known].data == bytes.data() + pos + kLeHeaderSize;
        };
        if (!is_next()) {
          known = prehash_log_entries(bytes, pos, expected, kPrehashed, kPrehashedBytes);
          next_known = 0;
        }
        const KnownHash* k = is_next() ? &known[next_known++] : nullptr;
        e = parse_log_entry(bytes, pos, expected, k);
      } catch (const FormatError&
                   err) {  // Windows stops at the first bogus entry (spec "Log entries", note 7)
        if (is_remnant_entry(bytes, pos, expected))
          break;  // the normal end of a log that is reused in a cycle
        std::size_t later = 0;
        for (std::size_t p = pos + kLeAlignment; p + 4 <= bytes.size(); p += kLeAlignment)
          if (has_log_entry_signature(bytes, p)) ++later;
        out.reason =
            std::string("stopped at an invalid entry: ") + err.what() +
            (later ? "; " + std::to_string(later) + " later entry header(s) in this log not applied"
                   : "");
        return false;
      }
      // A hive grows by whole new bins, and Windows logs every byte of them: growth past what the
      // entry's pages fill would be zeros, so it is damage (and, unchecked, a 512-byte log could
      // demand 2 GiB).
      const std::size_t current = std::max(image_.size(), primary_.size()) - kBaseBlockSize;
      std::size_t page_bytes = 0;
      for (const auto& p : e.pages) page_bytes += p.data.size();
      if (e.hive_bins_data_size > current && e.hive_bins_data_size - current > page_bytes) {
        out.reason = "stopped at an invalid entry: log entry (HvLE) at " + util::hex_offset(pos) +
                     ": " + kLeHiveBinsDataSize.name + " " + std::to_string(e.hive_bins_data_size) +
                     " grows the hive by " + std::to_string(e.hive_bins_data_size - current) +
                     " bytes but its pages hold only " + std::to_string(page_bytes);
        return false;
      }
      start_image();
      ensure_hive_bins(image_, e.hive_bins_data_size);
      // The entry's pages as runs of adjacent pages (note_run; an entry's sequence number is its
      // own, so its first page starts a new run): one call per run breaks their copy-on-write at
      // once (a page fault per page was 40 % of the faults of a check of a hive with 315 dirty
      // pages), then the pages are written.
      const std::size_t first_run = result_.page_runs.size();
      for (const auto& p : e.pages) note_run(p.offset, p.data.size(), c.index, e.sequence);
      for (std::size_t r = first_run; r < result_.page_runs.size(); ++r)
        image_.will_write(kBaseBlockSize + result_.page_runs[r].offset,
                          result_.page_runs[r].length);
      for (const auto& p : e.pages)
        util::ByteWriter(image_.span()).put_bytes(kBaseBlockSize + p.offset, p.data);
      if (!out.first_sequence) out.first_sequence = e.sequence;
      out.last_sequence = e.sequence;
      ++out.entries_applied;
      out.pages_applied += static_cast<std::uint32_t>(e.pages.size());
      ++rep.entries_applied;
      rep.pages_applied += static_cast<std::uint32_t>(e.pages.size());
      last_sequence_ = e.sequence;
      hive_bins_ = e.hive_bins_data_size;
      flags_ = (flags_ & ~kLogEntryFlagMask) | (e.flags & kLogEntryFlagMask);
      out.applied = true;
      pos += e.size;
      expected = e.sequence + 1;
    }
    if (out.entries_applied == 0 && !result_.report.base_block_from_log)
      out.reason = "no entry with sequence number " + std::to_string(expected) + " at " +
                   util::hex_offset(pos) + " (nothing to apply)";
    return true;
  }

  bool apply_new(std::vector<Candidate>& logs) {
    auto& rep = result_.report;
    // Oldest first, in serial-number order around an anchor (the hive's secondary sequence number,
    // or the first log's when the base block is bad): a key relative to one anchor is a strict weak
    // order, which pairwise serial comparison is not (three numbers 2^31 apart would form a cycle).
    const std::uint32_t anchor =
        rep.base_block_valid ? base_.secondary_sequence : logs.front().log.base.primary_sequence;
    const auto key = [anchor](const Candidate& c) {
      return static_cast<std::uint32_t>(c.log.base.primary_sequence - anchor + 0x80000000u);
    };
    std::stable_sort(logs.begin(), logs.end(),
                     [&](const Candidate& a, const Candidate& b) { return key(a) < key(b); });
    if (!rep.base_block_valid) {
      // The base block cannot be trusted, so neither can its sequence numbers: Windows takes the
      // newest log, and that log's copy of the base block (yarp observed the same).
      const Candidate& newest = logs.back();
      for (std::size_t i = 0; i + 1 < logs.size(); ++i)
        rep.logs[logs[i].index].reason =
            "not applied: the hive's base block is bad, so only the newest log (" +
            newest.log.label + ") is used";
      start_image();
      install_base_block(image_, newest.log.bytes.first(kLogBaseBlockSize));
      rep.base_block_from_log = true;
      rep.logs[newest.index].applied = true;
      rep.recovered = true;
      last_sequence_ = newest.log.base.primary_sequence;
      // The copy's hive bins size, but never past the bins the file holds (only entries may grow
      // the hive).
      const std::size_t held =
          (primary_.size() - kBaseBlockSize) / kHbinSizeAlignment * kHbinSizeAlignment;
      hive_bins_ = static_cast<std::uint32_t>(
          std::min<std::size_t>(newest.log.base.hive_bins_data_size, held));
      flags_ = newest.log.base.flags;
      apply_entries(newest);
      finish(hive_bins_);
      return true;
    }
    flags_ = base_.flags;
    hive_bins_ = base_.hive_bins_data_size;
    bool stopped = false;
    std::string stopped_in;
    for (const auto& c : logs) {
      auto& out = rep.logs[c.index];
      const std::uint32_t seq = c.log.base.primary_sequence;
      if (stopped) {
        out.reason = "not applied: recovery stopped at an invalid entry in " + stopped_in;
      } else if (!last_sequence_ && sequence_before(seq, base_.secondary_sequence)) {
        out.reason = "not applied: its sequence number " + std::to_string(seq) +
                     " is older than the hive's secondary sequence number " +
                     std::to_string(base_.secondary_sequence) +
                     " (its entries are already in the hive)";
      } else if (last_sequence_ && seq != *last_sequence_ + 1) {
        out.reason = "not applied: its sequence number " + std::to_string(seq) +
                     " does not continue the last applied entry (" +
                     std::to_string(*last_sequence_) + ")";
      } else if (!apply_entries(c)) {
        stopped = true;
        stopped_in = c.log.label;
      }
    }
    if (!last_sequence_) return false;
    rep.recovered = true;
    finish(hive_bins_);
    return true;
  }

  bool apply_old(std::vector<Candidate>& logs) {
    auto& rep = result_.report;
    const std::uint64_t hive_time =
        rep.base_block_valid ? base_.last_written : first_hbin_timestamp(primary_);
    std::vector<Candidate*> eligible;
    for (auto& c : logs) {
      if (c.log.base.last_written < hive_time)
        rep.logs[c.index].reason = "not applied: its last written timestamp " +
                                   util::hex_short(c.log.base.last_written) +
                                   " is older than the hive's " + util::hex_short(hive_time) +
                                   " (it belongs to an earlier write)";
      else
        eligible.push_back(&c);
    }
    std::stable_sort(eligible.begin(), eligible.end(), [](const Candidate* a, const Candidate* b) {
      return a->log.base.last_written > b->log.base.last_written;
    });
    for (Candidate* c : eligible) {
      auto& out = rep.logs[c->index];
      if (rep.recovered) {
        out.reason = "not applied: a newer log was applied";
        continue;
      }
      const std::uint32_t hbins = c->log.base.hive_bins_data_size;
      const std::size_t current = primary_.size() - kBaseBlockSize;
      DirtyVector v;
      try {
        v = parse_dirty_vector(c->log.bytes, hbins);
      } catch (const FormatError& e) {  // Windows then switches to another log (spec "Multiple
                                        // transaction log files")
        out.reason = std::string("not applied: ") + e.what();
        continue;
      }
      if (hbins > current &&
          hbins - current > v.pages.size() * kOldLogPageSize) {  // as for new-format entries
        out.reason = "not applied: its hive bins data size " + std::to_string(hbins) +
                     " grows the hive by " + std::to_string(hbins - current) +
                     " bytes but its dirty pages hold only " +
                     std::to_string(v.pages.size() * kOldLogPageSize);
        continue;
      }
      WritableImage trial = copy_of_primary();
      ensure_hive_bins(trial, hbins);
      for (const auto& p : v.pages)
        util::ByteWriter(trial.span()).put_bytes(kBaseBlockSize + p.offset, p.data);
      if (const std::string problem = check_dirty_bins(trial, v); !problem.empty()) {
        out.reason = "not applied: " + problem;
        continue;
      }
      image_ = std::move(trial);
      for (const auto& p : v.pages)
        note_run(p.offset, p.data.size(), c->index, c->log.base.primary_sequence);
      if (!rep.base_block_valid) {
        install_base_block(image_, c->log.bytes.first(kLogBaseBlockSize));
        rep.base_block_from_log = true;
      }
      out.applied = true;
      out.pages_applied = static_cast<std::uint32_t>(v.pages.size());
      rep.pages_applied = out.pages_applied;
      rep.recovered = true;
      last_sequence_ = c->log.base.primary_sequence;
      flags_ = rep.base_block_valid ? base_.flags : c->log.base.flags;
      finish(hbins);
    }
    return rep.recovered;
  }

  void finish(std::uint32_t hive_bins_data_size) {
    auto& rep = result_.report;
    start_image();
    ensure_hive_bins(image_, hive_bins_data_size);
    util::ByteWriter w(image_.span());
    w.put_u32(kBbHiveBinsDataSize, 0, hive_bins_data_size);
    w.put_u32(kBbFlags, 0, flags_);
    w.put_u32(kBbFileFormat, 0, kFileFormatDirectMemoryLoad);
    write_clean_base_block(image_.span(), *last_sequence_);
    rep.sequence = last_sequence_;
    rep.hive_bins_data_size = hive_bins_data_size;
  }

  // Pages of one entry are usually adjacent: one run for them keeps the map small.
  void note_run(std::uint32_t offset, std::size_t length, std::size_t log, std::uint32_t sequence) {
    auto& runs = result_.page_runs;
    const auto len = static_cast<std::uint32_t>(length);
    if (!runs.empty() && runs.back().log == log && runs.back().sequence == sequence &&
        std::uint64_t{runs.back().offset} + runs.back().length == offset) {
      runs.back().length += len;
      return;
    }
    runs.push_back(PageRun{offset, len, static_cast<std::uint32_t>(log), sequence});
  }

  std::span<const std::uint8_t> primary_;
  const std::vector<LogInput>& inputs_;
  const HiveImage* file_;  // the file `primary_` was read from, if any
  BaseBlock base_;
  RecoveryResult result_;
  WritableImage image_;
  std::optional<std::uint32_t> last_sequence_;
  std::uint32_t hive_bins_ = 0;
  std::uint32_t flags_ = 0;
};

std::string join_labels(const std::vector<LogOutcome>& logs) {
  std::string s;
  for (const auto& l : logs)
    if (l.applied) s += (s.empty() ? "" : ", ") + l.label;
  return s;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace

std::string RecoveryReport::summary() const {
  const std::string seqs =
      std::to_string(primary_sequence) + "/" + std::to_string(secondary_sequence);
  if (!dirty)
    return "clean (sequence " + seqs + ")" + (logs.empty() ? "" : "; transaction logs not needed");
  std::string s =
      "dirty (sequence " + seqs + (base_block_valid ? "" : ", bad base-block checksum") + ")";
  if (!recovered && !not_used.empty()) {
    s += "; logs not used (--no-logs): " + join_names(not_used) + ": analysing the file as it is";
  } else if (!recovered) {
    s += logs.empty() ? "; no transaction log found: analysing the file as it is"
                      : "; no applicable transaction log: analysing the file as it is";
  } else {
    if (format == "new")
      s += "; replayed " + std::to_string(entries_applied) + " log entr" +
           (entries_applied == 1 ? "y" : "ies") + " (" + std::to_string(pages_applied) +
           " dirty page" + (pages_applied == 1 ? "" : "s") + ") from " + join_labels(logs);
    else
      s += "; applied " + std::to_string(pages_applied) + " dirty page" +
           (pages_applied == 1 ? "" : "s") + " (old format) from " + join_labels(logs);
    if (base_block_from_log) s += "; base block rebuilt from the log's copy";
    if (sequence) s += "; recovered hive is at sequence " + std::to_string(*sequence);
  }
  if (!skipped.empty())
    s += "; " + std::to_string(skipped.size()) + " log" + (skipped.size() == 1 ? "" : "s") +
         " not applied or stopped early";
  return s;
}

const PageRun* page_source(const std::vector<PageRun>& runs, std::uint64_t file_offset) {
  if (file_offset < kBaseBlockSize) return nullptr;
  const std::uint64_t at = file_offset - kBaseBlockSize;
  for (auto it = runs.rbegin(); it != runs.rend(); ++it)  // the last write wins
    if (at >= it->offset && at - it->offset < it->length) return &*it;
  return nullptr;
}

RecoveryResult recover_hive(std::span<const std::uint8_t> primary,
                            const std::vector<LogInput>& logs, const HiveImage* file) {
  return Recovery(primary, logs, file).run();
}

void write_clean_base_block(std::span<std::uint8_t> image, std::uint32_t sequence) {
  if (image.size() < kBaseBlockSize)
    util::ByteReader(image, 0, kBaseBlockStructure)
        .fail("needs 4096 bytes, the image has only " + std::to_string(image.size()));
  util::ByteWriter w(image);
  w.put_u32(kBbPrimarySequence, 0, sequence);
  w.put_u32(kBbSecondarySequence, 0, sequence);
  w.put_u32(kBbFileType, 0, kFileTypePrimary);
  w.put_u32(kBbChecksum, 0,
            base_block_checksum(std::span<const std::uint8_t>(image).first(kBaseBlockSize)));
}

}  // namespace hivelint::regf
