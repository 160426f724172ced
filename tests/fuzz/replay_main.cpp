// Replays files through the fuzz target's entry point (lang_fuzz.cpp) with any compiler, no
// libFuzzer: `lang_fuzz_replay DIR_OR_FILE...`. CTest runs it on tests/fuzz/corpus, so every
// corpus input keeps going through the parser, checker and evaluator in the regular build.
// Exit 0 when every input ran; 1 (naming the file) when one threw what the target does not
// catch; 2 when no input was found. A crash or a sanitizer report fails the test by itself.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

/// The files named by `argument`: itself, or the regular files in it, sorted by name.
std::vector<std::filesystem::path> inputs(const std::filesystem::path& argument) {
  if (!std::filesystem::is_directory(argument)) return {argument};
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(argument)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    for (const std::filesystem::path& file : inputs(argv[i])) {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "cannot read %s\n", file.c_str());
        return 2;
      }
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      try {
        (void)LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      } catch (const std::exception& error) {
        std::fprintf(stderr, "%s: uncaught exception: %s\n", file.c_str(), error.what());
        return 1;
      }
      ++count;
    }
  }
  std::printf("%zu input%s replayed\n", count, count == 1 ? "" : "s");
  return count == 0 ? 2 : 0;
}
