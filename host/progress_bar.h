// ProgressBar: shows long work on stderr ("calibrating [#####.....] 512/1024 50% 12s left").
// Redraws in place on a terminal; on a pipe or log it prints a line each time the work crosses
// another 10 %, with the exact percentage done ("calibrating: 1/3 (33%)").
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace vigil {

// Whole percent of `total` that `done` is, rounded down (never 100 before the end), in [0, 100].
int PercentDone(int64_t done, int64_t total);

class ProgressBar {
 public:
  ProgressBar(std::string label, int64_t total, bool enabled = true);
  // Writes to `out` instead of stderr, as a terminal (redrawn line) or a log (tests use this).
  ProgressBar(std::string label, int64_t total, std::FILE* out, bool tty);
  ~ProgressBar();
  void Update(int64_t done);
  void Finish();

 private:
  std::string label_;
  int64_t total_;
  std::FILE* out_;
  bool enabled_, tty_, finished_ = false;
  int last_decile_ = -1;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace vigil
