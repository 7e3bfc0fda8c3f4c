// Runs independent items (images, degraded frames) on a few threads, each thread owning its own
// resources (a GlandSegmenter: the runtime's Interpreter is single-threaded by design).
//
//   std::vector<GlandSegmenter> per_worker = ...;            // one per job
//   ForEachOnWorkers(items, jobs, [&](int worker, int item) { per_worker[worker].Segment(...); });
//
// The first exception thrown by any item stops the remaining items and is rethrown by the caller.
#pragma once

#include <functional>

namespace vigil::seg {

void ForEachOnWorkers(int items, int jobs, const std::function<void(int worker, int item)>& work);

}  // namespace vigil::seg
