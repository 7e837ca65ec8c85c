// Control characters from hive data (names, strings, file names) made visible instead of obeyed: an
// ESC sequence can retitle or clear the analyst's terminal and a CR can overwrite a line with a
// fake verdict (D18 of the adversarial review); in a .reg comment a CR/LF starts a line regedit
// executes (D5).
//
//   C0 (U+0000..U+001F) and DEL      \r \n \t as such, others \x1b style (two lowercase hex digits)
//   C1 (U+0080..U+009F)              \u009b style (valid JSON, so the filter may run over JSON
//   output too) bytes that are not UTF-8         \xff style
// A literal backslash is not escaped: Windows paths are full of them, so `\x1b` in the output is
// ambiguous with a name that spells it; the guarantee is only that no control character reaches the
// terminal.
#pragma once
#include <string>
#include <string_view>

namespace hivelint::util {

struct ControlEscapeOptions {
  bool keep_newline = false;  // pass LF through (whole lines of text output)
  bool keep_tab = false;      // pass TAB through
};

/// Streaming form, for text that arrives in pieces (a UTF-8 sequence may be split between two
/// feeds).
class ControlEscaper {
 public:
  explicit ControlEscaper(ControlEscapeOptions options = {}) : options_(options) {}
  /// Appends the escaped form of `bytes` to `out`; an incomplete UTF-8 sequence at the end is held
  /// back.
  void feed(std::string_view bytes, std::string& out);
  /// Appends what is held back (an incomplete sequence, escaped byte by byte).
  void finish(std::string& out);

 private:
  ControlEscapeOptions options_;
  std::string pending_;  // the start of a UTF-8 sequence not yet complete
};

/// `text` with every control character and invalid byte escaped (see above).
std::string escape_controls(std::string_view text, ControlEscapeOptions options = {});

}  // namespace hivelint::util
