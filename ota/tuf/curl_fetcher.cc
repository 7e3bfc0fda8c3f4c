#include <curl/curl.h>

#include <cstdio>
#include <memory>
#include <mutex>

#include "ota/tuf/fetcher.h"

namespace vigil::ota {
namespace {

struct Body {
  std::string data;
  int64_t max_bytes = 0;
  bool too_long = false;
};

size_t Append(char* ptr, size_t size, size_t count, void* user) {
  Body* body = static_cast<Body*>(user);
  size_t n = size * count;
  if (static_cast<int64_t>(body->data.size() + n) > body->max_bytes) {
    body->too_long = true;
    return 0;  // makes libcurl abort the transfer with CURLE_WRITE_ERROR
  }
  body->data.append(ptr, n);
  return n;
}

struct CurlFree {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};

}  // namespace

CurlFetcher::CurlFetcher(FetchLimits limits) : limits_(limits) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string CurlFetcher::Fetch(const std::string& url, int64_t max_bytes) {
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (!curl) throw HostError("cannot start libcurl");
  Body body;
  body.max_bytes = max_bytes;
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https,file");
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, limits_.connect_timeout_seconds);
  curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_TIME, limits_.stall_seconds);
  // The overall deadline: the stall limit alone lets a server drip one byte a second for ever.
  const double deadline = limits_.DeadlineSeconds(max_bytes);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(deadline * 1000));
  // A server that announces a larger Content-Length is refused before any byte is read.
  curl_easy_setopt(curl.get(), CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_bytes));
  CURLcode code = curl_easy_perform(curl.get());
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (body.too_long || code == CURLE_FILESIZE_EXCEEDED) {
    throw HostError(url + ": longer than the " + std::to_string(max_bytes) + " bytes allowed");
  }
  if (code == CURLE_FILE_COULDNT_READ_FILE) throw FetchNotFound(url + ": not found");
  double elapsed = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_TOTAL_TIME, &elapsed);
  // The same code reports a connect timeout and a stall; only the deadline gets this message.
  if (code == CURLE_OPERATION_TIMEDOUT && elapsed >= deadline - 0.01) {
    char seconds[32];
    std::snprintf(seconds, sizeof(seconds), "%.1f", deadline);
    throw HostError(url + ": did not finish within " + seconds + " s, the deadline for at most " +
                    std::to_string(max_bytes) +
                    " bytes (slow retrieval?): " + (error[0] ? error : curl_easy_strerror(code)));
  }
  if (code != CURLE_OK) {
    throw HostError(url + ": download failed: " + (error[0] ? error : curl_easy_strerror(code)));
  }
  if (status == 403 || status == 404)
    throw FetchNotFound(url + ": not found (HTTP " + std::to_string(status) + ")");
  if (status >= 400) throw HostError(url + ": HTTP " + std::to_string(status));
  return std::move(body.data);
}

}  // namespace vigil::ota
