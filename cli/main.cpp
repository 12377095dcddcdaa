#include "cli/commands.hpp"

int main(int argc, char** argv) {
  return vapidash::cli::run(argc, argv);
}
