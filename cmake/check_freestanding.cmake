# cmake -DNM=<nm> -DLIBRARY=<lib.a> -P check_freestanding.cmake: fails when the library's objects
# refer to the heap (malloc family, operator new/delete) or to exceptions (throw, exception
# allocation, RTTI of a thrown type). Run on the firmware build's freestanding libraries, so a
# std::vector or a throw that compiles under -fno-exceptions still breaks the build.
execute_process(COMMAND ${NM} --undefined-only ${LIBRARY} OUTPUT_VARIABLE undefined RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${NM} ${LIBRARY} failed (${status})")
endif()
# Itanium C++ ABI names: _Znw/_Zna = operator new/new[], _Zdl/_Zda = operator delete/delete[].
set(forbidden "^(malloc|calloc|realloc|free|aligned_alloc|posix_memalign|_malloc_r|_calloc_r|_realloc_r|_free_r|_Znw.*|_Zna.*|_Zdl.*|_Zda.*|__cxa_allocate_exception|__cxa_throw|__cxa_rethrow|__cxa_begin_catch|_ZSt[0-9]+__throw_.*)$")
string(REPLACE "\n" ";" lines "${undefined}")
set(found)
foreach(line IN LISTS lines)
  string(REGEX REPLACE "^ *U +" "" symbol "${line}")
  if(symbol MATCHES "${forbidden}")
    list(APPEND found ${symbol})
  endif()
endforeach()
if(found)
  list(REMOVE_DUPLICATES found)
  string(REPLACE ";" " " found "${found}")
  message(FATAL_ERROR "${LIBRARY} is freestanding but refers to the heap or exceptions: ${found}")
endif()
