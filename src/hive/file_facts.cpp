#include "hive/file_facts.hpp"

#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <system_error>

#include "hive/open.hpp"
#include "util/sha256.hpp"

namespace hivelint::hive {

std::optional<std::string> unix_time_to_iso8601(std::int64_t seconds, std::uint32_t nanoseconds) {
  if (nanoseconds >= 1000000000u) return std::nullopt;
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (::gmtime_r(&t, &tm) == nullptr || tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
    return std::nullopt;
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%09uZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<unsigned>(nanoseconds));
  return std::string(text);
}

Sha256Hex::Sha256Hex(std::string hex) {
  std::promise<std::string> known;
  known.set_value(std::move(hex));
  future_ = known.get_future().share();
}

namespace {

constexpr std::size_t kHashRun = 4u << 20;

// The hash of a hive on its own thread. Once the hash is all that holds the image (a log replay
// gave the readers a private mapping of the same file), the pages hashed are let go: each page
// mapped by both would count twice in the resident set (a dirty 514 MiB hive: 702-916 MiB instead
// of 550). While the readers share the image its pages stay, as they would have to be read again.
std::string hash_on_thread(const std::shared_ptr<const regf::HiveImage>& image) {
  util::Sha256 sha;
  const auto bytes = image->bytes();
  std::size_t released = 0;
  for (std::size_t at = 0; at < bytes.size(); at += kHashRun) {
    const auto run = bytes.subspan(at, std::min(kHashRun, bytes.size() - at));
    sha.update(run);
    if (image.use_count() == 1) {
      image->release_pages(released, at + run.size());
      released = at + run.size();
    }
  }
  return sha.hex();
}

}  // namespace

Sha256Hex Sha256Hex::of_async(std::shared_ptr<const regf::HiveImage> image) {
  Sha256Hex h;
  try {
    // The image is let go as soon as it is hashed, not when the last report holding this hash is
    // gone (the shared state keeps its function until then): a batch's mappings do not pile up.
    h.future_ = std::async(std::launch::async, [image]() mutable {
                  std::string hex = hash_on_thread(image);
                  image.reset();
                  return hex;
                }).share();
  } catch (
      const std::system_error&) {  // no thread to be had (a ulimit, --jobs 250): hash here and now
    return Sha256Hex(util::sha256_hex(image->bytes()));
  }
  return h;
}

Sha256Hex Sha256Hex::not_computed() {
  Sha256Hex h;
  h.skipped_ = true;
  return h;
}

const std::string& Sha256Hex::hex() const {
  if (skipped_)
    throw std::logic_error(
        "a report asked for a SHA-256 that was not computed (OpenOptions::hash_now)");
  static const std::string none;
  return future_.valid() ? future_.get() : none;
}

namespace {

FileFacts facts_without_hash(const regf::HiveImage& image) {
  FileFacts f;
  f.path = image.label();
  f.size = image.bytes().size();
  if (image.modified())
    f.mtime = unix_time_to_iso8601(image.modified()->seconds, image.modified()->nanoseconds);
  return f;
}

}  // namespace

FileFacts file_facts(const regf::HiveImage& image) {
  FileFacts f = facts_without_hash(image);
  f.sha256 = Sha256Hex(util::sha256_hex(image.bytes()));
  return f;
}

FileFacts file_facts(const regf::HiveImage& image, bool hash_now) {
  if (hash_now) return file_facts(image);
  FileFacts f = facts_without_hash(image);
  f.sha256 = Sha256Hex::not_computed();
  return f;
}

FileFacts file_facts_async(std::shared_ptr<const regf::HiveImage> image, bool hash_now) {
  // Below kSideWorkOnThreadsFrom a hash takes a few milliseconds: not worth a thread, whose stack
  // and arena would count against an address-space limit in a batch of many small hives
  // (hostile_bounds: --jobs 250 under 1.5 GiB).
  if (!hash_now || image->bytes().size() < kSideWorkOnThreadsFrom)
    return file_facts(*image, hash_now);
  FileFacts f = facts_without_hash(*image);
  f.sha256 = Sha256Hex::of_async(std::move(image));
  return f;
}

}  // namespace hivelint::hive
