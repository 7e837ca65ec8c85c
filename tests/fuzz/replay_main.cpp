// Replays every file under corpus/<target>/ and regressions/<target>/ through that target's entry
// function (fuzz_targets.hpp), without libFuzzer: built with g++ on every build and run by ctest,
// so each crash the fuzzer ever found stays fixed. A target aborts on a bug; an unexpected
// exception escapes to std::terminate.
//
//   hivelint_fuzz_replay DIR...     (each DIR holds one subdirectory per target)
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <vector>

#include "fuzz/fuzz_targets.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  const std::map<std::string, std::function<void(std::span<const std::uint8_t>)>> targets = {
      {"regf_reader", hivelint::fuzz::regf_reader},
      {"libregf_rules", hivelint::fuzz::libregf_rules},
      {"reg_parser", hivelint::fuzz::reg_parser},
      {"builder_roundtrip", hivelint::fuzz::builder_roundtrip},
      {"editor", hivelint::fuzz::editor},
      {"recovery", hivelint::fuzz::recovery},
      {"rule_loader", hivelint::fuzz::rule_loader},
      {"carver", hivelint::fuzz::carver},
      {"event_logs", hivelint::fuzz::event_logs},
      {"json_text", hivelint::fuzz::json_text},
  };
  std::map<std::string, std::size_t> replayed;
  for (int a = 1; a < argc; ++a) {
    const fs::path dir = argv[a];
    if (!fs::is_directory(dir)) {
      std::cerr << "replay: " << dir << " is not a directory\n";
      return 2;
    }
    for (const auto& sub : fs::directory_iterator(dir)) {
      if (!sub.is_directory()) continue;
      const auto target = targets.find(sub.path().filename().string());
      if (target == targets.end()) {
        std::cerr << "replay: " << sub.path() << " names no fuzz target\n";
        return 2;
      }
      std::vector<fs::path> files;
      for (const auto& f : fs::directory_iterator(sub.path()))
        if (f.is_regular_file() && f.path().filename() != "README.md") files.push_back(f.path());
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                              std::istreambuf_iterator<char>());
        std::cerr << "replay: " << target->first << " " << f.filename().string() << "\n";
        target->second(bytes);
        ++replayed[target->first];
      }
    }
  }
  std::size_t total = 0;
  for (const auto& [name, n] : replayed) {
    std::cout << "replay: " << name << ": " << n << " inputs\n";
    total += n;
  }
  // Every target must have inputs, or the test would pass while replaying nothing.
  for (const auto& [name, fn] : targets)
    if (replayed[name] == 0) {
      std::cerr << "replay: no inputs for target " << name << "\n";
      return 1;
    }
  std::cout << "replay: " << total << " inputs, all fine\n";
  return 0;
}
