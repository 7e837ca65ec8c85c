// `hivelint deleted`: what the free cells of one hive still hold (regf::carve_hive), as text or
// JSON. The file is carved as found: log replay would write over free space, and the point is what
// is left in it. Exit 0 when carved (whatever it found), 3 unreadable.
#include "cli/evaluate.hpp"
#include "cli/run.hpp"
#include "regf/hive_image.hpp"
#include "report/deleted_report.hpp"

namespace hivelint::cli {

ExitCode run_deleted(const DeletedConfig& config, Output& output) {
  report::DeletedReport report;
  report.hive = config.hive;
  report.provenance =
      run_provenance(output, "hivelint", std::nullopt);  // the carve is hivelint's own reading
  ExitCode code = ExitCode::kOk;
  try {
    const regf::HiveImage image = regf::HiveImage::load(config.hive);
    // The pages the carve has passed are let go as it goes: the whole hive is read, and it need not
    // all be resident at once.
    report.result =
        regf::carve_hive(image.bytes(), report.diagnostics, {}, image.releasing_behind());
  } catch (const Error& e) {  // FormatError / InputError: not a hive at all
    report.error = e.what();
    output.error() << "hivelint: " << config.hive << ": " << e.what()
                   << "\n";  // stops the command: shown under -q
    code = e.exit_code();
  }
  if (config.format == Format::kJson)
    report::write_deleted_json(report, output.out);
  else
    report::render_deleted_text(report, output.out);
  return code;
}

}  // namespace hivelint::cli
