// Start-up for QEMU's mps2-an386 (Cortex-M4F): the vector table, and a reset handler that enables
// the FPU, copies .data, zeroes .bss, runs static constructors and calls main with the arguments
// QEMU passes through semihosting (-semihosting-config arg=...). File and console I/O go through
// newlib's semihosting syscalls (librdimon).
#include <cstdint>
#include <cstdlib>
#include <cstring>

extern "C" {
extern uint32_t _stack_top, _data_load, _data_start, _data_end, _bss_start, _bss_end;
void __libc_init_array();
void initialise_monitor_handles();  // librdimon: stdin/stdout/stderr over semihosting
int main(int argc, char** argv);
void Reset_Handler();
void Fault_Handler();
}

namespace {

// ARM semihosting SYS_GET_CMDLINE (0x15): fills a buffer with the command line.
int SemihostingCommandLine(char* buffer, uint32_t size) {
  uint32_t block[2] = {reinterpret_cast<uint32_t>(buffer), size};
  register uint32_t r0 asm("r0") = 0x15;
  register uint32_t r1 asm("r1") = reinterpret_cast<uint32_t>(block);
  asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return static_cast<int>(r0);
}

char command_line[1024];
char* arguments[32];

int SplitArguments() {
  int argc = 0;
  if (SemihostingCommandLine(command_line, sizeof(command_line)) != 0) return 0;
  for (char* p = command_line; *p && argc < 31;) {
    while (*p == ' ')
      *p++ = '\0';
    if (!*p) break;
    arguments[argc++] = p;
    while (*p && *p != ' ')
      ++p;
  }
  arguments[argc] = nullptr;
  return argc;
}

}  // namespace

extern "C" void Reset_Handler() {
  // CP10 and CP11 full access: the FPU must be on before any float instruction.
  *reinterpret_cast<volatile uint32_t*>(0xE000ED88) |= (0xFu << 20);
  asm volatile("dsb\n isb");
  std::memcpy(&_data_start, &_data_load, static_cast<size_t>(&_data_end - &_data_start) * 4);
  std::memset(&_bss_start, 0, static_cast<size_t>(&_bss_end - &_bss_start) * 4);
  initialise_monitor_handles();
  __libc_init_array();
  std::exit(main(SplitArguments(), arguments));
}

extern "C" void Fault_Handler() {
  std::abort();
}

// newlib's __libc_init_array calls _init and exit calls _fini, which crti.o/crtn.o provide in a
// hosted link; -nostartfiles leaves them out and there is nothing for them to do here.
extern "C" void _init() {}
extern "C" void _fini() {}

// Initial stack pointer, then the handlers (reset, NMI, hard/memory/bus/usage faults).
__attribute__((section(".isr_vector"), used))
const void* const kVectorTable[] = {&_stack_top,
                                    reinterpret_cast<const void*>(Reset_Handler),
                                    reinterpret_cast<const void*>(Fault_Handler),
                                    reinterpret_cast<const void*>(Fault_Handler),
                                    reinterpret_cast<const void*>(Fault_Handler),
                                    reinterpret_cast<const void*>(Fault_Handler),
                                    reinterpret_cast<const void*>(Fault_Handler)};
