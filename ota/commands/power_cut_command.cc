// `vigil device simulate-power-cuts`: the power-cut campaign (ota/sim/power_cut_campaign.h) with a
// JSON result (the evidence file docs/evidence/power_cuts.json is this command's --json output)
// and an HTML report.
#include <cstdio>
#include <memory>

#include <nlohmann/json.hpp>

#include "host/atomic_file.h"
#include "host/build_info.h"
#include "host/command_line.h"
#include "host/html_report.h"
#include "host/progress_bar.h"
#include "host/svg_chart.h"
#include "ota/sim/power_cut_campaign.h"

namespace vigil::ota {

int RunSimulatePowerCuts(int argc, char** argv) {
  CommandLine cli(
      "vigil device simulate-power-cuts",
      "Cut the power before every storage operation of a model update and of a revert, then in "
      "random repeated places, restart each time and check that exactly one intact model runs.");
  int runs = 10000, max_cuts = 4, seed = 20240611;
  bool json = false;
  std::string output, html;
  cli.Option("", "--runs", &runs, "N", "random runs (default 10000)", IntegerRange{0, 100000000});
  cli.Option("", "--max-cuts", &max_cuts, "K", "at most K cuts per random run (default 4)",
             IntegerRange{1, 1000});
  cli.Option("", "--seed", &seed, "S", "seed of the random runs and crash outcomes",
             IntegerRange{0, INT32_MAX});
  cli.Flag("", "--json", &json, "print the result as JSON");
  cli.Option("-o", "--output", &output, "FILE.json",
             "also write the JSON result here (atomically)");
  cli.Option("", "--html", &html, "FILE.html", "write an HTML report");
  if (auto code = cli.Parse(argc, argv)) return *code;
  sim::PowerCutConfig config;
  config.random_runs = runs;
  config.max_cuts_per_run = max_cuts;
  config.seed = static_cast<uint64_t>(seed);
  std::unique_ptr<ProgressBar> progress;
  config.progress = [&](int64_t done, int64_t total) {
    if (!progress) progress = std::make_unique<ProgressBar>("power cuts", total, true);
    progress->Update(done);
  };
  sim::PowerCutReport r = sim::RunPowerCutCampaign(config);
  if (progress) progress->Finish();
  std::string command = "vigil device";
  for (int i = 0; i < argc; ++i)
    command += std::string(" ") + argv[i];
  nlohmann::json result = EvidenceProvenance(command);
  result.update(
      {{"operations_counted",
        {{"update", r.update_operations},
         {"revert", r.revert_operations},
         {"update_writes", r.writes},
         {"update_syncs", r.syncs},
         {"update_erases", r.erases}}},
       {"cut_points", {{"update", r.update_operations}, {"revert", r.revert_operations}}},
       {"cut_points_covered",
        {{"update", r.update_cut_points_covered}, {"revert", r.revert_cut_points_covered}}},
       {"random_runs", r.random_runs},
       {"random_cuts", r.random_cuts},
       {"max_cuts_per_run", max_cuts},
       {"seed", seed},
       {"failures", r.failures},
       {"failure_examples", r.failure_examples}});
  if (!output.empty()) WriteFileAtomic(output, result.dump(2) + "\n");
  if (!html.empty()) {
    HtmlReport report("Power-cut campaign");
    report.Paragraph(
        "Every storage operation of a full update and a full revert was preceded by a power cut in "
        "turn; "
        "unsynced writes were kept, lost or torn at random; each restart checked that exactly one "
        "intact "
        "model runs, the counter never decreased and the audit log verifies.");
    svg::BarChart chart;
    chart.title = "Cut points covered";
    chart.y_label = "operations";
    chart.categories = {"update", "revert"};
    chart.groups = {{"operations", {double(r.update_operations), double(r.revert_operations)}},
                    {"cut and recovered",
                     {double(r.update_cut_points_covered), double(r.revert_cut_points_covered)}}};
    report.Figure(svg::Render(chart), "Each operation of the two scenarios was a cut point.");
    report.KeyValues({{"random runs", std::to_string(r.random_runs)},
                      {"random cuts", std::to_string(r.random_cuts)},
                      {"failures", std::to_string(r.failures)},
                      {"command", command}});
    report.Write(html);
  }
  if (json) {
    std::printf("%s\n", result.dump(2).c_str());
  } else {
    std::printf(
        "operations counted: update %lld, revert %lld\ncut points covered: update %lld/%lld, "
        "revert %lld/%lld\n"
        "random runs: %lld with %lld cuts\nfailures: %lld\n",
        (long long)r.update_operations, (long long)r.revert_operations,
        (long long)r.update_cut_points_covered, (long long)r.update_operations,
        (long long)r.revert_cut_points_covered, (long long)r.revert_operations,
        (long long)r.random_runs, (long long)r.random_cuts, (long long)r.failures);
    for (const std::string& f : r.failure_examples)
      std::printf("  failure: %s\n", f.c_str());
  }
  return r.failures == 0 ? 0 : 1;
}

}  // namespace vigil::ota
