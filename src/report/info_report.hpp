// `hivelint info`: a hive's header, root, control sets and Select values.
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "regf/diagnostics.hpp"
#include "regf/recovery.hpp"
#include "report/provenance.hpp"
#include "rules/machine_identity.hpp"

namespace hivelint::report {

struct HiveInfo {
  std::string hive;     // path as given
  std::string error;    // set when the hive could not be read
  std::string backend;  // the reader used: libregf | hivelint
  std::uint64_t file_size = 0;
  std::uint32_t major_version = 0, minor_version = 0;
  std::uint32_t primary_sequence = 0, secondary_sequence = 0;  // of the file as found
  bool dirty = false;             // the file as found; the other fields describe the hive analysed
  regf::RecoveryReport recovery;  // log replay: what was applied to get the hive analysed
  std::optional<hive::InputFiles>
      inputs;                // size, mtime, SHA-256 of the hive file and the logs read
  std::string last_written;  // ISO 8601 UTC
  std::uint32_t file_type = 0, file_format = 0;
  std::uint32_t root_cell_offset = 0;
  std::uint32_t hive_bins_data_size = 0;
  std::uint32_t stored_checksum = 0, computed_checksum = 0;
  std::string embedded_file_name;  // base block "file name" field
  std::string root_name;
  std::vector<std::string> root_subkeys;
  std::vector<std::string> control_sets;  // ControlSetNNN names present
  bool select_present = false;
  std::optional<std::uint32_t> select_current, select_default, select_failed,
      select_last_known_good;
  std::string hive_kind;  // rules::classify_hive: SYSTEM, SOFTWARE, SAM, NTUSER ... or other
  std::optional<rules::MachineIdentity>
      machine;                    // a SYSTEM hive's identity and time zone (current ControlSet)
  std::vector<std::string> logs;  // found beside the file
  std::vector<std::string> warnings;
  std::vector<regf::Diagnostic> diagnostics;
};

std::string render_info_json(const std::vector<HiveInfo>& infos,
                             const std::optional<Provenance>& provenance);
void render_info_text(const std::vector<HiveInfo>& infos, std::ostream& out);

}  // namespace hivelint::report
