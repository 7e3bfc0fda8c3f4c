// vigil bench: the time of one Invoke of a model on random inputs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include <nlohmann/json.hpp>

#include "apps/vigil/commands.h"
#include "host/build_info.h"
#include "host/command_line.h"
#include "host/error.h"
#include "host/loaded_model.h"

namespace vigil {

int RunBenchCommand(int argc, char** argv) {
  CommandLine cli(
      "vigil bench",
      "Time Invoke of a model on random inputs (one thread): median, p90, arena bytes.");
  std::string path;
  int iterations = 200, warmup = 10;
  bool json = false;
  cli.Positional("MODEL.vgl", &path, "the model file");
  cli.Option("-n", "--iterations", &iterations, "N", "timed runs (default 200)",
             IntegerRange{1, 10000000});
  cli.Option("", "--warmup", &warmup, "N", "untimed runs first (default 10)",
             IntegerRange{0, 10000000});
  cli.Flag("", "--json", &json, "print JSON");
  if (auto code = cli.Parse(argc, argv)) return *code;
  LoadedModel model = LoadedModel::FromFile(path);
  std::mt19937 rng(1234);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (int i = 0; i < model.interpreter().input_count(); ++i) {
    std::vector<float> values(
        static_cast<size_t>(model.interpreter().input(i).shape.ElementCount()));
    for (float& v : values)
      v = normal(rng);
    model.SetInput(i, values);
  }
  for (int i = 0; i < warmup; ++i)
    model.Invoke();
  std::vector<double> ms;
  for (int i = 0; i < iterations; ++i) {
    auto start = std::chrono::steady_clock::now();
    model.Invoke();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
  }
  std::sort(ms.begin(), ms.end());
  auto percentile = [&](double p) {
    return ms[std::min(ms.size() - 1,
                       static_cast<size_t>(p * static_cast<double>(ms.size() - 1) + 0.5))];
  };
  double mean = 0;
  for (double v : ms)
    mean += v;
  mean /= static_cast<double>(ms.size());
  BuildInfo info = CurrentBuildInfo();
  nlohmann::json j = {{"model", path},
                      {"iterations", iterations},
                      {"warmup", warmup},
                      {"median_ms", percentile(0.5)},
                      {"p90_ms", percentile(0.9)},
                      {"min_ms", ms.front()},
                      {"mean_ms", mean},
                      {"arena_bytes", model.arena_bytes()},
                      {"model_file_bytes", model.file_bytes()},
                      {"threads", 1},
                      {"commit", info.commit},
                      {"date", info.generated_at},
                      {"host", info.host}};
  if (json) {
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf(
        "%s: median %.4f ms, p90 %.4f ms, min %.4f ms over %d runs (1 thread); arena %zu bytes\n",
        path.c_str(), percentile(0.5), percentile(0.9), ms.front(), iterations,
        model.arena_bytes());
  }
  return 0;
}

}  // namespace vigil
