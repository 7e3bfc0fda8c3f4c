#include "host/progress_bar.h"

#include <unistd.h>

namespace vigil {

int PercentDone(int64_t done, int64_t total) {
  if (total <= 0 || done <= 0) return 0;
  if (done >= total) return 100;
  // In integers: a double's 100 * done / total can land just below a whole percent.
  return static_cast<int>(done * 100 / total);
}

ProgressBar::ProgressBar(std::string label, int64_t total, bool enabled)
    : ProgressBar(std::move(label), total, stderr, isatty(STDERR_FILENO) != 0) {
  enabled_ = enabled;
}

ProgressBar::ProgressBar(std::string label, int64_t total, std::FILE* out, bool tty)
    : label_(std::move(label)),
      total_(total > 0 ? total : 1),
      out_(out),
      enabled_(true),
      tty_(tty),
      start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  Finish();
}

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
    std::fprintf(out_, "\r%s [%s] %lld/%lld %d%% %.0fs left ", label_.c_str(), bar.c_str(),
                 static_cast<long long>(done), static_cast<long long>(total_),
                 PercentDone(done, total_), left);
  } else {
    int decile = static_cast<int>(fraction * 10);
    if (decile == last_decile_) return;
    last_decile_ = decile;
    std::fprintf(out_, "%s: %lld/%lld (%d%%)\n", label_.c_str(), static_cast<long long>(done),
                 static_cast<long long>(total_), PercentDone(done, total_));
  }
}

void ProgressBar::Finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  if (tty_) std::fprintf(out_, "\n");
}

}  // namespace vigil
