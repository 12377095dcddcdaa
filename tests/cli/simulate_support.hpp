#pragma once

// `vapidash simulate` as a running child, a plain client of its listen URLs, and readers of the audio it
// plays: shared by the simulate tests and the end-to-end monitoring tests that use it as VAPI.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli_test_support.hpp"
#include "vapidash/client/feed_client.hpp"

namespace vapidash::test::cli {

// A running `vapidash simulate --json --client demo-client ARGS...`, with the port it announced on its first
// line.
class SimulateRun {
 public:
  SimulateRun(const Endpoint& server, std::vector<std::string> args);

  std::uint16_t port() const { return port_; }
  CliProcess& process() { return *process_; }
  // The next event line containing `needle`, parsed.
  json next_event(const std::string& needle);
  // POSTs `body` to the call's control URL, as the server would.
  HttpResponse control(const std::string& call_id, const std::string& body);
  // Waits for the call to be answered: its in-progress webhook was sent.
  void wait_answered();

 private:
  std::unique_ptr<CliProcess> process_;
  std::uint16_t port_ = 0;
};

// Every event line of a finished run, parsed.
std::vector<json> events_of(const std::string& out);

// A WebSocket client of a simulated listen URL; a read gives up after 10 s instead of hanging the test.
class ListenClient {
 public:
  ListenClient(std::uint16_t port, const std::string& call_id);

  // The next message, and whether it was text; nullopt once the server closed the socket.
  std::optional<std::pair<std::string, bool>> read();
  std::string read_binary();
  websocket::close_reason close_reason() const { return ws_.reason(); }

 private:
  net::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
};

// One channel of interleaved s16le stereo PCM.
std::vector<std::int16_t> channel_of(const std::string& pcm, int channel);
// The frequency of a pure tone, from its upward zero crossings.
double tone_frequency(const std::vector<std::int16_t>& samples);
bool silent(const std::vector<std::int16_t>& samples);

// A little-endian unsigned field of `size` bytes at `at` (WAV headers).
std::uint32_t le_field(const std::string& bytes, std::size_t at, int size);

// Checks that `wav` is a 16 kHz 16-bit PCM WAV file of `channels` channels whose header counts exactly
// `data_bytes` of samples, all present.
void expect_pcm_wav(const std::string& wav, unsigned channels, std::uint32_t data_bytes);

}  // namespace vapidash::test::cli
