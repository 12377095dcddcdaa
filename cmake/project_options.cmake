# Warnings and sanitizers travel as INTERFACE targets linked PRIVATE, so they apply to our code only.
add_library(vapidash_warnings INTERFACE)
target_compile_options(vapidash_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Wimplicit-fallthrough
  # Aggregates such as Call are initialised by their leading fields; the optional rest default to empty.
  -Wno-missing-field-initializers
  $<$<BOOL:${VAPIDASH_WARNINGS_AS_ERRORS}>:-Werror>)

add_library(vapidash_sanitizers INTERFACE)
if(VAPIDASH_SANITIZERS)
  if(VAPIDASH_SANITIZERS MATCHES "thread" AND VAPIDASH_SANITIZERS MATCHES "address")
    message(FATAL_ERROR "thread and address sanitizers cannot be combined")
  endif()
  # Sanitizer instrumentation makes GCC 12 report maybe-uninitialized inside Boost.Beast's parser and
  # array-bounds, stringop-overflow and restrict inside std::string (TSan at -O1): known false positives; the
  # dev and release builds keep these warnings. Clang has no such false positives and no -Wno-maybe-uninitialized.
  target_compile_options(vapidash_sanitizers INTERFACE
    -fsanitize=${VAPIDASH_SANITIZERS} -fno-omit-frame-pointer -fno-sanitize-recover=all
    $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized -Wno-array-bounds -Wno-stringop-overflow -Wno-restrict>)
  if(VAPIDASH_SANITIZERS STREQUAL "thread")
    # GCC 12 warns that TSan cannot see atomic_thread_fence, which Asio's headers use; not our code to change.
    target_compile_options(vapidash_sanitizers INTERFACE -Wno-tsan)
  endif()
  target_link_options(vapidash_sanitizers INTERFACE -fsanitize=${VAPIDASH_SANITIZERS})
endif()

# Beast, Asio and nlohmann/json dominate compile time; every heavy target parses them once, as a
# precompiled header. (Each target gets its own: PCHs must match the target's flags.)
set(VAPIDASH_PCH_HEADERS <boost/asio.hpp> <boost/beast/core.hpp> <boost/beast/http.hpp>
    <boost/beast/websocket.hpp> <nlohmann/json.hpp> <string> <vector> <optional>)
function(vapidash_precompile target)
  target_precompile_headers(${target} PRIVATE ${VAPIDASH_PCH_HEADERS} ${ARGN})
endfunction()
