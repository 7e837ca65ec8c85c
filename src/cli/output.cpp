#include "cli/output.hpp"

#include <streambuf>
#include <string>
#include <vector>

#include <filesystem>

#include "util/atomic_file.hpp"
#include "util/control_chars.hpp"

namespace hivelint::cli {
namespace {
class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
};
}  // namespace

std::ostream& Output::null_stream() {
  static NullBuffer buffer;
  static std::ostream stream(&buffer);
  return stream;
}

std::string about_input(const std::string& path, const std::string& message) {
  const std::string prefix = path + ": ";
  if (message.compare(0, prefix.size(), prefix) == 0) return "hivelint: " + message + "\n";
  return "hivelint: " + prefix + message + "\n";
}

ExitCode with_report_file(const std::optional<std::string>& file, bool force,
                          const std::vector<std::string>& inputs, Output& output,
                          const std::function<ExitCode(Output&)>& body) {
  if (!file || *file == "-") {
    if (!output.quiet) return body(output);
    Output silent{Output::null_stream(), output.err, true, output.argv, output.started_at};
    return body(silent);
  }
  const std::filesystem::path target = *file;
  std::vector<std::filesystem::path> input_paths(inputs.begin(), inputs.end());
  util::refuse_overwriting_inputs(target, input_paths);
  util::AtomicFileWrite report(target, util::AtomicWriteOptions{force});
  ExitCode code = ExitCode::kOk;
  {
    // The file gets the bytes stdout would have had, control characters from hive data escaped
    // alike.
    const TerminalSafe safe(report.stream());
    Output to_file{report.stream(), output.err, output.quiet, output.argv, output.started_at};
    code = body(to_file);
  }
  report.commit([](std::span<const std::uint8_t>) {
  });  // the size read back is checked; the text was streamed
  return code;
}

}  // namespace hivelint::cli

namespace hivelint::cli {

// Unbuffered itself (every piece goes on at once, so a line written by `check --format jsonl`
// reaches the reader when it did before); the destination keeps its own buffering.
class TerminalSafe::Buffer : public std::streambuf {
 public:
  explicit Buffer(std::streambuf* dest) : dest_(dest), escaper_({true, true}) {}
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    const char ch = traits_type::to_char_type(c);
    return pass(std::string_view(&ch, 1), false) ? c : traits_type::eof();
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    return pass(std::string_view(s, static_cast<std::size_t>(n)), false) ? n : 0;
  }
  int sync() override { return dest_->pubsync() == 0 ? 0 : -1; }
  bool pass(std::string_view bytes, bool final) {
    out_.clear();
    escaper_.feed(bytes, out_);
    if (final) escaper_.finish(out_);
    return dest_->sputn(out_.data(), static_cast<std::streamsize>(out_.size())) ==
           static_cast<std::streamsize>(out_.size());
  }

  std::streambuf* dest_;

 private:
  util::ControlEscaper escaper_;
  std::string out_;
};

TerminalSafe::TerminalSafe(std::ostream& stream) : stream_(stream), original_(stream.rdbuf()) {
  buffer_ = std::make_unique<Buffer>(original_);
  const std::ios_base::iostate state = stream_.rdstate();
  stream_.rdbuf(buffer_.get());  // rdbuf() resets the state: keep what was there
  stream_.clear(state);
}

std::streambuf* TerminalSafe::unfiltered(std::ostream& stream) {
  auto* filtered = dynamic_cast<Buffer*>(stream.rdbuf());
  return filtered ? filtered->dest_ : stream.rdbuf();
}

TerminalSafe::~TerminalSafe() {
  const bool ok = buffer_->pass({}, true);
  const std::ios_base::iostate state = stream_.rdstate();
  stream_.rdbuf(original_);  // rdbuf() resets the state: carry errors over
  stream_.clear(state | (ok ? std::ios_base::goodbit : std::ios_base::badbit));
}

}  // namespace hivelint::cli
