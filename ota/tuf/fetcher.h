// Fetcher: how the TUF client reads bytes from a repository, with a hard length limit.
//
// Contract
//  - Fetch returns the whole body of `url` or throws. It never returns more than `max_bytes`:
//    a longer body is an error (the defence against endless data, spec 5.2-5.6), and so is a body
//    that stalls or that has not arrived by the deadline FetchLimits derives from `max_bytes`
//    (the defence against slow retrieval).
//  - A missing file (HTTP 403/404, or no such file:// path) throws FetchNotFound, which the root
//    rotation loop takes as "no newer root"; every other failure throws HostError.
//  - CurlFetcher (libcurl) reads http://, https:// and file:// URLs, so an update package on a
//    USB stick and one on the update server go through the same client.
#pragma once

#include <cstdint>
#include <string>

#include "host/error.h"

namespace vigil::ota {

class FetchNotFound : public HostError {
 public:
  explicit FetchNotFound(const std::string& message) : HostError(message) {}
};

class Fetcher {
 public:
  virtual ~Fetcher() = default;
  virtual std::string Fetch(const std::string& url, int64_t max_bytes) = 0;
};

// How long one download may take. A server can hold a client by sending just above any stall
// limit (slow retrieval, spec 5.2-5.6), so every download also has an overall deadline that grows
// with the most bytes it may have: the signed length, or the configured maximum for metadata
// whose length is not signed. The defaults allow 30 s plus 8 KiB/s: 32 s for a timestamp
// (16384 bytes), 37 s for a 60 KiB model, 640 s for a targets file of the 5000000-byte maximum.
struct FetchLimits {
  long connect_timeout_seconds = 10;
  long stall_seconds = 30;             // fewer than one byte per second for this long: give up
  double allowance_seconds = 30;       // the deadline's fixed part (connection, server start)
  double min_bytes_per_second = 8192;  // the slowest average rate a download may have
  double DeadlineSeconds(int64_t max_bytes) const {
    return allowance_seconds + static_cast<double>(max_bytes) / min_bytes_per_second;
  }
};

class CurlFetcher : public Fetcher {
 public:
  explicit CurlFetcher(FetchLimits limits = {});
  std::string Fetch(const std::string& url, int64_t max_bytes) override;

 private:
  FetchLimits limits_;
};

}  // namespace vigil::ota
