#include <cstdlib>
#include <iostream>

#include "fuzz/fuzz_targets.hpp"

namespace hivelint::fuzz {

void fail(const char* target, const std::string& what) {
  std::cerr << "fuzz target " << target << ": " << what << std::endl;
  std::abort();
}

}  // namespace hivelint::fuzz
