// Proves that the runtime never allocates: this binary replaces every global operator new and
// delete and the malloc family (forwarding to glibc's __libc_* entry points), or, under
// AddressSanitizer, which owns malloc, installs its allocation hooks instead; then it counts each
// allocation made while a test has armed the counter around Init and Invoke.
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include "host/aligned_buffer.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/models/ecg_cnn_golden.h"
#include "testing/golden/models/tiny_unet_golden.h"
#include "vigil/interpreter.h"

namespace {

std::atomic<bool> g_armed{false};
std::atomic<long> g_new_calls{0};
std::atomic<long> g_malloc_calls{0};

void CountNew() {
  if (g_armed.load(std::memory_order_relaxed)) g_new_calls.fetch_add(1, std::memory_order_relaxed);
}
void CountMalloc() {
  if (g_armed.load(std::memory_order_relaxed))
    g_malloc_calls.fetch_add(1, std::memory_order_relaxed);
}

void* NewOrThrow(size_t bytes, size_t alignment) {
  CountNew();
  if (bytes == 0) bytes = 1;
  void* p = alignment <= alignof(std::max_align_t)
                ? std::malloc(bytes)
                : std::aligned_alloc(alignment, (bytes + alignment - 1) / alignment * alignment);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace

#if defined(__SANITIZE_ADDRESS__)
#define VIGIL_ASAN_OWNS_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VIGIL_ASAN_OWNS_MALLOC 1
#endif
#endif

#ifdef VIGIL_ASAN_OWNS_MALLOC
// AddressSanitizer calls these for every allocation its allocator makes (malloc and new alike).
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*,
                                                                             size_t),
                                                         void (*free_hook)(const volatile void*));
namespace {
void MallocHook(const volatile void*, size_t) {
  CountMalloc();
}
void FreeHook(const volatile void*) {}
const int kHooksInstalled = __sanitizer_install_malloc_and_free_hooks(&MallocHook, &FreeHook);
}  // namespace
#else
extern "C" {
void* __libc_malloc(size_t bytes);
void* __libc_calloc(size_t count, size_t bytes);
void* __libc_realloc(void* p, size_t bytes);
void* __libc_memalign(size_t alignment, size_t bytes);
void __libc_free(void* p);

void* malloc(size_t bytes) noexcept {
  CountMalloc();
  return __libc_malloc(bytes);
}
void* calloc(size_t count, size_t bytes) noexcept {
  CountMalloc();
  return __libc_calloc(count, bytes);
}
void* realloc(void* p, size_t bytes) noexcept {
  CountMalloc();
  return __libc_realloc(p, bytes);
}
void* aligned_alloc(size_t alignment, size_t bytes) noexcept {
  CountMalloc();
  return __libc_memalign(alignment, bytes);
}
void* memalign(size_t alignment, size_t bytes) noexcept {
  CountMalloc();
  return __libc_memalign(alignment, bytes);
}
int posix_memalign(void** out, size_t alignment, size_t bytes) noexcept {
  CountMalloc();
  void* p = __libc_memalign(alignment, bytes);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}
void free(void* p) noexcept {
  __libc_free(p);
}
}
#endif

