#include "apps/seg_viewer/worker_threads.h"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace vigil::seg {

void ForEachOnWorkers(int items, int jobs, const std::function<void(int worker, int item)>& work) {
  std::atomic<int> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto run = [&](int worker) {
    for (int item = next++; item < items; item = next++) {
      try {
        work(worker, item);
      } catch (...) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = items;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int w = 1; w < jobs; ++w)
    threads.emplace_back(run, w);
  run(0);
  for (std::thread& t : threads)
    t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace vigil::seg
