#include "cli/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "vapidash/wire/json.hpp"

namespace vapidash::cli {

namespace {

// %j: the log message as a JSON string literal, so a message with quotes still makes valid JSON lines.
class json_message_flag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    const auto quoted = dump_json(json(std::string(msg.payload.data(), msg.payload.size())));
    dest.append(quoted.data(), quoted.data() + quoted.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<json_message_flag>();
  }
};

std::unique_ptr<spdlog::formatter> make_formatter(LogFormat format) {
  if (format == LogFormat::text) {
    return std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%fZ %^%-5l%$ [%n] %v",
                                                       spdlog::pattern_time_type::utc);
  }
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<json_message_flag>('j').set_pattern(
      R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","logger":"%n","message":%j})");
  return formatter;
}

}  // namespace

void configure_logging(const std::string& level, LogFormat format) {
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  sink->set_formatter(make_formatter(format));
  const auto parsed = spdlog::level::from_str(level);
  for (const char* name : {"server", "vapidash"}) {
    auto logger = std::make_shared<spdlog::logger>(name, sink);
    logger->set_level(parsed);
    spdlog::register_logger(logger);
  }
  spdlog::set_default_logger(spdlog::get("vapidash"));
}

}  // namespace vapidash::cli
