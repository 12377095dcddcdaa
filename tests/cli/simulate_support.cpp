#include "simulate_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "vapidash/simulate/audio.hpp"

namespace vapidash::test::cli {

using namespace std::chrono_literals;

SimulateRun::SimulateRun(const Endpoint& server, std::vector<std::string> args) {
  args.insert(args.begin(), {"--server", server.url(), "--json", "simulate", "--client", "demo-client"});
  process_ = std::make_unique<CliProcess>(std::move(args));
  const auto listening = json::parse(process_->wait_for_stdout_line("\"listening\"", 20s));
  const auto address = listening.at("address").get<std::string>();
  port_ = static_cast<std::uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
}

json SimulateRun::next_event(const std::string& needle) {
  return json::parse(process_->wait_for_stdout_line(needle, 20s));
}

HttpResponse SimulateRun::control(const std::string& call_id, const std::string& body) {
  return HttpClient(Endpoint{"127.0.0.1", port_}).post("/calls/" + call_id + "/control", body);
}

void SimulateRun::wait_answered() {
  next_event("\"detail\":\"in-progress\"");
}

std::vector<json> events_of(const std::string& out) {
  std::vector<json> events;
  for (const auto& line : lines_of(out)) events.push_back(json::parse(line));
  return events;
}

ListenClient::ListenClient(std::uint16_t port, const std::string& call_id) : ws_(ioc_) {
  ws_.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  ws_.handshake("127.0.0.1:" + std::to_string(port), "/calls/" + call_id + "/listen");
}

std::optional<std::pair<std::string, bool>> ListenClient::read() {
  beast::flat_buffer buffer;
  std::optional<beast::error_code> result;
  ws_.async_read(buffer, [&](beast::error_code ec, std::size_t) { result = ec; });
  ioc_.restart();
  ioc_.run_for(10s);
  if (!result) throw std::runtime_error("listen socket: nothing within 10 s");
  if (*result == websocket::error::closed) return std::nullopt;
  if (*result) throw std::runtime_error("listen socket: " + result->message());
  return std::pair{beast::buffers_to_string(buffer.data()), ws_.got_text()};
}

std::string ListenClient::read_binary() {
  const auto message = read();
  if (!message || message->second) throw std::runtime_error("expected a binary audio frame");
  return message->first;
}

std::vector<std::int16_t> channel_of(const std::string& pcm, int channel) {
  std::vector<std::int16_t> samples;
  for (std::size_t at = static_cast<std::size_t>(channel) * 2; at + 1 < pcm.size();
       at += listen_channels * 2) {
    samples.push_back(static_cast<std::int16_t>(static_cast<std::uint16_t>(
        static_cast<unsigned char>(pcm[at]) | (static_cast<unsigned char>(pcm[at + 1]) << 8))));
  }
  return samples;
}

double tone_frequency(const std::vector<std::int16_t>& samples) {
  std::size_t crossings = 0;
  for (std::size_t i = 1; i < samples.size(); ++i) crossings += samples[i - 1] < 0 && samples[i] >= 0;
  return static_cast<double>(crossings) * listen_sample_rate / static_cast<double>(samples.size());
}

bool silent(const std::vector<std::int16_t>& samples) {
  return std::all_of(samples.begin(), samples.end(), [](std::int16_t s) { return s == 0; });
}

std::uint32_t le_field(const std::string& bytes, std::size_t at, int size) {
  std::uint32_t value = 0;
  for (int i = size - 1; i >= 0; --i)
    value = (value << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  return value;
}

void expect_pcm_wav(const std::string& wav, unsigned channels, std::uint32_t data_bytes) {
  ASSERT_EQ(wav.size(), 44 + data_bytes);
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  EXPECT_EQ(le_field(wav, 4, 4), 36 + data_bytes);
  EXPECT_EQ(wav.substr(8, 8), "WAVEfmt ");
  EXPECT_EQ(le_field(wav, 20, 2), 1u) << "PCM";
  EXPECT_EQ(le_field(wav, 22, 2), channels) << "channels";
  EXPECT_EQ(le_field(wav, 24, 4), 16000u) << "sample rate";
  EXPECT_EQ(le_field(wav, 28, 4), 16000u * 2 * channels) << "byte rate";
  EXPECT_EQ(le_field(wav, 32, 2), 2 * channels) << "block align";
  EXPECT_EQ(le_field(wav, 34, 2), 16u) << "bits per sample";
  EXPECT_EQ(wav.substr(36, 4), "data");
  EXPECT_EQ(le_field(wav, 40, 4), data_bytes);
}

}  // namespace vapidash::test::cli
