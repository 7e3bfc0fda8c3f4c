// Fetcher: how the TUF client reads bytes from a repository, with a hard length limit.
//
// Contract
//  - Fetch returns the whole body of `url` or throws. It never returns more than `max_bytes`:
//    a longer body is an error (the defence against endless data, spec 5.2-5.6), and so is a body
//    that arrives slower than the stall limit.
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

class CurlFetcher : public Fetcher {
 public:
  // `stall_seconds`: give up when fewer than one byte per second arrives for this long.
  explicit CurlFetcher(long connect_timeout_seconds = 10, long stall_seconds = 30);
  std::string Fetch(const std::string& url, int64_t max_bytes) override;

 private:
  long connect_timeout_seconds_;
  long stall_seconds_;
};

}  // namespace vigil::ota