// GCC sees these deletes call free() on memory from operator new and warns; here operator new is
// malloc, so the pairing is right.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(size_t bytes) {
  return NewOrThrow(bytes, 0);
}
void* operator new[](size_t bytes) {
  return NewOrThrow(bytes, 0);
}
void* operator new(size_t bytes, std::align_val_t a) {
  return NewOrThrow(bytes, static_cast<size_t>(a));
}
void* operator new[](size_t bytes, std::align_val_t a) {
  return NewOrThrow(bytes, static_cast<size_t>(a));
}
void* operator new(size_t bytes, const std::nothrow_t&) noexcept {
  CountNew();
  return std::malloc(bytes ? bytes : 1);
}
void* operator new[](size_t bytes, const std::nothrow_t&) noexcept {
  CountNew();
  return std::malloc(bytes ? bytes : 1);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace vigil {
namespace {

namespace golden = testing::golden;

struct Allocations {
  long new_calls = 0;
  long malloc_calls = 0;
};

template <typename Body>
Allocations CountAllocations(Body&& body) {
  g_new_calls = 0;
  g_malloc_calls = 0;
  g_armed = true;
  body();
  g_armed = false;
  return {g_new_calls.load(), g_malloc_calls.load()};
}

// A test that cannot fail is a defect: first show that the counter sees what it must.
TEST(HeapCounter, SeesOperatorNewAndMalloc) {
  Allocations a = CountAllocations([] { ::operator delete(::operator new(24)); });
  EXPECT_EQ(a.new_calls, 1);
  EXPECT_GE(a.malloc_calls, 1);  // operator new is built on malloc
  a = CountAllocations([] {
    void* volatile p = std::malloc(32);  // volatile: the compiler may not elide the pair
    std::free(p);
  });
  EXPECT_EQ(a.new_calls, 0);
  EXPECT_EQ(a.malloc_calls, 1);
  a = CountAllocations([] { std::vector<int> v(100, 7); });
  EXPECT_GE(a.new_calls + a.malloc_calls, 1);
}

// Init and Invoke of `m`, counted; every buffer is made before the counter is armed.
Allocations InitAndInvoke(golden::GoldenModel& m) {
  AlignedBuffer file(m.model->Build());
  AlignedBuffer arena(static_cast<size_t>(m.model->model().arena_bytes));
  auto interpreter = std::make_unique<Interpreter>();
  Status init = Status::kOk, invoke = Status::kOk;
  Allocations a = CountAllocations([&] {
    init = interpreter->Init(file.data(), file.size(), arena.data(), arena.size());
    if (init != Status::kOk) return;
    for (int i = 0; i < interpreter->input_count(); ++i)
      std::memset(interpreter->input(i).data, 0, interpreter->input(i).bytes());
    invoke = interpreter->Invoke();
  });
  EXPECT_EQ(init, Status::kOk) << interpreter->error();
  EXPECT_EQ(invoke, Status::kOk) << interpreter->error();
  return a;
}

TEST(ZeroHeap, InitAndInvokeOfTheTinyUNetAllocateNothing) {
  golden::GoldenModel m = golden::TinyUNetModel(golden::kTinyUNetCases[0]);
  Allocations a = InitAndInvoke(m);
  EXPECT_EQ(a.new_calls, 0);
  EXPECT_EQ(a.malloc_calls, 0);
}

TEST(ZeroHeap, InitAndInvokeOfTheEcgCnnAllocateNothing) {
  golden::GoldenModel m = golden::EcgCnnModel(golden::kEcgCnnCases[0]);
  Allocations a = InitAndInvoke(m);
  EXPECT_EQ(a.new_calls, 0);
  EXPECT_EQ(a.malloc_calls, 0);
}

TEST(ZeroHeap, EveryGoldenModelOfEveryOpAllocatesNothing) {
  int models = 0;
  for (golden::GoldenModel& m : golden::AllGoldenModels()) {
    Allocations a = InitAndInvoke(m);
    EXPECT_EQ(a.new_calls + a.malloc_calls, 0) << m.model->model().operators[0]->name;
    ++models;
  }
  EXPECT_GT(models, 150);
}

TEST(ZeroHeap, RejectionsAllocateNothingEither) {
  golden::GoldenModel m = golden::EcgCnnModel(golden::kEcgCnnCases[0]);
  AlignedBuffer file(m.model->Build());
  AlignedBuffer corrupt(file.span());
  corrupt.data()[corrupt.size() / 2] ^= 0x10;
  AlignedBuffer arena(static_cast<size_t>(m.model->model().arena_bytes));
  auto interpreter = std::make_unique<Interpreter>();
  Status too_small = Status::kOk, corrupted = Status::kOk, not_ready = Status::kOk;
  Allocations a = CountAllocations([&] {
    too_small = interpreter->Init(file.data(), file.size(), arena.data(), arena.size() - 1);
    corrupted = interpreter->Init(corrupt.data(), corrupt.size(), arena.data(), arena.size());
    not_ready = interpreter->Invoke();
  });
  EXPECT_EQ(too_small, Status::kArenaTooSmall);
  EXPECT_EQ(corrupted, Status::kInvalidModel);
  EXPECT_EQ(not_ready, Status::kNotReady);
  EXPECT_EQ(a.new_calls + a.malloc_calls, 0);
}

}  // namespace
}  // namespace vigil
