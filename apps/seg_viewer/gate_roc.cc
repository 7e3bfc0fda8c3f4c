#include "apps/seg_viewer/gate_roc.h"

#include <algorithm>

namespace vigil::seg {

GateRoc ComputeGateRoc(std::vector<GateSample> samples) {
  GateRoc roc;
  for (const GateSample& s : samples)
    (s.bad ? roc.bad : roc.good) += 1;
  std::sort(samples.begin(), samples.end(),
            [](const GateSample& a, const GateSample& b) { return a.focus < b.focus; });
  roc.points.push_back({samples.empty() ? 0.0 : samples.front().focus, 0.0, 0.0});
  double auc = 0, rejected_bad = 0, rejected_good = 0;
  for (size_t i = 0; i < samples.size();) {
    size_t j = i;  // a group of equal focus values is rejected together
    double bad = 0, good = 0;
    for (; j < samples.size() && samples[j].focus == samples[i].focus; ++j)
      (samples[j].bad ? bad : good) += 1;
    // Bad frames below every good frame of this group count fully, ties count half.
    auc += bad * (roc.good - rejected_good - good) + 0.5 * bad * good;
    rejected_bad += bad, rejected_good += good;
    const double threshold = j < samples.size() ? samples[j].focus : samples[i].focus + 1;
    RocPoint p{threshold, roc.good ? rejected_good / roc.good : 0.0,
               roc.bad ? rejected_bad / roc.bad : 0.0};
    roc.points.push_back(p);
    if (p.true_positive_rate - p.false_positive_rate >
        roc.youden.true_positive_rate - roc.youden.false_positive_rate) {
      roc.youden = p;
    }
    i = j;
  }
  roc.auc = roc.bad && roc.good ? auc / (double(roc.bad) * roc.good) : 0.5;
  return roc;
}

}  // namespace vigil::seg
