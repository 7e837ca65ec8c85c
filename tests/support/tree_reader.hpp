// Test support: a HiveReader over an in-memory regf::TreeKey, and a fluent way to build such trees.
// Lets rules tests state a hive's content in a few readable lines without writing a file.
#pragma once
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "hive/hive_reader.hpp"
#include "regf/tree.hpp"

namespace hivelint::test {

class TreeReader final : public hive::HiveReader {
 public:
  explicit TreeReader(regf::TreeKey root) : root_(std::move(root)) {}
  std::optional<hive::KeyInfo> key(const hive::KeyPath& path) const override;
  std::vector<std::string> subkey_names(const hive::KeyPath& path) const override;
  std::optional<hive::Value> value(const hive::KeyPath& path, std::string_view name) const override;
  std::vector<hive::Value> values(const hive::KeyPath& path) const override;
  std::vector<regf::Diagnostic> diagnostics() const override { return {}; }
  std::string backend_name() const override { return "test-tree"; }

 private:
  const regf::TreeKey* find(const hive::KeyPath& path, std::vector<std::string>* stored) const;
  regf::TreeKey root_;
};

/// Forwards to another reader and counts the questions that reach it (how many lookups a cache or a
/// rule costs, stated without timing anything). `throw_next` makes the next key() throw once, as a
/// damaged hive would.
class CountingReader final : public hive::HiveReader {
 public:
  explicit CountingReader(const hive::HiveReader& inner) : inner_(inner) {}
  std::optional<hive::KeyInfo> key(const hive::KeyPath& path) const override;
  std::vector<std::string> subkey_names(const hive::KeyPath& path) const override {
    ++calls;
    return inner_.subkey_names(path);
  }
  std::optional<hive::Value> value(const hive::KeyPath& path,
                                   std::string_view name) const override {
    ++calls;
    return inner_.value(path, name);
  }
  std::vector<hive::Value> values(const hive::KeyPath& path) const override {
    ++calls;
    return inner_.values(path);
  }
  std::vector<regf::Diagnostic> diagnostics() const override { return {}; }
  std::string backend_name() const override { return "test-counting"; }

  mutable std::size_t calls = 0;
  mutable bool throw_next = false;

 private:
  const hive::HiveReader& inner_;
};

/// Builds trees: Tree{}.key("Select").dword("Current",
/// 1).key("ControlSet001\\Services\\SMTPSVC")...
class Tree {
 public:
  Tree();
  /// Ensures the key exists (creating parents) and makes it the target of the following value
  /// calls.
  Tree& key(const std::string& path);
  Tree& dword(const std::string& name, std::uint32_t v);
  Tree& sz(const std::string& name, const std::string& text);
  Tree& expand_sz(const std::string& name, const std::string& text);
  Tree& multi_sz(const std::string& name, const std::vector<std::string>& entries);
  Tree& raw(const std::string& name, std::uint32_t type, std::vector<std::uint8_t> data);
  regf::TreeKey build() const { return root_; }
  TreeReader reader() const { return TreeReader(root_); }

 private:
  regf::TreeKey root_;
  std::string current_;
};

/// A SYSTEM tree with Select (Current=Default=current, LastKnownGood=lkg, Failed=0) and the five
/// Exchange protocol services in each listed ControlSet; no InetInfo key (tests add the variant
/// they need).
Tree exchange_system(std::initializer_list<unsigned> sets, unsigned current, unsigned lkg);

}  // namespace hivelint::test
