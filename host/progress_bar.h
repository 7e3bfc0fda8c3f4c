// ProgressBar: shows long work on stderr ("calibrating [#####.....] 512/1024 0:12 left").
// Redraws in place on a terminal; on a pipe or log it prints a line every 10 %.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace vigil {

class ProgressBar {
 public:
  ProgressBar(std::string label, int64_t total, bool enabled = true);
  ~ProgressBar();
  void Update(int64_t done);
  void Finish();

 private:
  std::string label_;
  int64_t total_;
  bool enabled_, tty_, finished_ = false;
  int last_decile_ = -1;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace vigil
