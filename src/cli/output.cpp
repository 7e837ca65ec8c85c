#include "cli/output.hpp"

#include <streambuf>

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

}  // namespace hivelint::cli
