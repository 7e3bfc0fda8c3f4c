#include "host/progress_bar.h"

#include <unistd.h>

#include <cstdio>

namespace vigil {

ProgressBar::ProgressBar(std::string label, int64_t total, bool enabled)
    : label_(std::move(label)),
      total_(total > 0 ? total : 1),
      enabled_(enabled),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Update(int64_t done) {
  if (!enabled_ || finished_) return;
  auto now = std::chrono::steady_clock::now();
  double fraction = static_cast<double>(done) / static_cast<double>(total_);
  double elapsed = std::chrono::duration<double>(now - start_).count();
  double left = fraction > 0 ? elapsed / fraction - elapsed : 0;
  if (tty_) {
    if (done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    int filled = static_cast<int>(fraction * 30);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.append(static_cast<size_t>(30 - filled), '.');
    std::fprintf(stderr, "\r%s [%s] %lld/%lld %.0fs left ", label_.c_str(), bar.c_str(),
                 static_cast<long long>(done), static_cast<long long>(total_), left);
  } else {
    int decile = static_cast<int>(fraction * 10);
    if (decile == last_decile_) return;
    last_decile_ = decile;
    std::fprintf(stderr, "%s: %lld/%lld (%d%%)\n", label_.c_str(), static_cast<long long>(done),
                 static_cast<long long>(total_), decile * 10);
  }
}

void ProgressBar::Finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  if (tty_) std::fprintf(stderr, "\n");
}

}  // namespace vigil
