# Every dependency comes from a Debian 12 package; see README.md for the list.
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTSLIB REQUIRED IMPORTED_TARGET htslib)
pkg_check_modules(LIBDEFLATE REQUIRED IMPORTED_TARGET libdeflate)  # BGZF blocks inflated in the counting pipeline
pkg_check_modules(LIBCURL REQUIRED IMPORTED_TARGET libcurl)  # byte ranges of remote BAMs (HTSlib's flavour: GnuTLS)
pkg_check_modules(LIBISAL REQUIRED IMPORTED_TARGET libisal)  # gzip text (GTF, tables) inflated as it is read
find_package(TBB REQUIRED COMPONENTS tbb)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(fmt 9 REQUIRED)  # shortest round-trip decimals, faster than GCC 12's std::to_chars
find_package(Threads REQUIRED)
if(IFNSIG_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(IFNSIG_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
