# IFNSIG_SANITIZE=ON builds everything with ASan and UBSan (see .ci/run); IFNSIG_FUZZ=ON adds libFuzzer's
# coverage instrumentation (clang only) for the harnesses of tests/fuzz.
if(IFNSIG_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "IFNSIG_FUZZ needs clang: -DCMAKE_CXX_COMPILER=clang++")
  endif()
  set(IFNSIG_SANITIZE ON)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
if(IFNSIG_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
